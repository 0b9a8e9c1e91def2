package org.xmppcm.protocol.xml;

/**
 * Receives what {@link XmlStreamFramer} reads, synchronously, on the thread that fed the bytes.
 */
public interface FramerListener {
    /** The stream header was read. For a restarted stream (after {@link XmlStreamFramer#restart()}) too. */
    void streamOpened(StreamOpen open) throws XmlStreamException;

    /** One complete top-level element was read. */
    void frame(StanzaFrame frame) throws XmlStreamException;

    /** The peer closed its stream with {@code </stream:stream>}. Nothing more will be read. */
    void streamClosed() throws XmlStreamException;

    /** Whitespace between top-level elements (a keepalive). Default: ignore. */
    default void whitespace() {
    }
}
