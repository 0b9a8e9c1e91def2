package org.xmppcm.demo;

import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.StanzaErrorCondition;

/**
 * Building blocks for the stanzas the demo server writes. Every element is created with an
 * explicit namespace: the engine serializes what it is given, so a missing {@code jabber:client}
 * would reach the client as a wrong-namespace element.
 */
final class Stanzas {
    static final String ROSTER = "jabber:iq:roster";
    static final String PING = "urn:xmpp:ping";
    static final String VERSION = "jabber:iq:version";
    static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    static final String DELAY = "urn:xmpp:delay";
    /** XEP-0160's disco feature telling clients the server stores messages offline. */
    static final String MSG_OFFLINE = "msgoffline";

    private Stanzas() {
    }

    static Element create(String name, String namespace) {
        return DocumentHelper.createElement(QName.get(name, namespace));
    }

    static Element add(Element parent, String name, String namespace) {
        return parent.addElement(QName.get(name, namespace));
    }

    /** A child in {@code jabber:client}, the namespace every stanza payload without its own inherits. */
    static Element addClient(Element parent, String name) {
        return add(parent, name, Namespaces.CLIENT);
    }

    static boolean isStanza(Element element) {
        if (!Namespaces.CLIENT.equals(element.getNamespaceURI())) {
            return false;
        }
        String name = element.getName();
        return "message".equals(name) || "presence".equals(name) || "iq".equals(name);
    }

    /** The one payload child of an IQ, or null when it has none or several (RFC 6120 section 8.2.3). */
    static Element iqPayload(Element iq) {
        List<Element> children = iq.elements();
        return children.size() == 1 ? children.get(0) : null;
    }

    /** An empty IQ result answering {@code request}: same id, addresses swapped. */
    static Element iqResult(Element request) {
        Element result = create("iq", Namespaces.CLIENT);
        result.addAttribute("type", "result");
        result.addAttribute("id", request.attributeValue("id"));
        result.addAttribute("from", request.attributeValue("to"));
        result.addAttribute("to", request.attributeValue("from"));
        return result;
    }

    static Element errorReply(Element original, StanzaErrorCondition condition) {
        return errorReply(original, condition.elementName(), condition.type());
    }

    /**
     * The error reply RFC 6120 section 8.3.1 describes: the original stanza with addresses
     * swapped, {@code type='error'}, its children kept, and an {@code <error/>} child appended.
     * Some conditions (jid-malformed, remote-server-not-found) are not in StanzaErrorCondition,
     * hence the string form.
     */
    static Element errorReply(Element original, String condition, String errorType) {
        Element reply = original.createCopy();
        String from = original.attributeValue("from");
        String to = original.attributeValue("to");
        reply.addAttribute("from", to);
        reply.addAttribute("to", from);
        reply.addAttribute("type", "error");
        Element error = addClient(reply, "error");
        error.addAttribute("type", errorType);
        add(error, condition, Namespaces.STANZAS);
        return reply;
    }

    /** Whether an error must never be answered with another error (RFC 6120 section 8.3.1). */
    static boolean isErrorOrResult(Element stanza) {
        String type = stanza.attributeValue("type");
        return "error".equals(type) || ("iq".equals(stanza.getName()) && "result".equals(type));
    }
}
