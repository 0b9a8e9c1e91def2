package org.xmppcm.protocol.cm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Wraps client stanzas into {@code <route>} and takes them out again by splicing bytes, without a DOM.
 *
 * <pre>
 * client stream (default ns jabber:client):  &lt;message to='b'&gt;&lt;body&gt;hi&lt;/body&gt;&lt;/message&gt;
 * link, CM to server:  &lt;route streamid='SID'&gt;&lt;message xmlns='jabber:client' to='b'&gt;&lt;body&gt;hi&lt;/body&gt;&lt;/message&gt;&lt;/route&gt;
 * link, server to CM:  &lt;route streamid="SID" from=".." to=".."&gt;&lt;message to=".."&gt;...&lt;/message&gt;&lt;/route&gt;
 *                      &lt;route from=".." to=".." streamid="SID"&gt;&amp;lt;success xmlns=".."/&amp;gt;&lt;/route&gt;
 * </pre>
 *
 * <p>This is the data path: every client stanza passes through {@link #wrap} and every stanza for
 * a client through {@link #unwrap}. Neither builds a DOM or decodes the stanza into a String; both
 * copy the stanza's bytes exactly once, into the array they return, using {@link TagScanner} to
 * find the places to cut. Stateless and thread-safe.
 *
 * <p>Ownership: the {@link StanzaFrame} passed in is only read; the returned arrays are new and
 * belong to the caller.
 */
public final class RouteCodec {
    private static final byte[] ROUTE_CLOSE = "</route>".getBytes(StandardCharsets.US_ASCII);

    private RouteCodec() {
    }

    /**
     * The {@code <route>} for one client stanza. The stanza's start tag gains
     * {@code xmlns='jabber:client'} when it declares no default namespace, and an
     * {@code xmlns:p='...'} for each of its {@link StanzaFrame#inheritedPrefixes()}, taken from
     * {@code streamNamespaces} (the client stream header's declarations).
     *
     * <pre>
     *   frame:  &lt;message to='bob@example.test/cm4' type='chat' id='m2'&gt;&lt;body&gt;no xmlns&lt;/body&gt;&lt;/message&gt;
     *                   ^ inserted right after the element name
     *   wrap:   &lt;route streamid='a11ce004'&gt;&lt;message xmlns='jabber:client' to='bob@example.test/cm4' ...&gt;...&lt;/message&gt;&lt;/route&gt;
     * </pre>
     *
     * The inserted default namespace is the one the client stream declares
     * ({@code streamNamespaces.get("")}), {@code jabber:client} when it declares none. Inherited
     * prefixes are declared in sorted order, so the output is deterministic.
     *
     * @throws IllegalArgumentException when an inherited prefix is not in {@code streamNamespaces}
     *         (the framer only reports prefixes the stream header declares, so this is a caller bug)
     */
    public static byte[] wrap(String streamId, StanzaFrame stanza, Map<String, String> streamNamespaces) {
        byte[] src = stanza.bytes();
        int insertAt = TagScanner.nameEnd(src, 0, src.length);

        StringBuilder declarations = new StringBuilder(48);
        if (!stanza.declaresDefaultNamespace()) {
            String defaultNs = streamNamespaces.get("");
            declarations.append(" xmlns='");
            XmlEscaping.appendAttribute(declarations, defaultNs == null || defaultNs.isEmpty() ? Namespaces.CLIENT : defaultNs);
            declarations.append('\'');
        }
        Iterable<String> prefixes = stanza.inheritedPrefixes().isEmpty() ? stanza.inheritedPrefixes()
                : new TreeSet<>(stanza.inheritedPrefixes());
        for (String prefix : prefixes) {
            String uri = streamNamespaces.get(prefix);
            if (uri == null || prefix.isEmpty()) {
                throw new IllegalArgumentException("prefix '" + prefix + "' is not declared by the client stream");
            }
            declarations.append(" xmlns:").append(prefix).append("='");
            XmlEscaping.appendAttribute(declarations, uri);
            declarations.append('\'');
        }

        StringBuilder head = new StringBuilder(32 + streamId.length());
        head.append("<route streamid='");
        XmlEscaping.appendAttribute(head, streamId);
        head.append("'>");

        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] declBytes = declarations.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[headBytes.length + src.length + declBytes.length + ROUTE_CLOSE.length];
        int at = 0;
        System.arraycopy(headBytes, 0, out, at, headBytes.length);
        at += headBytes.length;
        System.arraycopy(src, 0, out, at, insertAt);
        at += insertAt;
        System.arraycopy(declBytes, 0, out, at, declBytes.length);
        at += declBytes.length;
        System.arraycopy(src, insertAt, out, at, src.length - insertAt);
        at += src.length - insertAt;
        System.arraycopy(ROUTE_CLOSE, 0, out, at, ROUTE_CLOSE.length);
        return out;
    }

    /**
     * The stanza a {@code <route>} of our own making carries, parsed afresh: for the rare one that must be given back
     * to its sender (bounced, stored) after its link was lost. Null for anything else we write on a link (session IQs)
     * and for a route that carries no element (escaped SASL text).
     */
    public static org.dom4j.Element carriedStanza(byte[] routeXml) {
        if (!org.xmppcm.protocol.ack.AckElements.isCounted(routeXml) || routeXml[1] != 'r') {
            return null; // not "<route ..."
        }
        try {
            org.dom4j.Element route = XmlDom.parse(routeXml, Namespaces.CLIENT);
            return route.elements().isEmpty() ? null : route.elements().get(0).createCopy();
        } catch (CmProtocolException e) {
            return null;
        }
    }

    /**
     * The stanza a {@code <route>} frame read from a link carries: its one child element, or its
     * text unescaped when the server sent the stanza as escaped text.
     *
     * <pre>
     *   element form (04):  &lt;route streamid="b0b00004" from="example.test" to="cmtest"&gt;&lt;message to=".." ...&gt;...&lt;/message&gt;&lt;/route&gt;
     *                       stanza = the exact bytes &lt;message ...&gt;...&lt;/message&gt;, namespace jabber:client
     *   text form (04, 05, 08):  &lt;route from="example.test" to="cmtest" streamid="a11ce004"&gt;&amp;lt;success xmlns="urn:ietf:params:xml:ns:xmpp-sasl"/&amp;gt;&lt;/route&gt;
     *                       stanza = &lt;success xmlns="urn:ietf:params:xml:ns:xmpp-sasl"/&gt;, namespace ...xmpp-sasl
     * </pre>
     *
     * <p>A route error ({@link #isError}) is not a stanza for the client; callers check it first
     * (unwrapped anyway, it yields the {@code <error>} element). White space around the stanza is skipped. A route
     * carries exactly one stanza: one with two or more children (or text beside its element) is refused with
     * {@code invalid-payload}, as an empty one is. Stock Openfire silently processes only the first child (06a case
     * 16) and loses the rest without a word; we do not copy that. The children are counted by the same scan that
     * finds the first one's end: what follows it is only looked at, and is nothing but the end tag on every good
     * route. An element child is sliced unchanged: a child without {@code xmlns} inherits {@code jabber:client}
     * once written to the client's stream, and a {@code stream:} prefix resolves there too, because the client
     * stream header declares it. Only prefixes declared on the {@code <route>} start tag itself (never seen in
     * practice) would be lost.
     * Text is decoded (entity and character references, CDATA sections) and must be exactly one
     * element, checked for balanced tags by {@link TagScanner}.
     *
     * <p>The reported namespace: the element's own {@code xmlns}, or {@code jabber:client} when it
     * has none; for a prefix, its declaration on the element, else on the route, else
     * {@code http://etherx.jabber.org/streams} for {@code stream}.
     *
     * @throws CmProtocolException {@code bad-request} when {@code streamid} is missing or empty;
     *         {@code bad-request}/{@code invalid-payload} when the route carries nothing, more than one
     *         element, or text that is not one well-formed element
     * @throws IllegalArgumentException when the frame is not a {@code <route>}
     */
    public static RoutedStanza unwrap(StanzaFrame route) throws CmProtocolException {
        if (!"route".equals(route.localName())) {
            throw new IllegalArgumentException("not a route: " + route.localName());
        }
        String streamId = route.attribute("streamid");
        if (streamId == null || streamId.isEmpty()) {
            throw new CmProtocolException(StanzaErrorCondition.BAD_REQUEST, null, "route without streamid");
        }
        byte[] b = route.bytes();
        int limit = route.contentEnd();
        int start = TagScanner.skipWhitespace(b, route.contentStart(), limit);
        if (start >= limit) {
            throw new CmProtocolException(StanzaErrorCondition.BAD_REQUEST, CmErrorCondition.INVALID_PAYLOAD,
                    "route for " + streamId + " carries nothing");
        }
        try {
            if (b[start] == '<' && start + 1 < limit && b[start + 1] != '!' && b[start + 1] != '?') {
                int end = TagScanner.elementEnd(b, start, limit);
                if (end < 0) {
                    throw invalid(streamId, "child element does not end inside the route");
                }
                int after = TagScanner.skipWhitespace(b, end, limit);
                if (after < limit) {
                    throw invalid(streamId, b[after] == '<'
                            ? "carries " + topLevelElements(b, start, limit) + " stanzas, not one"
                            : "mixes its stanza with text");
                }
                TagScanner.StartTag tag = TagScanner.readStartTag(b, start, end, true);
                String namespace = namespaceOf(tag, route);
                return new RoutedStanza(streamId, Arrays.copyOfRange(b, start, end), tag.localName(), namespace);
            }
            byte[] text = decodeText(b, start, limit);
            int s = TagScanner.skipWhitespace(text, 0, text.length);
            if (s >= text.length || text[s] != '<') {
                throw invalid(streamId, "text is not an element");
            }
            int end = TagScanner.elementEnd(text, s, text.length);
            if (end < 0) {
                throw invalid(streamId, "escaped element is incomplete");
            }
            if (TagScanner.skipWhitespace(text, end, text.length) != text.length) {
                throw invalid(streamId, "escaped text holds more than one element");
            }
            TagScanner.StartTag tag = TagScanner.readStartTag(text, s, end, true);
            String namespace = namespaceOf(tag, route);
            byte[] stanza = s == 0 && end == text.length ? text : Arrays.copyOfRange(text, s, end);
            return new RoutedStanza(streamId, stanza, tag.localName(), namespace);
        } catch (IllegalArgumentException e) {
            throw invalid(streamId, e.getMessage());
        }
    }

    /**
     * True for a route error ({@code <route streamid="nosuchsid" type="error"><error .../></route>},
     * 04/06a): the server refused a route, and its child is the {@code <error>}, not a stanza for the
     * client. Check this before {@link #unwrap}; read the error with {@link CmElements#parseError}.
     */
    public static boolean isError(StanzaFrame route) {
        return "error".equals(route.attribute("type"));
    }

    /** A route carrying an already serialized stanza (server side: the element's own XML). */
    public static String route(String streamId, String from, String to, String stanzaXml) {
        return new XmlWriter().start("route").attr("streamid", streamId).optAttr("from", from).optAttr("to", to)
                .raw(stanzaXml).end().toString();
    }

    private static String namespaceOf(TagScanner.StartTag tag, StanzaFrame route) {
        String prefix = tag.prefix();
        String declared = tag.declaration(prefix);
        if (declared != null) {
            return declared;
        }
        if (prefix.isEmpty()) {
            return Namespaces.CLIENT;
        }
        String onRoute = TagScanner.readStartTag(route.bytes(), 0, route.contentStart(), true).declaration(prefix);
        if (onRoute != null) {
            return onRoute;
        }
        if ("stream".equals(prefix)) {
            return Namespaces.STREAMS;
        }
        throw new IllegalArgumentException("prefix '" + prefix + "' of <" + tag.qualifiedName() + "> is not declared");
    }

    /** Character data of {@code [from, to)} with references resolved and CDATA sections unwrapped. */
    private static byte[] decodeText(byte[] b, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        int i = from;
        while (i < to) {
            int lt = indexOf(b, (byte) '<', i, to);
            int segmentEnd = lt < 0 ? to : lt;
            byte[] text = XmlEscaping.unescape(b, i, segmentEnd);
            out.write(text, 0, text.length);
            if (lt < 0) {
                break;
            }
            if (!TagScanner.startsWith(b, lt, to, "<![CDATA[")) {
                throw new IllegalArgumentException("route mixes text and elements");
            }
            int close = TagScanner.indexOf(b, lt + 9, to, "]]>");
            if (close < 0) {
                throw new IllegalArgumentException("unterminated CDATA section");
            }
            out.write(b, lt + 9, close - lt - 9);
            i = close + 3;
        }
        return out.toByteArray();
    }

    /**
     * How many elements follow one another (white space between) in {@code [from, limit)}, counting until
     * something else comes; for the message of a refused route only, never on the data path.
     */
    private static int topLevelElements(byte[] b, int from, int limit) {
        int count = 0;
        int i = TagScanner.skipWhitespace(b, from, limit);
        while (i < limit && b[i] == '<') {
            int end = TagScanner.elementEnd(b, i, limit);
            if (end < 0) {
                break;
            }
            count++;
            i = TagScanner.skipWhitespace(b, end, limit);
        }
        return count;
    }

    private static CmProtocolException invalid(String streamId, String why) {
        return new CmProtocolException(StanzaErrorCondition.BAD_REQUEST, CmErrorCondition.INVALID_PAYLOAD,
                "route for " + streamId + ": " + why);
    }

    private static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
