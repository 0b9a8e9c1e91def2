package org.xmppcm.engine;

import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.SessionIq;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * How the host reaches one client: every element goes out as a {@code <route>} on the manager's
 * sticky link for this stream id. Called from host threads; never blocks.
 */
final class RoutedClientChannel implements ClientChannel {
    private static final Logger LOG = LoggerFactory.getLogger(RoutedClientChannel.class);

    private final RoutedSession session;
    private final ManagerEntry manager;
    private final String domain;
    private final Ids ids;

    private final java.util.function.BiConsumer<ManagerEntry, RoutedSession> holdOverflowed;

    RoutedClientChannel(RoutedSession session, ManagerEntry manager, String domain, Ids ids,
                        java.util.function.BiConsumer<ManagerEntry, RoutedSession> holdOverflowed) {
        this.holdOverflowed = holdOverflowed;
        this.session = session;
        this.manager = manager;
        this.domain = domain;
        this.ids = ids;
    }

    @Override
    public void deliver(Element stanza) {
        if (session.isEnded()) {
            LOG.debug("dropping a {} for ended session {}", stanza.getName(), streamId());
            return;
        }
        // Serialize before picking the link: the caller may reuse the element once we return.
        String xml = RouteCodec.route(streamId(), domain, manager.name(), XmlDom.toXml(stanza));
        switch (session.deliver(xml, stanza, manager)) {
            case SENT, HELD -> {
            }
            case FULL -> holdOverflowed.accept(manager, session);
            case DROPPED -> LOG.debug("no link of {} for session {}; dropped a {}", manager.name(), streamId(),
                    stanza.getName());
        }
    }

    @Override
    public void close(StreamErrorCondition condition) {
        if (!session.markEnded()) {
            return;
        }
        session.resumeInput();
        manager.remove(session);
        CmLink link = manager.linkFor(streamId());
        if (link == null) {
            return;
        }
        String streamError = CmElements.standaloneStreamError(condition, null);
        link.send(CmElements.sessionIq(new SessionIq.Close(ids.nextIqId(), streamId(), streamError)));
    }

    @Override
    public String streamId() {
        return session.streamId();
    }

    @Override
    public void pauseInput() {
        session.pauseInput();
    }

    @Override
    public void resumeInput() {
        session.resumeInput();
    }
}
