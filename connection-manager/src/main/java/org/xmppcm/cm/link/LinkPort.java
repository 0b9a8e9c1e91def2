package org.xmppcm.cm.link;

/**
 * What a {@link ServerLink}'s negotiation does to its connection, and the little it reads from it. The MINA session
 * behind it is {@link MinaLinkPort}; tests drive a link through a recording port, without a socket.
 *
 * <p>Calls come from the link's own threads (see the package documentation); an implementation keeps the order of
 * {@link #write}s and runs each layer change in the order asked, before the next bytes are read.
 */
interface LinkPort {
    /** Queues one element, header or whitespace ({@code String} or UTF-8 {@code byte[]}); writes leave in order. */
    void write(Object xml);

    /** The parser expects a new stream header with the next bytes read (RFC 6120 4.3.3: TLS, compression). */
    void restartParser();

    /**
     * TLS goes under everything already in place, the CM as its client; its handshake starts now and ends in
     * {@link ServerLink#tlsSecured()}. Nothing may be written until then.
     */
    void addTls();

    /** zlib goes between TLS (if any) and the parser, both directions compressed from the next byte (XEP-0138). */
    void addZlib();

    /** Closes the connection once what is queued has been written. */
    void closeAfterWrites();

    /** Closes the connection at once, dropping what is still queued. */
    void closeNow();

    /** Connected and not closing. */
    boolean isOpen();

    /** Bytes queued for the server and not yet written. */
    long queuedBytes();

    /** When the server last sent anything, in milliseconds of {@link System#currentTimeMillis()}. */
    long lastReadMillis();
}
