package org.xmppcm.protocol.cm;

import java.util.Map;
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
 */
public final class RouteCodec {
    private RouteCodec() {
    }

    /**
     * The {@code <route>} for one client stanza. The stanza's start tag gains
     * {@code xmlns='jabber:client'} when it declares no default namespace, and an
     * {@code xmlns:p='...'} for each of its {@link StanzaFrame#inheritedPrefixes()}, taken from
     * {@code streamNamespaces} (the client stream header's declarations).
     */
    public static byte[] wrap(String streamId, StanzaFrame stanza, Map<String, String> streamNamespaces) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * The stanza a {@code <route>} frame read from a link carries: its first child element, or its
     * text unescaped when the server sent the stanza as escaped text.
     *
     * @throws CmProtocolException {@code bad-request} when {@code streamid} is missing or empty or
     *         the route carries nothing; {@code bad-request}/{@code invalid-payload} when the text
     *         is not one well-formed element
     */
    public static RoutedStanza unwrap(StanzaFrame route) throws CmProtocolException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** A route carrying an already serialized stanza (server side: the element's own XML). */
    public static String route(String streamId, String from, String to, String stanzaXml) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
