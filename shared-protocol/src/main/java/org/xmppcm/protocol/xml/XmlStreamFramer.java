package org.xmppcm.protocol.xml;

/**
 * A strict, non-blocking framer for one direction of an XML stream: bytes in (split anywhere),
 * stream events out. Per-connection state; not thread-safe; one instance per connection direction.
 *
 * <p>Rules (RFC 6120 section 11): namespace-aware and well-formed; no DTD, processing instruction
 * (other than the XML declaration at stream start), comment, or entity reference other than the
 * five predefined ones and character references ({@code restricted-xml}); malformed input
 * ({@code not-well-formed}); a root element other than {@code stream} in
 * {@code http://etherx.jabber.org/streams} ({@code invalid-namespace}); a top-level element larger
 * than the limit, or bytes buffered while waiting for the stream header above the limit
 * ({@code policy-violation}). Only UTF-8 is accepted ({@code unsupported-encoding}).
 *
 * <p>Ownership: {@link #feed} copies what it needs; the caller keeps its array and may reuse it as
 * soon as the call returns. Memory held between calls is bounded by the limit: at most one
 * partial top-level element.
 */
public final class XmlStreamFramer {
    private final int maxElementBytes;

    /**
     * @param maxElementBytes the largest top-level element accepted, in bytes (the stanza size limit)
     */
    public XmlStreamFramer(int maxElementBytes) {
        if (maxElementBytes < 64) {
            throw new IllegalArgumentException("maxElementBytes must be at least 64: " + maxElementBytes);
        }
        this.maxElementBytes = maxElementBytes;
    }

    public int maxElementBytes() {
        return maxElementBytes;
    }

    /**
     * Parses {@code len} bytes from {@code data[offset]}, delivering every complete event to
     * {@code listener} before returning.
     *
     * @throws XmlStreamException when the stream is broken; the framer is unusable afterwards
     */
    public void feed(byte[] data, int offset, int len, FramerListener listener) throws XmlStreamException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Forgets the current stream: the next bytes must start a new stream (optionally with an XML
     * declaration). Used for the stream restarts after SASL success, STARTTLS and compression.
     */
    public void restart() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** True once {@code </stream:stream>} was read. */
    public boolean isClosed() {
        return false;
    }
}
