package org.xmppcm.plugin.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dom4j.Element;
import org.dom4j.Node;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Turns text that Openfire writes to a client connection as raw XML back into elements, so that nothing reaches a
 * connection manager as escaped text. Openfire's SASL code writes {@code <challenge>}, {@code <success>} and
 * {@code <failure>} that way, and its conflict and not-authorized paths write a {@code <stream:error>}; stock
 * Openfire forwards that text escaped inside {@code <route>} ({@code 05-scram-sha1.txt},
 * {@code 08-server-initiated-close.txt}).
 *
 * <pre>
 *   raw text:  &lt;success xmlns="urn:ietf:params:xml:ns:xmpp-sasl"&gt;dj1...&lt;/success&gt;
 *   becomes:   deliver [success element]
 *   raw text:  &lt;stream:error xmlns:stream="..."&gt;&lt;conflict xmlns="urn:ietf:params:xml:ns:xmpp-streams"/&gt;&lt;/stream:error&gt;
 *   becomes:   end the client's stream with CONFLICT
 * </pre>
 *
 * <p>The text is parsed in a scope that declares {@code jabber:client} as the default namespace and the
 * {@code stream} prefix, as a client stream would: so an undeclared {@code stream:} prefix or a stanza without
 * {@code xmlns} still parse. Parsing is the hardened parser of {@link XmlDom} (no DTD, no external entities).
 */
public final class RawText {
    private static final String STREAM_END = "</stream:stream>";
    private static final String CONTAINER = "raw-text";
    private static final Set<String> SASL_REPLIES = Set.of("challenge", "success", "failure");
    private static final Set<String> STANZAS = Set.of("message", "presence", "iq");

    /**
     * What to do with one piece of raw text, in order: deliver {@code deliver}, then, when {@code endStream} is not
     * null, end the client's stream with it.
     *
     * @param deliver SASL replies and stanzas, in text order, up to the first stream error
     * @param endStream the condition of the first stream error, or null
     * @param ignored the names of elements that are neither (e.g. stream management's {@code <r/>}), for logging
     */
    public record Translation(List<Element> deliver, StreamErrorCondition endStream, List<String> ignored) {
        public Translation {
            deliver = List.copyOf(deliver);
            ignored = List.copyOf(ignored);
        }
    }

    private RawText() {
    }

    /**
     * @throws IllegalArgumentException when the text is not a sequence of whole elements (e.g. an unclosed stream
     *         header); the caller drops it and logs, it is never forwarded as text
     */
    public static Translation translate(String text) {
        List<Element> deliver = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        String body = text == null ? "" : text.strip();
        if (body.endsWith(STREAM_END)) {
            // The stream's end is the connection's business: the close that follows it ends the session.
            body = body.substring(0, body.length() - STREAM_END.length()).strip();
        }
        if (body.isEmpty()) {
            return new Translation(deliver, null, ignored);
        }
        Element container = parse(body);
        for (Node node : container.content()) {
            if (node.getNodeType() == Node.TEXT_NODE && !node.getText().isBlank()) {
                throw new IllegalArgumentException("text between elements: " + abbreviate(node.getText()));
            }
        }
        for (Element element : container.elements()) {
            String ns = element.getNamespaceURI();
            String name = element.getName();
            if (Namespaces.STREAMS.equals(ns) && "error".equals(name)) {
                return new Translation(deliver, StreamErrors.conditionOf(element), ignored);
            } else if (Namespaces.SASL.equals(ns) && SASL_REPLIES.contains(name)
                    || Namespaces.CLIENT.equals(ns) && STANZAS.contains(name)) {
                element.detach();
                deliver.add(element);
            } else {
                ignored.add("{" + ns + "}" + name);
            }
        }
        return new Translation(deliver, null, ignored);
    }

    private static Element parse(String body) {
        String xml = "<" + CONTAINER + " xmlns='" + Namespaces.CLIENT + "' xmlns:stream='" + Namespaces.STREAMS
                + "'>" + body + "</" + CONTAINER + ">";
        try {
            return XmlDom.parse(xml, null);
        } catch (CmProtocolException e) {
            throw new IllegalArgumentException("not whole elements: " + e.getMessage() + ": " + abbreviate(body), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
