package org.xmppcm.plugin.core;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmppcm.protocol.cm.Namespaces;

/**
 * What a client sent through its connection manager, as far as handing it to Openfire goes. Openfire's multiplexer
 * router takes SASL {@code auth} and {@code response} and the three stanzas, but not {@code abort}: stock Openfire
 * answers an abort with an {@code unknown-stanza} route error and leaves the client waiting. The adapter answers it
 * itself, as RFC 6120 section 6.4.4 says.
 */
public enum ClientInput {
    /** {@code auth} or {@code response}: Openfire's SASL handling. */
    SASL_STEP,
    /** {@code abort}: answered with {@link #abortedFailure()}. */
    SASL_ABORT,
    /** {@code message}, {@code presence} or {@code iq} in jabber:client: Openfire's packet routing. */
    STANZA,
    /** Anything else: the client's stream ends with {@code unsupported-stanza-type} (RFC 6120 section 4.9.3.24). */
    UNSUPPORTED;

    public static ClientInput classify(Element element) {
        String ns = element.getNamespaceURI();
        String name = element.getName();
        if (Namespaces.SASL.equals(ns)) {
            return switch (name) {
                case "auth", "response" -> SASL_STEP;
                case "abort" -> SASL_ABORT;
                default -> UNSUPPORTED;
            };
        }
        if (Namespaces.CLIENT.equals(ns)) {
            return switch (name) {
                case "message", "presence", "iq" -> STANZA;
                default -> UNSUPPORTED;
            };
        }
        return UNSUPPORTED;
    }

    /** {@code <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><aborted/></failure>}, a new element each call. */
    public static Element abortedFailure() {
        Element failure = DocumentHelper.createElement(QName.get("failure", Namespaces.SASL));
        failure.addElement(QName.get("aborted", Namespaces.SASL));
        return failure;
    }
}
