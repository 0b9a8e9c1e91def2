package org.xmppcm.cm;

import org.dom4j.Element;
import org.dom4j.QName;
import org.xmppcm.protocol.cm.Namespaces;

/** Stanza errors the CM itself answers with (RFC 6120 8.3). */
final class StanzaErrors {
    private StanzaErrors() {
    }

    /**
     * The error reply to an IQ request that can no longer be delivered: addresses swapped, type
     * error, {@code unexpected-request} (the protocol's failed-delivery rule for IQs).
     */
    static Element unexpectedRequest(Element request) {
        Element reply = request.createCopy();
        String from = request.attributeValue("from");
        String to = request.attributeValue("to");
        reply.addAttribute("from", to);
        reply.addAttribute("to", from);
        reply.addAttribute("type", "error");
        Element error = reply.addElement(QName.get("error", Namespaces.CLIENT));
        error.addAttribute("type", "wait");
        error.addElement(QName.get("unexpected-request", Namespaces.STANZAS));
        return reply;
    }
}
