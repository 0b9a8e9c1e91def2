package org.xmppcm.protocol.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Records framer events as comparable strings (every field included), plus the raw records. */
class RecordingListener implements FramerListener {
    final List<String> events = new ArrayList<>();
    final List<StanzaFrame> frames = new ArrayList<>();
    final List<StreamOpen> opens = new ArrayList<>();
    /** Called after a frame is recorded, e.g. to restart the framer from inside the callback. */
    Consumer<StanzaFrame> onFrame = f -> { };

    @Override
    public void streamOpened(StreamOpen open) {
        opens.add(open);
        events.add("open " + open.prefix() + ":" + open.localName() + " ns=" + open.namespace()
                + " attrs=" + new TreeMap<>(open.attributes()) + " xmlns=" + new TreeMap<>(open.namespaces()));
    }

    @Override
    public void frame(StanzaFrame frame) {
        frames.add(frame);
        events.add("frame " + frame.asString() + " | " + frame.prefix() + ":" + frame.localName()
                + " ns=" + frame.namespace() + " attrs=" + new TreeMap<>(frame.attributes())
                + " dflt=" + frame.declaresDefaultNamespace()
                + " inherited=" + new TreeSet<>(frame.inheritedPrefixes())
                + " content=" + frame.contentStart() + ".." + frame.contentEnd());
        onFrame.accept(frame);
    }

    @Override
    public void streamClosed() {
        events.add("close");
    }

    @Override
    public void whitespace() {
        events.add("ws");
    }

    StanzaFrame frame(String localName) {
        return frames.stream().filter(f -> f.localName().equals(localName)).findFirst()
                .orElseThrow(() -> new AssertionError("no frame " + localName + " in " + events));
    }
}
