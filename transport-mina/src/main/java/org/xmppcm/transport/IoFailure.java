package org.xmppcm.transport;

import java.io.IOException;
import java.nio.BufferOverflowException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.apache.mina.core.write.WriteException;
import org.apache.mina.core.write.WriteTimeoutException;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.transport.compress.CompressedStreamException;

/**
 * What went wrong under a session, sorted once for every handler's {@code exceptionCaught} (client streams, both ends
 * of a link, the load tool). One policy comes with it: the peer may hear the condition, never the words. A parser's or
 * a library's message goes to our log only; see {@link #streamError()}.
 */
public record IoFailure(Kind kind, Throwable cause, Optional<XmlStreamException> streamError) {
    public enum Kind {
        /** The peer broke the XML stream: answer with {@link #streamError()}'s condition, then close. */
        STREAM_ERROR,
        /** Broken zlib data (XEP-0138 {@code <failure><processing-failed/>}, then close). */
        COMPRESSION,
        /** TLS failed: nothing readable can reach the peer any more, so close without a stream error. */
        TLS,
        /** A write found the session closed: after our own close, that is the end of the stream, not a fault. */
        WRITE_TO_CLOSED,
        /** MINA's TLS pipeline holds at most 64 writes behind a handshake: the peer does not read. */
        WRITE_OVERFLOW,
        /** The peer did not take our bytes within the write timeout: it does not read. */
        WRITE_TIMEOUT,
        /** The connection is gone (reset, broken pipe, and other I/O errors). */
        CONNECTION_LOST,
        /** A bug of ours: log it with its stack trace and end the stream with {@code internal-server-error}. */
        UNEXPECTED
    }

    /** Sorts {@code cause}; the order matters, as the specific kinds are I/O exceptions too. */
    public static IoFailure classify(Throwable cause) {
        Optional<XmlStreamException> streamError = XmppCodec.streamError(cause);
        Kind kind;
        if (streamError.isPresent()) {
            kind = Kind.STREAM_ERROR;
        } else if (cause instanceof CompressedStreamException) {
            kind = Kind.COMPRESSION;
        } else if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
            kind = Kind.TLS;
        } else if (cause instanceof WriteToClosedSessionException) {
            kind = Kind.WRITE_TO_CLOSED;
        } else if (cause instanceof BufferOverflowException) {
            kind = Kind.WRITE_OVERFLOW;
        } else if (cause instanceof WriteTimeoutException) {
            kind = Kind.WRITE_TIMEOUT;
        } else if (cause instanceof IOException || cause instanceof WriteException) {
            kind = Kind.CONNECTION_LOST;
        } else {
            kind = Kind.UNEXPECTED;
        }
        return new IoFailure(kind, cause, streamError);
    }

    /** For a log line: the parser's message for a stream error, else the exception itself. */
    public String describe() {
        return streamError.map(e -> e.condition().elementName() + ": " + e.getMessage()).orElse(cause.toString());
    }
}
