package org.xmppcm.transport.tls;

import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * MINA's TLS filter in server mode, as both ends of our links and the CM's client side need it:
 * <ul>
 *   <li>on MINA 2.2's synchronized pipeline: the non-blocking one reordered records under concurrent writes here (the
 *       peer saw "Tag mismatch");</li>
 *   <li>without a peer name: MINA names the engine after {@code getHostName()} of the peer, a reverse DNS lookup on the
 *       I/O thread, and a server has no use for the name (it only keys client-side session resumption).</li>
 * </ul>
 */
public final class ServerSslFilter extends SslFilter {
    /** @param protocols the TLS versions to enable, e.g. TLSv1.3 and TLSv1.2 */
    public ServerSslFilter(SSLContext context, String... protocols) {
        super(context);
        setUseNonBlockingPipeline(false);
        if (protocols.length > 0) {
            setEnabledProtocols(protocols);
        }
    }

    @Override
    protected SSLEngine createEngine(IoSession session, InetSocketAddress address) {
        return super.createEngine(session, null);
    }

    /**
     * The monitor the synchronized pipeline holds while it decrypts a session's bytes and passes them up the chain,
     * and takes again for every write; null when the session has no TLS (yet). A thread that writes to the session
     * while holding a lock the session's I/O thread also takes under this monitor must take this monitor first, or
     * the two deadlock.
     */
    public static Object engineLock(IoSession session) {
        return session.getAttribute(SSL_HANDLER);
    }
}
