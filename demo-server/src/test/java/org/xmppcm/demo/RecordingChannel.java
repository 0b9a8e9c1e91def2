package org.xmppcm.demo;

import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/** A ClientChannel that records what the host sends; thread-safe, like the engine's. */
final class RecordingChannel implements ClientChannel {
    private final String streamId;
    private final List<Element> delivered = new ArrayList<>();
    private StreamErrorCondition closedWith;

    RecordingChannel(String streamId) {
        this.streamId = streamId;
    }

    @Override
    public synchronized void deliver(Element stanza) {
        // The contract lets the host reuse the element after the call, so keep a copy.
        delivered.add(stanza.createCopy());
    }

    @Override
    public synchronized void close(StreamErrorCondition condition) {
        if (closedWith != null) {
            throw new AssertionError("closed twice: " + closedWith + " then " + condition);
        }
        closedWith = condition;
    }

    @Override
    public String streamId() {
        return streamId;
    }

    @Override
    public void pauseInput() {
        // the demo host processes input inline and never falls behind
    }

    @Override
    public void resumeInput() {
    }

    synchronized List<Element> delivered() {
        return new ArrayList<>(delivered);
    }

    /** Returns and forgets what was delivered so far. */
    synchronized List<Element> take() {
        List<Element> taken = new ArrayList<>(delivered);
        delivered.clear();
        return taken;
    }

    synchronized StreamErrorCondition closedWith() {
        return closedWith;
    }
}
