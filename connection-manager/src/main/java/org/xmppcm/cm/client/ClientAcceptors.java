package org.xmppcm.cm.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.cm.CmSettings;
import org.xmppcm.cm.tls.ClientSecurity;
import org.xmppcm.cm.tls.ClientTls;
import org.xmppcm.transport.CompactSessionData;
import org.xmppcm.transport.compress.ZlibFilter;

/**
 * The TLS and compression side of the client acceptor: the client handler with the layers a
 * stream can negotiate, and the ports, the plain client port and, with a certificate, the direct
 * TLS port (XEP-0368). One acceptor serves both ports, so both share the I/O threads, the
 * filters, statistics and shutdown; a session on the direct TLS port gets TLS first in its chain
 * the moment it is created, before any other filter can write to it.
 *
 * <p>The certificate is loaded here, at construction: a broken TLS file stops the CM at startup
 * with a message naming it, rather than at the first client's handshake.
 */
public final class ClientAcceptors {
    private static final Logger LOG = LoggerFactory.getLogger(ClientAcceptors.class);

    private final CmSettings settings;
    private final NioSocketAcceptor acceptor;
    private final boolean directTlsEnabled;
    private volatile int port = -1;
    private volatile int directTlsPort = -1;

    /**
     * Sets the acceptor's handler and, with a direct TLS port, puts the filter that secures its
     * sessions first in the chain; the XML codec filter must already be there as
     * {@value ClientLayers#XMPP}.
     *
     * @throws org.xmppcm.cm.tls.TlsSetupException when the certificate cannot be used
     */
    public ClientAcceptors(CmSettings settings, ClientContext context, NioSocketAcceptor acceptor) {
        this.settings = settings;
        this.acceptor = acceptor;
        ClientSecurity security = settings.clientSecurity();
        ClientTls tls = security.hasCertificate() ? ClientTls.create(security) : null;
        ZlibFilter zlib = security.compression() ? new ZlibFilter(security.zlib()) : null;
        ClientLayers layers = new ClientLayers(tls, zlib);
        directTlsEnabled = tls != null && security.directTlsAddress() != null;
        if (directTlsEnabled) {
            acceptor.getFilterChain().addFirst("direct-tls-port", new DirectTlsPort(layers));
        }
        acceptor.setHandler(new ClientHandler(context, layers));
        // Hundreds of thousands of mostly idle sessions: their attributes in arrays, not hash maps.
        acceptor.setSessionDataStructureFactory(new CompactSessionData());
    }

    /**
     * Fails, with a message naming the setting to change, when a client port is taken: checked before the CM
     * connects to the server, so that a process that cannot serve clients never takes over its manager's links (and
     * with them the sessions of the process already running).
     */
    public void checkAvailable() throws IOException {
        checkAvailable(settings.clientAddress(), "client.port (or --client-port N)");
        if (directTlsEnabled) {
            checkAvailable(settings.clientSecurity().directTlsAddress(), "client.tls.direct.port");
        }
    }

    public static void checkAvailable(InetSocketAddress address, String setting) throws IOException {
        if (address.getPort() == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true); // as the acceptor binds: a port in TIME_WAIT is free
            probe.bind(address);
        } catch (java.net.BindException e) {
            throw inUse(address, setting, e);
        }
    }

    private static IOException inUse(InetSocketAddress address, String setting, java.net.BindException cause) {
        return new IOException("the client port " + address.getHostString() + ":" + address.getPort() + " is already in"
                + " use (" + cause.getMessage() + "): stop what holds it, or set " + setting + " to a free port", cause);
    }

    /** Opens the client port, then the direct TLS port when there is one. */
    public void bind() throws IOException {
        try {
            acceptor.bind(settings.clientAddress());
        } catch (java.net.BindException e) {
            throw inUse(settings.clientAddress(), "client.port (or --client-port N)", e);
        }
        InetSocketAddress plain = (InetSocketAddress) acceptor.getLocalAddress();
        port = plain.getPort();
        LOG.info("Accepting clients on {} for domain {}", plain, settings.xmppDomain());
        if (directTlsEnabled) {
            Set<SocketAddress> before = Set.copyOf(acceptor.getLocalAddresses());
            acceptor.bind(settings.clientSecurity().directTlsAddress());
            for (SocketAddress address : acceptor.getLocalAddresses()) {
                if (!before.contains(address)) {
                    directTlsPort = ((InetSocketAddress) address).getPort();
                    LOG.info("Accepting direct TLS clients (XEP-0368) on {}", address);
                }
            }
        } else if (settings.clientSecurity().directTlsAddress() != null) {
            LOG.info("No certificate configured: the direct TLS port {} stays closed",
                    settings.clientSecurity().directTlsAddress().getPort());
        }
    }

    /** The bound client port, -1 before {@link #bind()}. */
    public int port() {
        return port;
    }

    /** The bound direct TLS port, -1 when there is none. */
    public int directTlsPort() {
        return directTlsPort;
    }

    /** Puts TLS under every session that came in on the direct TLS port, as it is created. */
    private final class DirectTlsPort extends IoFilterAdapter {
        private final ClientLayers layers;

        DirectTlsPort(ClientLayers layers) {
            this.layers = layers;
        }

        @Override
        public void sessionCreated(NextFilter next, IoSession session) throws Exception {
            int direct = directTlsPort;
            if (direct > 0 && session.getLocalAddress() instanceof InetSocketAddress local && local.getPort() == direct) {
                layers.startTls(session);
            }
            next.sessionCreated(session);
        }
    }
}
