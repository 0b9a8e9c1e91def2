package org.xmppcm.engine;

import java.net.SocketAddress;
import javax.net.ssl.SSLContext;

/**
 * Everything a {@link CmLink} does to its connection, so that the negotiation can run without a socket:
 * {@link MinaLinkPort} on a MINA session, a recording port in tests.
 *
 * <p>Each call acts at once on the calling thread and never blocks: a write is queued, a layer is in the chain
 * when the call returns (so a write queued before it is below it, and one after it goes through it). Safe from any
 * thread; the link decides who calls what (see the package documentation).
 */
interface LinkPort {
    /** Queues {@code xml} for the CM. */
    void write(String xml);

    /** TLS (server side) from the next byte on, in both directions. */
    void addTls(SSLContext context);

    /** zlib from the next byte on, in both directions (inside TLS when there is TLS). */
    void addZlib();

    boolean hasTls();

    boolean hasZlib();

    /** The next bytes read start a new stream: the parser forgets the old one before it reads them. */
    void restartParser();

    /** Stops reading on behalf of {@code reason} until {@link #resumeReads} for it (and every other reason). */
    void pauseReads(Object reason);

    void resumeReads(Object reason);

    boolean readsPaused();

    /** Closes once what is queued is written; a CM that does not read it within {@code drainSeconds} is cut. */
    void closeAfterFlush(int drainSeconds);

    /** Closes at once; what is queued is dropped. */
    void closeNow();

    SocketAddress remoteAddress();

    /** What is queued and not yet written, in bytes. */
    long queuedBytes();

    /** When a byte was last written, in epoch milliseconds. */
    long lastWriteMillis();

    long bytesRead();

    long bytesWritten();
}
