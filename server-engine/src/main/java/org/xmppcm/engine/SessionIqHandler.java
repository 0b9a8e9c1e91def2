package org.xmppcm.engine;

import java.nio.charset.StandardCharsets;
import org.dom4j.Element;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.SessionIq;
import org.xmppcm.protocol.cm.StanzaErrorCondition;
import org.xmppcm.protocol.cm.XmlDom;

/**
 * The {@code <iq>}s a CM sends on its link: session create / close / failed, the existence probe,
 * and the CM's answers to our own IQs (configuration push, session close). Errors follow what
 * stock Openfire answers (06a-error-iqs.txt) so a CM sees the same conditions from either server.
 */
final class SessionIqHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SessionIqHandler.class);

    private final HostServer host;
    private final Ids ids;
    private final ManagerRegistry registry;
    /** Shared by every session: per session, it would cost each client its bytes for the same thing. */
    private final SessionContext sessions;

    SessionIqHandler(HostServer host, Ids ids, ManagerRegistry registry) {
        this.registry = registry;
        this.sessions = new SessionContext(host.domain(), ids, registry::holdOverflowed, registry::undeliverable);
        this.host = host;
        this.ids = ids;
    }

    /** @param iq the parsed {@code <iq>} frame, from a link that is not closed */
    void handle(CmLink link, Element iq) {
        String type = iq.attributeValue("type");
        if ("result".equals(type) || "error".equals(type)) {
            answerToUs(link, iq, type);
            return;
        }
        if (!"set".equals(type) && !"get".equals(type)) {
            link.send(CmElements.iqError(iq, StanzaErrorCondition.BAD_REQUEST, null));
            return;
        }
        if (!link.isAuthenticated()) {
            link.send(CmElements.iqError(iq, StanzaErrorCondition.NOT_AUTHORIZED, null));
            return;
        }
        if ("get".equals(type)) {
            // Nothing in the protocol is read with a get.
            link.send(CmElements.iqError(iq, StanzaErrorCondition.BAD_REQUEST, null));
            return;
        }
        ManagerEntry manager = link.manager();
        String probed = probedStreamId(iq);
        if (probed != null) {
            // A session IQ with no known action asks "does this session exist?" and changes nothing.
            StanzaErrorCondition answer = manager.session(probed) != null
                    ? StanzaErrorCondition.BAD_REQUEST : StanzaErrorCondition.ITEM_NOT_FOUND;
            link.send(CmElements.iqError(iq, answer, null));
            return;
        }
        SessionIq request;
        try {
            request = CmElements.parseSessionIq(iq);
        } catch (CmProtocolException e) {
            LOG.debug("bad session IQ from {}: {}", link, e.getMessage());
            link.send(CmElements.iqError(iq, e.condition(), e.cmCondition()));
            return;
        }
        if (request instanceof SessionIq.Create create) {
            create(link, manager, iq, create);
        } else if (request instanceof SessionIq.Close close) {
            close(link, manager, iq, close);
        } else if (request instanceof SessionIq.Failed failed) {
            failed(link, manager, iq, failed);
        }
    }

    private void create(CmLink link, ManagerEntry manager, Element iq, SessionIq.Create create) {
        ClientDescriptor client = new ClientDescriptor(manager.name(), create.streamId(),
                create.hostName(), create.hostAddress());
        RoutedSession session = new RoutedSession(client, manager, sessions);
        // Hold the session's monitor until the host session is attached: a route for this id
        // arriving on another link meanwhile waits instead of finding a session without a host.
        synchronized (session) {
            switch (manager.admit(link, session)) {
                case EXISTS -> {
                    // Stock Openfire answers a repeated create with a plain result; so do we.
                    link.send(CmElements.iqResult(iq));
                    return;
                }
                case LINK_GONE -> {
                    return;
                }
                case ADDED -> {
                }
            }
            HostSession hostSession;
            try {
                hostSession = host.openSession(client, session);
            } catch (RuntimeException e) {
                LOG.error("host could not open session {} of {}", create.streamId(), manager.name(), e);
                session.markEnded();
                manager.remove(session);
                link.send(CmElements.iqError(iq, StanzaErrorCondition.INTERNAL_SERVER_ERROR, null));
                return;
            }
            session.attach(hostSession);
        }
        link.send(CmElements.iqResult(iq));
    }

    private void close(CmLink link, ManagerEntry manager, Element iq, SessionIq.Close close) {
        RoutedSession session = manager.remove(close.streamId());
        if (session == null) {
            link.send(CmElements.iqError(iq, StanzaErrorCondition.ITEM_NOT_FOUND, null));
            return;
        }
        session.end();
        link.send(CmElements.iqResult(iq));
    }

    private void failed(CmLink link, ManagerEntry manager, Element iq, SessionIq.Failed failed) {
        RoutedSession session = manager.session(failed.streamId());
        Element stanza;
        try {
            stanza = XmlDom.parse(failed.stanzaXml().getBytes(StandardCharsets.UTF_8), Namespaces.CLIENT);
        } catch (CmProtocolException e) {
            link.send(CmElements.iqError(iq, e.condition(), e.cmCondition()));
            return;
        }
        if (session == null) {
            // Its close crossed this report (a CM stopping closes its clients, then reports what still came): the
            // message is still kept, but the CM hears, as from stock Openfire, that the session is gone.
            host.deliveryFailedAfterSessionEnd(stanza);
            link.send(CmElements.iqError(iq, StanzaErrorCondition.ITEM_NOT_FOUND, null));
            return;
        }
        session.deliveryFailed(stanza);
        link.send(CmElements.iqResult(iq));
    }

    /**
     * The stream id of a {@code type='set'} session IQ that carries none of create/close/failed
     * (the CM's non-destructive existence probe), or null when this IQ is something else.
     */
    private static String probedStreamId(Element iq) {
        Element session = iq.element(QName.get("session", Namespaces.CM_PROTOCOL));
        if (session == null) {
            return null;
        }
        String id = session.attributeValue("id");
        if (id == null || id.isEmpty()) {
            return null; // parseSessionIq answers id-required
        }
        for (Element child : session.elements()) {
            if (Namespaces.CM_PROTOCOL.equals(child.getNamespaceURI())
                    && switch (child.getName()) {
                        case "create", "close", "failed" -> true;
                        default -> false;
                    }) {
                return null;
            }
        }
        return id;
    }

    /** The CM answered one of our IQs (configuration push, session close): no reply, ever. */
    private static void answerToUs(CmLink link, Element iq, String type) {
        if ("error".equals(type)) {
            Element error = iq.element("error");
            String condition = "?";
            if (error != null) {
                for (Element c : error.elements()) {
                    if (Namespaces.STANZAS.equals(c.getNamespaceURI()) && !"text".equals(c.getName())) {
                        condition = c.getName();
                        break;
                    }
                }
            }
            LOG.warn("connection manager link {} rejected our IQ {}: {}", link, iq.attributeValue("id"), condition);
        } else {
            LOG.debug("connection manager link {} acknowledged IQ {}", link, iq.attributeValue("id"));
        }
    }
}
