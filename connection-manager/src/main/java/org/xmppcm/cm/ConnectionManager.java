package org.xmppcm.cm;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.transport.XmppCodecFactory;

/**
 * The connection manager: accepts client streams and carries them over a link to the server.
 * Lifecycle: {@link #start()} connects the link and, once the server has pushed its client
 * configuration, opens the client port; {@link #stop()} shuts down per the protocol.
 */
public final class ConnectionManager implements ClientContext, ServerLink.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_FLUSH = Duration.ofSeconds(5);

    private final CmSettings settings;
    private final StreamIds streamIds;
    private final ClientRegistry registry = new ClientRegistry();
    private final NioSocketAcceptor acceptor = new NioSocketAcceptor();
    private final NioSocketConnector connector = new NioSocketConnector(1);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cm-timers");
        t.setDaemon(true);
        return t;
    });
    private volatile ServerLink link;
    private volatile boolean stopping;
    private Duration nextRetry = FIRST_RETRY;

    public ConnectionManager(CmSettings settings) {
        this(settings, new StreamIds());
    }

    ConnectionManager(CmSettings settings, StreamIds streamIds) {
        this.settings = settings;
        this.streamIds = streamIds;
        XmppCodecFactory codec = new XmppCodecFactory(settings.maxStanzaBytes());
        acceptor.setReuseAddress(true);
        // Unbinding stops new clients only; connected ones still get their system-shutdown at stop().
        acceptor.setCloseOnDeactivation(false);
        acceptor.getFilterChain().addLast("xmpp", new ProtocolCodecFilter(codec));
        acceptor.setHandler(new ClientHandler(this));
        acceptor.getSessionConfig().setTcpNoDelay(true);
        connector.getFilterChain().addLast("xmpp", new ProtocolCodecFilter(codec));
        connector.setHandler(new LinkHandler());
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.setConnectTimeoutMillis(10_000);
    }

    /**
     * Connects to the server and opens the client port once the link is ready.
     *
     * @throws IOException when the client port cannot be bound or the first link cannot be made
     */
    public void start() throws IOException {
        ServerLink first;
        try {
            first = connectLink().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            stopQuietly();
            throw new IOException("could not open a link to " + settings.serverAddress() + ": " + e.getMessage(), e);
        }
        LOG.info("Link {} to {} is ready", first.name(), settings.serverAddress());
        acceptor.bind(settings.clientAddress());
        LOG.info("Accepting clients on {} for domain {}", acceptor.getLocalAddress(), settings.xmppDomain());
    }

    /** The bound client port (useful with port 0). */
    public int clientPort() {
        return acceptor.getLocalAddress().getPort();
    }

    public int clientCount() {
        return registry.size();
    }

    private CompletableFuture<ServerLink> connectLink() {
        CompletableFuture<ServerLink> result = new CompletableFuture<>();
        ConnectFuture connect = connector.connect(settings.serverAddress(), (session, future) -> {
            ServerLink newLink = new ServerLink(settings, "conn1", session, this);
            session.setAttribute(LinkHandler.LINK, newLink);
            link = newLink;
            newLink.ready().whenComplete((ready, failure) -> {
                if (failure == null) {
                    nextRetry = FIRST_RETRY;
                    result.complete(ready);
                } else {
                    result.completeExceptionally(failure);
                }
            });
        });
        connect.addListener(f -> {
            if (!connect.isConnected()) {
                result.completeExceptionally(connect.getException() != null ? connect.getException()
                        : new IOException("connect failed"));
            }
        });
        return result;
    }

    @Override
    public void routed(RoutedStanza routed) {
        ClientStream client = registry.get(routed.streamId());
        if (client != null) {
            client.routedFromServer(routed);
        } else if (routed.localName().equals("message")) {
            // The client went away between the server's send and our receive: the protocol's failed report.
            ServerLink current = link;
            if (current != null) {
                try {
                    current.reportFailed(routed.streamId(),
                            XmlDom.toXml(XmlDom.parse(routed.stanza(), org.xmppcm.protocol.cm.Namespaces.CLIENT)));
                } catch (org.xmppcm.protocol.cm.CmProtocolException e) {
                    LOG.warn("Undeliverable message for {} could not be reported: {}", routed.streamId(), e.getMessage());
                }
            }
        } else {
            LOG.debug("Dropping {} for departed client {}", routed.localName(), routed.streamId());
        }
    }

    @Override
    public void sessionClosedByServer(String streamId, String streamErrorXml) {
        ClientStream client = registry.get(streamId);
        if (client != null) {
            client.closedByServer(streamErrorXml, StreamErrorCondition.RESET);
        }
    }

    @Override
    public void sessionRefused(String streamId) {
        ClientStream client = registry.get(streamId);
        if (client != null) {
            client.closedByServer(null, StreamErrorCondition.INTERNAL_SERVER_ERROR);
        }
    }

    @Override
    public void linkClosed(ServerLink closed, StreamErrorCondition serverError) {
        if (link == closed) {
            link = null;
        }
        if (stopping) {
            return;
        }
        // Without a link no client can be served: they learn why and may reconnect elsewhere.
        StreamErrorCondition toClients = serverError == StreamErrorCondition.SYSTEM_SHUTDOWN
                ? StreamErrorCondition.SYSTEM_SHUTDOWN : StreamErrorCondition.REMOTE_CONNECTION_FAILED;
        for (ClientStream client : registry.snapshot()) {
            client.closedByServer(null, toClients);
        }
        LOG.warn("Link {} lost; reconnecting", closed.name());
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (stopping) {
            return;
        }
        Duration delay = nextRetry;
        nextRetry = nextRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextRetry.multipliedBy(2);
        long jittered = delay.toMillis() / 2 + ThreadLocalRandom.current().nextLong(delay.toMillis() / 2 + 1);
        timers.schedule(() -> connectLink().whenComplete((ready, failure) -> {
            if (failure != null) {
                LOG.warn("Reconnect to {} failed: {}", settings.serverAddress(), failure.getMessage());
                if (link == null) {
                    scheduleReconnect();
                }
            } else {
                LOG.info("Link {} to {} is ready again", ready.name(), settings.serverAddress());
            }
        }), jittered, TimeUnit.MILLISECONDS);
    }

    /**
     * Shuts down per the protocol: no new clients; every client gets {@code system-shutdown} and
     * the server a close for its session; then the link gets {@code system-shutdown}. Waits up
     * to a few seconds for those bytes to leave.
     */
    public void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        LOG.info("Shutting down: {} clients", registry.size());
        acceptor.unbind();
        for (ClientStream client : registry.snapshot()) {
            client.shutdown();
        }
        long deadline = System.nanoTime() + SHUTDOWN_FLUSH.toNanos();
        for (IoSession session : acceptor.getManagedSessions().values()) {
            session.closeOnFlush().awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        ServerLink current = link;
        if (current != null) {
            current.shutdown();
            current.session().getCloseFuture()
                    .awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        stopQuietly();
        LOG.info("Stopped");
    }

    private void stopQuietly() {
        stopping = true;
        timers.shutdownNow();
        acceptor.dispose(false);
        connector.dispose(false);
    }

    @Override
    public CmSettings settings() {
        return settings;
    }

    @Override
    public StreamIds streamIds() {
        return streamIds;
    }

    @Override
    public ClientRegistry registry() {
        return registry;
    }

    @Override
    public ServerLink link() {
        return link;
    }
}
