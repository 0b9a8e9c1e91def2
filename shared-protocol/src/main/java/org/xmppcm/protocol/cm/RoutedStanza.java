package org.xmppcm.protocol.cm;

import java.nio.charset.StandardCharsets;

/**
 * What one {@code <route>} carried, ready to write to the client's stream.
 *
 * @param streamId the client session's stream id ({@code streamid} attribute)
 * @param stanza the UTF-8 bytes of the carried element: sliced from the route when it was a child
 *        element, unescaped when it was text (stock Openfire's SASL results and stream errors).
 *        A child with no xmlns inherits {@code jabber:client} on the client's stream, so it is not
 *        rewritten. Owned by the receiver.
 * @param localName local name of the carried element ({@code message}, {@code success}, {@code error}, ...)
 * @param namespace its namespace; {@code jabber:client} when it declared none, and for the
 *        {@code stream} prefix {@code http://etherx.jabber.org/streams}
 */
public record RoutedStanza(String streamId, byte[] stanza, String localName, String namespace) {
    /** True for {@code <stream:error>}: the server ends this client's stream. */
    public boolean isStreamError() {
        return "error".equals(localName) && Namespaces.STREAMS.equals(namespace);
    }

    /** True for SASL {@code <success>}: the client will restart its stream. */
    public boolean isSaslSuccess() {
        return "success".equals(localName) && Namespaces.SASL.equals(namespace);
    }

    public String asString() {
        return new String(stanza, StandardCharsets.UTF_8);
    }
}
