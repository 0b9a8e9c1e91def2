package org.xmppcm.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.transport.XmppCodecFactory;

/**
 * The server side of the Connection Manager protocol: listens for CM links, authenticates them,
 * pushes the client configuration, and connects each client session the CMs announce to the
 * {@link HostServer}. One MINA acceptor, no thread per connection.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #stop()} once; not restartable. Do not call
 * {@code stop()} from a host callback (it waits for the I/O threads).
 */
public final class ConnectionManagerListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionManagerListener.class);

    /** How long {@link #stop()} lets the links flush their system-shutdown error. */
    static final long STOP_FLUSH_MILLIS = 3000;

    private final EngineSettings settings;
    private final HostServer host;
    private final ManagerRegistry registry;
    private final LinkLimits limits;
    private final CmLinkHandler handler;
    private final LinkLayers layers = new LinkLayers();
    /**
     * Every link's negotiation deadline (see {@link CmLink#armNegotiationTimeout}): one thread, started with the
     * first link. A cancelled deadline leaves the queue at once, so links that authenticate or fail quickly do not
     * pile up in it until their deadline.
     */
    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "engine-link-deadlines");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;
    private NioSocketAcceptor acceptor; // guarded by this

    public ConnectionManagerListener(EngineSettings settings, HostServer host) {
        this(settings, host, LinkLimits.DEFAULT);
    }

    /** For tests: other write queue limits. */
    ConnectionManagerListener(EngineSettings settings, HostServer host, LinkLimits limits) {
        this(settings, host, limits, System::nanoTime);
    }

    /** For tests: a clock of their own for the handshake throttle, so blocks can expire without sleeping. */
    ConnectionManagerListener(EngineSettings settings, HostServer host, LinkLimits limits, LongSupplier nanoClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.host = Objects.requireNonNull(host, "host");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.registry = new ManagerRegistry(host::sessionGracePeriod, host::linkIdleTimeout);
        deadlines.setRemoveOnCancelPolicy(true);
        this.handler = new CmLinkHandler(host, registry, new Ids(), () -> stopping, limits,
                HandshakeThrottle.of(limits, nanoClock), settings.linkSecurity(), layers, deadlines);
    }

    /** Binds the listening socket. */
    public synchronized void start() throws IOException {
        if (acceptor != null || stopping) {
            throw new IllegalStateException("already started");
        }
        NioSocketAcceptor a = new NioSocketAcceptor();
        a.setReuseAddress(true);
        // stop() says goodbye on each link before closing it; unbind must not cut them first.
        a.setCloseOnDeactivation(false);
        a.getSessionConfig().setTcpNoDelay(true);
        a.getSessionConfig().setWriteTimeout(limits.writeTimeoutSeconds());
        // The negotiation deadline (CmLinkHandler) bounds a silent new link as well as a trickling one; once
        // authenticated, a link silent for longer than the host's idle limit is lost (CmLinkHandler.sessionIdle).
        a.getFilterChain().addLast(org.xmppcm.transport.FilterNames.XMPP, new ProtocolCodecFilter(new XmppCodecFactory(settings.maxStanzaBytes())));
        a.setHandler(handler);
        InetSocketAddress bindAddress = settings.bindAddress() != null
                ? settings.bindAddress() : new InetSocketAddress(EngineSettings.DEFAULT_PORT);
        try {
            a.bind(bindAddress);
        } catch (IOException | RuntimeException e) {
            a.dispose();
            throw e;
        }
        acceptor = a;
        // Acknowledgements are asked for after every few stanzas; this asks for the rest of a quiet link's.
        deadlines.scheduleWithFixedDelay(this::requestAcknowledgements, 1, 1, TimeUnit.SECONDS);
        LOG.info("listening for connection managers on {}", a.getLocalAddress());
    }

    private void requestAcknowledgements() {
        try {
            for (ManagerEntry manager : registry.entries()) {
                for (CmLink link : manager.links()) {
                    link.requestIfUnacknowledged();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("asking connection managers for acknowledgements failed", e);
        }
    }

    /** The bound port (useful with port 0). */
    public synchronized int port() {
        if (acceptor == null) {
            throw new IllegalStateException("not started");
        }
        return acceptor.getLocalAddress().getPort();
    }

    /** Re-sends the host's current client configuration to every authenticated link (after a settings change). */
    public void pushConfiguration() {
        handler.pushConfiguration();
    }

    /** A snapshot of the connected managers, their links and session counts, by manager name. */
    public List<ConnectedManager> managers() {
        return registry.snapshot();
    }

    /** A snapshot of the client sessions {@code managerName} carries, for admin pages. */
    public List<ConnectedClient> clients(String managerName) {
        return registry.clients(managerName);
    }

    /**
     * Says {@code system-shutdown} on every link, ends every client session at the host, closes
     * the links and releases the socket and the I/O threads.
     */
    public void stop() {
        NioSocketAcceptor a;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            a = acceptor;
        }
        if (a == null) {
            layers.shutdown(0);
            deadlines.shutdownNow();
            return;
        }
        a.unbind(); // no new links from here on
        List<IoSession> sessions = new ArrayList<>(a.getManagedSessions().values());
        for (IoSession session : sessions) {
            CmLink link = CmLinkHandler.link(session);
            if (link != null) {
                link.fail(StreamErrorCondition.SYSTEM_SHUTDOWN, null, LinkCloseReason.SERVER_SHUTDOWN);
            } else {
                session.closeNow();
            }
        }
        registry.endAllSessions();
        registry.close();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_FLUSH_MILLIS);
        for (IoSession session : sessions) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || !session.getCloseFuture().awaitUninterruptibly(left)) {
                session.closeNow(); // a CM that does not read does not hold up our shutdown
            }
        }
        a.dispose(true);
        deadlines.shutdownNow(); // every link is closed: their deadlines were cancelled with them
        layers.shutdown(STOP_FLUSH_MILLIS);
        // A session created in the instant before its link was closed above.
        registry.endAllSessions();
        registry.close();
        LOG.info("connection manager listener stopped");
    }
}
