package org.xmppcm.engine;

import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.CmErrorCondition;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.cm.StanzaErrorCondition;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * {@code <route streamid='SID'>STANZA</route>} from a CM: one client element for one session.
 * A bad route gets a route error and the link stays up: it concerns one client, not the link
 * (stock Openfire drops the whole link with every client on it).
 */
final class RouteHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RouteHandler.class);

    void handle(CmLink link, StanzaFrame route) {
        String streamId = route.attribute("streamid");
        if (!link.isAuthenticated()) {
            link.send(CmElements.routeError(streamId == null ? "" : streamId, StanzaErrorCondition.NOT_AUTHORIZED, null));
            return;
        }
        if (RouteCodec.isError(route)) {
            // Never answer an error with an error: that is how two peers ping-pong forever.
            LOG.debug("connection manager link {} reported a route error for {}: {}", link, streamId, route.asString());
            return;
        }
        if (streamId == null || streamId.isEmpty()) {
            link.send(CmElements.routeError("", StanzaErrorCondition.BAD_REQUEST, CmErrorCondition.ID_REQUIRED));
            return;
        }
        RoutedSession session = link.manager().session(streamId);
        if (session == null) {
            link.send(CmElements.routeError(streamId, StanzaErrorCondition.ITEM_NOT_FOUND, null));
            return;
        }
        Element stanza;
        try {
            RoutedStanza carried = RouteCodec.unwrap(route);
            if (!isClientElement(carried.localName(), carried.namespace())) {
                link.send(CmElements.routeError(streamId, StanzaErrorCondition.BAD_REQUEST, CmErrorCondition.UNKNOWN_STANZA));
                return;
            }
            // A child without xmlns inherits jabber:client, as on the client's own stream.
            stanza = XmlDom.parse(carried.stanza(), Namespaces.CLIENT);
        } catch (CmProtocolException e) {
            LOG.debug("bad route for {} on {}: {}", streamId, link, e.getMessage());
            CmErrorCondition detail = e.cmCondition() != null ? e.cmCondition() : CmErrorCondition.INVALID_PAYLOAD;
            link.send(CmElements.routeError(streamId, e.condition(), detail));
            return;
        }
        session.inputFrom(link);
        session.received(stanza);
    }

    /** What a client may send through the CM: the three stanzas, and SASL negotiation. */
    static boolean isClientElement(String localName, String namespace) {
        if (Namespaces.CLIENT.equals(namespace)) {
            return switch (localName) {
                case "message", "presence", "iq" -> true;
                default -> false;
            };
        }
        if (Namespaces.SASL.equals(namespace)) {
            return switch (localName) {
                case "auth", "response", "abort" -> true;
                default -> false;
            };
        }
        return false;
    }
}
