package org.xmppcm.cm.client;

import org.dom4j.Element;
import org.dom4j.QName;
import org.xmppcm.protocol.cm.Namespaces;

/** Stanza errors the CM itself answers with (RFC 6120 8.3). */
public final class StanzaErrors {
    private StanzaErrors() {
    }

    /**
     * The error reply to an IQ request that can no longer be delivered: addresses swapped, type
     * error, {@code unexpected-request} (the protocol's failed-delivery rule for IQs).
     */
    public static Element unexpectedRequest(Element request) {
        Element reply = errorReply(request);
        reply.element("error").addElement(QName.get("unexpected-request", Namespaces.STANZAS));
        return reply;
    }

    /** {@code stanza} with its addresses swapped, {@code type='error'} and an empty {@code wait} error to fill. */
    private static Element errorReply(Element stanza) {
        Element reply = stanza.createCopy();
        String from = stanza.attributeValue("from");
        String to = stanza.attributeValue("to");
        reply.addAttribute("from", to);
        reply.addAttribute("to", from);
        reply.addAttribute("type", "error");
        reply.addElement(QName.get("error", Namespaces.CLIENT)).addAttribute("type", "wait");
        return reply;
    }

    /**
     * What goes back to a client for a stanza of its own that the server never took (the link was lost and the
     * server did not come back for it in time): the stanza with its addresses swapped, {@code type='error'}, and a
     * {@code wait} error (RFC 6120 8.3.3.8), so that the client may try again. Null for what must not be answered:
     * errors, IQ results, and anything not a stanza (SASL).
     */
    static Element undelivered(Element stanza) {
        String name = stanza.getName();
        String type = stanza.attributeValue("type", "");
        boolean iq = name.equals("iq");
        if (!name.equals("message") && !name.equals("presence") && !iq
                || type.equals("error") || iq && !type.equals("get") && !type.equals("set")) {
            return null;
        }
        Element reply = errorReply(stanza);
        Element error = reply.element("error");
        error.addElement(QName.get("internal-server-error", Namespaces.STANZAS));
        error.addElement(QName.get("text", Namespaces.STANZAS))
                .setText("The connection manager lost its link to the server before the server took this stanza");
        return reply;
    }
}
