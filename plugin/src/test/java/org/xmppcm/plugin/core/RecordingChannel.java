package org.xmppcm.plugin.core;

import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/** Test double of the engine's channel: records what would go to the connection manager, serialized as it would. */
final class RecordingChannel implements ClientChannel {
    final List<String> delivered = new ArrayList<>();
    final List<StreamErrorCondition> closes = new ArrayList<>();
    /** Pauses minus resumes the host asked for: 1 while it wants the client's input paused. */
    final java.util.concurrent.atomic.AtomicInteger paused = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void deliver(Element stanza) {
        delivered.add(XmlDom.toXml(stanza));
    }

    @Override
    public void close(StreamErrorCondition condition) {
        closes.add(condition);
    }

    @Override
    public String streamId() {
        return "a11ce004";
    }

    @Override
    public void pauseInput() {
        paused.incrementAndGet();
    }

    @Override
    public void resumeInput() {
        paused.decrementAndGet();
    }
}
