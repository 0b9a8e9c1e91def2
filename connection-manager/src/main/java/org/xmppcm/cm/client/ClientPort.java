package org.xmppcm.cm.client;

import java.net.SocketAddress;

/**
 * Everything a {@link ClientStream} does to its connection: what it writes, the layers it puts under its parser, its
 * reads paused and resumed, its close. {@link MinaClientPort} is the adapter to a MINA session; tests record the
 * calls instead. Called from the stream's lane only (one thread at a time), except {@link #pauseReads} and
 * {@link #resumeReads}, which come from whichever thread fills or empties the lane.
 */
interface ClientPort {
    /** Queues {@code xml} for the client; returns at once (the write completes on the I/O thread). */
    void write(String xml);

    /** Queues a stanza's bytes (UTF-8) for the client; the port keeps the array. */
    void write(byte[] xml);

    /**
     * The parser expects a new stream header with the next bytes read (RFC 6120 4.3.3). Called before the element
     * that lets the client restart is written, so its new header can never reach the old stream's parser.
     */
    void restartParser();

    /** A certificate is configured, so STARTTLS can be offered. */
    boolean canAddTls();

    /**
     * TLS in server mode under everything, for the next byte read on; what was written before (the {@code <proceed/>})
     * leaves in clear. The handshake starts with the client's hello.
     */
    void addTls();

    /** TLS is under the stream: from the first byte (the direct TLS port) or after STARTTLS. */
    boolean hasTls();

    /** zlib is configured, so compression can be offered. */
    boolean canAddZlib();

    /** zlib under the parser (inside TLS if any), for the next byte read on; what was written before leaves as it was. */
    void addZlib();

    boolean hasZlib();

    /** Stops reading the client until every reason given here has been withdrawn by {@link #resumeReads}. */
    void pauseReads(Object reason);

    void resumeReads(Object reason);

    /** Whether the client is not being read now, for any reason (a full hold, a congested link, the lane). */
    boolean readsPaused();

    /** Closes the connection once what was written has left. */
    void closeAfterFlush();

    /** Closes the connection now; what waits to be written is dropped. */
    void closeNow();

    /** The client's address, for the server's session create. */
    SocketAddress remoteAddress();

    /** After a route: lets {@code uplink} pause this client's reads while the link the route went on is congested. */
    void slowDownIfCongested(Uplink uplink, String streamId);

    /**
     * The server's TLS policy asks for TLS (required, or only offered when not {@code required}) but this CM has no
     * certificate: said once for the CM, loudly, not once per client.
     */
    void tlsUnavailable(boolean required);
}
