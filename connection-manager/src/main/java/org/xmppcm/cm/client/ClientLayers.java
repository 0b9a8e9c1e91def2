package org.xmppcm.cm.client;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.cm.tls.ClientTls;
import org.xmppcm.transport.TransportLayers;
import org.xmppcm.transport.compress.ZlibFilter;

/**
 * The layers this CM can put under a client's XML stream, one set per CM: TLS (by STARTTLS or on
 * the direct TLS port) and zlib, put in by {@link TransportLayers}.
 */
final class ClientLayers {

    private static final Logger LOG = LoggerFactory.getLogger(ClientLayers.class);

    private final ClientTls tls;
    private final ZlibFilter zlib;
    private final AtomicBoolean toldTlsRequiredWithoutCertificate = new AtomicBoolean();
    private final AtomicBoolean toldTlsOfferedWithoutCertificate = new AtomicBoolean();

    /**
     * @param tls null when the CM has no certificate
     * @param zlib null when compression is off
     */
    ClientLayers(ClientTls tls, ZlibFilter zlib) {
        this.tls = tls;
        this.zlib = zlib;
    }

    boolean canStartTls() {
        return tls != null;
    }

    boolean canCompress() {
        return zlib != null;
    }

    /** TLS from the next byte on (server side); the handshake starts when the client's hello arrives. */
    void startTls(IoSession session) {
        TransportLayers.addTls(session, tls.filter());
    }

    /** zlib from the next byte on, inside TLS when there is TLS. */
    void startCompression(IoSession session) {
        TransportLayers.addZlib(session, zlib);
    }

    /** The server requires TLS but this CM cannot offer it: said once, loudly, as every client is refused. */
    void tlsRequiredWithoutCertificate() {
        if (toldTlsRequiredWithoutCertificate.compareAndSet(false, true)) {
            LOG.error("The server REQUIRES TLS for clients, but this connection manager has no certificate"
                    + " (client.tls.keystore or client.tls.certificate + client.tls.key): every client is refused"
                    + " with policy-violation until one is configured");
        }
    }

    /** The server offers TLS but this CM cannot: clients get plain streams. Said once. */
    void tlsOfferedWithoutCertificate() {
        if (toldTlsOfferedWithoutCertificate.compareAndSet(false, true)) {
            LOG.warn("The server offers STARTTLS to clients, but this connection manager has no certificate"
                    + " (client.tls.keystore or client.tls.certificate + client.tls.key): clients get plain streams");
        }
    }
}
