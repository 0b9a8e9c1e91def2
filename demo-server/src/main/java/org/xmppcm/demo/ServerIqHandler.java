package org.xmppcm.demo;

import org.dom4j.Element;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.StanzaErrorCondition;

/**
 * Answers the IQ requests a bound client addresses to the server or to its own account: ping,
 * software version, service discovery, roster, and the leftovers of stream setup (bind again,
 * legacy session). Everything else is {@code service-unavailable} (RFC 6120 section 8.4).
 */
final class ServerIqHandler {
    static final String SOFTWARE_NAME = "Connection Manager demo server";

    private final Roster roster;
    private final String version;

    ServerIqHandler(Roster roster) {
        this.roster = roster;
        String implementationVersion = ServerIqHandler.class.getPackage().getImplementationVersion();
        this.version = implementationVersion == null ? "dev" : implementationVersion;
    }

    /**
     * The reply to {@code iq}, a get or set with exactly one payload and {@code from} set to the
     * requester's full JID.
     */
    Element answer(String username, Element iq) {
        Element payload = Stanzas.iqPayload(iq);
        boolean get = "get".equals(iq.attributeValue("type"));
        String key = payload.getNamespaceURI() + " " + payload.getName();
        switch (key) {
            case Stanzas.PING + " ping":
                return get ? Stanzas.iqResult(iq) : unavailable(iq);
            case Stanzas.VERSION + " query":
                return get ? version(iq) : unavailable(iq);
            case Stanzas.DISCO_INFO + " query":
                return get ? discoInfo(iq, payload) : unavailable(iq);
            case Stanzas.DISCO_ITEMS + " query":
                // The demo has no components, but an empty list is friendlier to clients than an error.
                return get ? withChild(iq, Stanzas.create("query", Stanzas.DISCO_ITEMS)) : unavailable(iq);
            case Stanzas.ROSTER + " query":
                // The roster is derived from the user list: a set cannot be honoured, so say so.
                return get ? withChild(iq, roster.query(username))
                        : Stanzas.errorReply(iq, StanzaErrorCondition.NOT_ALLOWED);
            case Namespaces.BIND + " bind":
                // RFC 6120 section 7.7.2.2: only one resource per stream.
                return Stanzas.errorReply(iq, StanzaErrorCondition.NOT_ALLOWED);
            case Namespaces.SESSION + " session":
                return get ? unavailable(iq) : Stanzas.iqResult(iq);
            default:
                return unavailable(iq);
        }
    }

    private static Element unavailable(Element iq) {
        return Stanzas.errorReply(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE);
    }

    private static Element withChild(Element iq, Element child) {
        Element result = Stanzas.iqResult(iq);
        result.add(child);
        return result;
    }

    private Element version(Element iq) {
        Element query = Stanzas.create("query", Stanzas.VERSION);
        Stanzas.add(query, "name", Stanzas.VERSION).setText(SOFTWARE_NAME);
        Stanzas.add(query, "version", Stanzas.VERSION).setText(version);
        return withChild(iq, query);
    }

    private static Element discoInfo(Element iq, Element request) {
        if (request.attributeValue("node") != null) {
            return Stanzas.errorReply(iq, StanzaErrorCondition.ITEM_NOT_FOUND);
        }
        Element query = Stanzas.create("query", Stanzas.DISCO_INFO);
        Element identity = Stanzas.add(query, "identity", Stanzas.DISCO_INFO);
        identity.addAttribute("category", "server");
        identity.addAttribute("type", "im");
        identity.addAttribute("name", SOFTWARE_NAME);
        for (String feature : new String[] {Stanzas.DISCO_INFO, Stanzas.DISCO_ITEMS, Stanzas.PING,
                Stanzas.VERSION, Stanzas.MSG_OFFLINE}) {
            Stanzas.add(query, "feature", Stanzas.DISCO_INFO).addAttribute("var", feature);
        }
        return withChild(iq, query);
    }
}
