package org.xmppcm.transport;

import java.util.Optional;
import org.apache.mina.core.session.IoSession;
import org.xmppcm.protocol.xml.XmlStreamException;

/** Helpers for handlers of sessions that use {@link XmppCodecFactory}. */
public final class XmppCodec {
    private XmppCodec() {
    }

    /**
     * Makes the decoder expect a new stream header with the next bytes it reads (RFC 6120 stream
     * restart after SASL success, STARTTLS or compression). Safe from any thread; call it
     * before writing the element that lets the peer restart, so the peer's new header can never
     * reach the old stream's parser.
     */
    public static void restartStream(IoSession session) {
        FramingDecoder.requestRestart(session);
    }

    /**
     * Gives back the session's parser memory while its peer is silent (a few KB per idle
     * connection); the next read rebuilds it. Call it only from the session's own I/O thread, e.g.
     * from {@code sessionIdle}, so it cannot race a decode.
     *
     * @return true when released; false when half an element is buffered
     */
    public static boolean trimIdle(IoSession session) {
        return FramingDecoder.trim(session);
    }

    /** The stream error behind a decoder failure, if that is what {@code cause} is. */
    public static Optional<XmlStreamException> streamError(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof XmlStreamException e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
