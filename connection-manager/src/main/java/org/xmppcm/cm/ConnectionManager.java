package org.xmppcm.cm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.session.IoEventType;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.filter.executor.OrderedThreadPoolExecutor;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.cm.client.AuthTimeouts;
import org.xmppcm.cm.client.ClientAcceptors;
import org.xmppcm.cm.client.ClientContext;
import org.xmppcm.cm.client.ClientRegistry;
import org.xmppcm.cm.client.ClientStream;
import org.xmppcm.cm.client.StanzaErrors;
import org.xmppcm.cm.client.StreamIds;
import org.xmppcm.cm.client.Uplink;
import org.xmppcm.cm.limits.AdmissionFilter;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.cm.limits.IdleFilter;
import org.xmppcm.cm.limits.LiveLimits;
import org.xmppcm.cm.limits.WriteBacklogFilter;
import org.xmppcm.cm.link.LinkPool;
import org.xmppcm.cm.link.LinkRefusedException;
import org.xmppcm.cm.link.ServerLink;
import org.xmppcm.cm.link.ServerLinkHandler;
import org.xmppcm.cm.metrics.CmMetrics;
import org.xmppcm.cm.metrics.MetricsEndpoint;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.transport.ReadPause;
import org.xmppcm.transport.XmppCodecFactory;

/**
 * The connection manager: accepts client streams and carries them over links to the server.
 * Lifecycle: {@link #start()} connects the links and, once the server has pushed its client
 * configuration on one, opens the client port; {@link #stop()} shuts down per the protocol.
 */
public final class ConnectionManager implements ClientContext, LinkPool.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_FLUSH = Duration.ofSeconds(5);
    /** At least this long for the close events of links that had to be closed hard, past the flush deadline. */
    private static final Duration LINK_CLOSE_WAIT = Duration.ofSeconds(1);
    /**
     * Stanza bytes from the server waiting for the link-event threads, shared out over the links: each link
     * pauses its reads above its share (TCP then pushes back on the server), so with up to 32 links the CM
     * queues about this much, as the old global throttle did. At least 1 MB per link, so that a few large
     * stanzas do not pause a link. Counts stanza bytes, not the objects around them.
     */
    private static final long LINK_EVENT_QUEUE_BYTES = 32L * 1024 * 1024;
    private static final long MIN_LINK_QUEUE_BYTES = 1024 * 1024;

    private final CmSettings settings;
    private final StreamIds streamIds;
    private final ClientRegistry registry = new ClientRegistry();
    private final NioSocketAcceptor acceptor = new NioSocketAcceptor();
    /** The handler, TLS and zlib of the acceptor, and its ports. */
    private final ClientAcceptors clientPorts;
    private final NioSocketConnector connector = new NioSocketConnector(1);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cm-timers");
        t.setDaemon(true);
        return t;
    });
    private final LinkPool links;
    /** Bounds each link's queue in {@link #linkEvents} by pausing that link's reads, never by blocking (see there). */
    private final ReadPause linkReadPause;
    private final OrderedThreadPoolExecutor linkEvents;
    private final CmMetrics metrics = new CmMetrics();
    /** The settings file's client limits with what the server pushed over them; the client filters read it. */
    private final LiveLimits limits;
    private MetricsEndpoint metricsEndpoint;
    private volatile boolean stopping;

    public ConnectionManager(CmSettings settings) {
        this(settings, new StreamIds());
    }

    ConnectionManager(CmSettings settings, StreamIds streamIds) {
        this(settings, streamIds, Math.max(MIN_LINK_QUEUE_BYTES, LINK_EVENT_QUEUE_BYTES / settings.links().count()));
    }

    /** With {@code linkQueueBytes} per link in place of the computed share (tests reach it with little traffic). */
    ConnectionManager(CmSettings settings, StreamIds streamIds, long linkQueueBytes) {
        this.settings = settings;
        this.streamIds = streamIds;
        this.linkReadPause = new ReadPause(linkQueueBytes);
        this.linkEvents = new OrderedThreadPoolExecutor(1, 2, 60, TimeUnit.SECONDS, r -> {
            Thread t = new Thread(r, "cm-link-events");
            t.setDaemon(true);
            return t;
        }, linkReadPause);
        this.limits = new LiveLimits(settings.limits());
        XmppCodecFactory codec = new XmppCodecFactory(settings.maxStanzaBytes());
        // --- client side
        acceptor.setReuseAddress(true);
        // Unbinding stops new clients only; connected ones still get their system-shutdown at stop().
        acceptor.setCloseOnDeactivation(false);
        acceptor.getFilterChain().addLast(org.xmppcm.transport.FilterNames.XMPP, new ProtocolCodecFilter(codec));
        acceptor.getFilterChain().addLast("admission", new AdmissionFilter(limits, settings.xmppDomain(), metrics));
        acceptor.getFilterChain().addLast("idle", new IdleFilter(limits, settings.xmppDomain(), metrics));
        acceptor.getFilterChain().addLast("backlog", new WriteBacklogFilter(limits, metrics));
        clientPorts = new ClientAcceptors(settings, this, acceptor);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        // --- server side
        connector.getFilterChain().addLast(org.xmppcm.transport.FilterNames.XMPP, new ProtocolCodecFilter(codec));
        // Link events run on their own ordered threads, never on the I/O thread that holds the link's
        // TLS lock while it delivers: a link thread writing to a TLS client while that client's thread
        // writes to the link would otherwise deadlock. Order per link is kept. The queue is bounded by
        // pausing the link's reads, never by MINA's IoEventQueueThrottle: it blocks that I/O thread with the
        // TLS lock held, and a link-event thread writing to the link (an IQ result, a failed report) then
        // waits for that lock forever. Sent-message events stay on the I/O thread: the handler ignores
        // them, there is one per write, and pausing reads would not bound them.
        connector.getFilterChain().addLast("link-events", new ExecutorFilter(linkEvents, IoEventType.SESSION_OPENED,
                IoEventType.MESSAGE_RECEIVED, IoEventType.EXCEPTION_CAUGHT, IoEventType.SESSION_IDLE,
                IoEventType.SESSION_CLOSED));
        connector.setHandler(new ServerLinkHandler());
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.setConnectTimeoutMillis(10_000);
        links = new LinkPool(settings, connector, timers, this, metrics);
        metrics.bind(new CmMetrics.Sources(registry::size, () -> links.readyLinks().size(), settings.links().count(),
                () -> acceptor.getStatistics().getReadBytes(), () -> acceptor.getStatistics().getWrittenBytes(),
                () -> connector.getStatistics().getReadBytes(), () -> connector.getStatistics().getWrittenBytes(),
                links::heldBytes, () -> pendingWriteBytes(acceptor), () -> pendingWriteBytes(connector),
                () -> sessionsWith(acceptor, org.xmppcm.transport.FilterNames.TLS), () -> sessionsWith(acceptor, org.xmppcm.transport.FilterNames.ZLIB)));
        metrics.bindClientLimits(limits::values);
    }

    /**
     * Connects to the server and opens the client port once a link is ready.
     *
     * @throws IOException when the client port cannot be bound or no link is ready in time
     */
    public void start() throws IOException {
        clientPorts.checkAvailable();
        try {
            ServerLink first = links.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            LOG.info("Link {} to {} is ready", first.name(), settings.serverAddress());
        } catch (Exception e) {
            stopQuietly(System.nanoTime() + SHUTDOWN_FLUSH.toNanos());
            if (e.getCause() instanceof LinkRefusedException refused) {
                throw new IOException(refused.getMessage(), refused);
            }
            String last = links.lastFailure();
            throw new IOException("no link to " + settings.links().servers() + " within " + START_TIMEOUT.toSeconds()
                    + " s" + (last != null ? "; last attempt: " + last : e.getMessage() != null ? ": " + e.getMessage()
                    : ""), e);
        }
        if (settings.metricsAddress() != null) {
            publishMetrics(settings.metricsAddress());
        }
        // One sweep for every client's authentication deadline (see AuthTimeouts for why not per client).
        long sweepMillis = AuthTimeouts.period(limits.get().authTimeout()).toMillis();
        timers.scheduleWithFixedDelay(new AuthTimeouts(acceptor, limits), sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        clientPorts.bind();
    }

    private static long pendingWriteBytes(org.apache.mina.core.service.IoService service) {
        long sum = 0;
        for (IoSession session : service.getManagedSessions().values()) {
            sum += session.getScheduledWriteBytes();
        }
        return sum;
    }

    /** Sessions whose chain holds the named layer; walks them all, which a scrape every few seconds affords. */
    private static int sessionsWith(org.apache.mina.core.service.IoService service, String layer) {
        int count = 0;
        for (IoSession session : service.getManagedSessions().values()) {
            if (session.getFilterChain().contains(layer)) {
                count++;
            }
        }
        return count;
    }

    @Override
    public CmMetrics metrics() {
        return metrics;
    }

    /**
     * Publishes the metrics over JMX and, when {@code httpAddress} is not null, as Prometheus text
     * on {@code GET /metrics}; both end with {@link #stop()}.
     */
    public synchronized MetricsEndpoint publishMetrics(InetSocketAddress httpAddress) throws IOException {
        if (metricsEndpoint == null) {
            metricsEndpoint = MetricsEndpoint.start(metrics, httpAddress);
        }
        return metricsEndpoint;
    }

    /** The bound client port (useful with port 0). */
    public int clientPort() {
        return clientPorts.port();
    }

    /** The bound direct TLS port (XEP-0368), or -1 when there is none. */
    public int directTlsPort() {
        return clientPorts.directTlsPort();
    }

    public int clientCount() {
        return registry.size();
    }

    /** Bytes waiting to be written to the server, over all links. */
    long linkWriteBacklog() {
        return pendingWriteBytes(connector);
    }

    /** How many links to the server are ready now. */
    public int readyLinkCount() {
        return links.readyLinks().size();
    }

    List<ServerLink> readyLinks() {
        return links.readyLinks();
    }

    ReadPause linkReadPause() {
        return linkReadPause;
    }

    @Override
    public void routed(RoutedStanza routed, ServerLink via) {
        ClientStream client = registry.get(routed.streamId());
        if (client != null && client.routedFromServer(routed)) {
            metrics.stanzaToClient();
        } else {
            bounce(routed, via); // gone, or closing (a stop): the server hears of it, nothing is dropped here
        }
    }

    /**
     * Something for a client that has gone. A message goes back in {@code <failed>} so the server
     * can store it; an IQ request gets {@code unexpected-request} so its sender is not left
     * waiting; anything else (presence, results, errors) has nobody to answer. A message of type
     * {@code error} is never reported: only deliverable messages are (the JEP), and an error must
     * not be answered or stored (RFC 6120 8.3.1), or two servers could bounce it forever.
     */
    private void bounce(RoutedStanza routed, ServerLink via) {
        ServerLink link = via != null && via.isReady() ? via : links.anyLink();
        if (link == null) {
            LOG.warn("No link to report an undeliverable {} for {}", routed.localName(), routed.streamId());
            return;
        }
        try {
            if (routed.localName().equals("message")) {
                Element message = XmlDom.parse(routed.stanza(), Namespaces.CLIENT);
                if ("error".equals(message.attributeValue("type"))) {
                    LOG.debug("Dropping error message for departed client {}", routed.streamId());
                } else {
                    link.reportFailed(routed.streamId(), XmlDom.toXml(message));
                }
            } else if (routed.localName().equals("iq")) {
                Element iq = XmlDom.parse(routed.stanza(), Namespaces.CLIENT);
                String type = iq.attributeValue("type", "");
                if (type.equals("get") || type.equals("set")) {
                    link.send(org.xmppcm.protocol.cm.RouteCodec.route(routed.streamId(), null, null,
                            XmlDom.toXml(StanzaErrors.unexpectedRequest(iq))));
                } else {
                    LOG.debug("Dropping iq {} for departed client {}", type, routed.streamId());
                }
            } else {
                LOG.debug("Dropping {} for departed client {}", routed.localName(), routed.streamId());
            }
        } catch (CmProtocolException e) {
            LOG.warn("Undeliverable {} for {} could not be reported: {}", routed.localName(), routed.streamId(),
                    e.getMessage());
        }
    }

    @Override
    public void undelivered(String streamId, List<Object> routes) {
        ClientStream client = registry.get(streamId);
        int bounced = 0;
        for (Object route : routes) {
            org.dom4j.Element stanza = org.xmppcm.protocol.cm.RouteCodec.carriedStanza(route instanceof byte[] bytes
                    ? bytes : route.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (stanza != null && client != null && client.bounce(stanza)) {
                bounced++;
            }
        }
        if (!routes.isEmpty()) {
            LOG.info("Client {}: {} stanza(s) the server never took went back to it as errors ({} held)", streamId,
                    bounced, routes.size());
        }
    }

    @Override
    public void sessionClosedByServer(String streamId, String streamErrorXml, StreamErrorCondition fallback) {
        ClientStream client = registry.get(streamId);
        if (client != null) {
            client.closedByServer(streamErrorXml, fallback);
        }
    }

    @Override
    public void sessionLost(String streamId, StreamErrorCondition condition) {
        ClientStream client = registry.get(streamId);
        if (client != null) {
            client.refuseFromNow();
            closeWhenQuiet(List.of(client), condition);
        }
    }

    /**
     * With {@code remote-connection-failed} (the server is gone for good) every client is first answered with errors
     * for what it still sends, and what was still in its socket, until it has been quiet for {@link #DRAIN_QUIET} (at
     * most {@link #DRAIN_MAX} from when we read it again, see {@link Draining}); then its stream ends. So what it sent
     * gets an answer instead of vanishing with the close.
     */
    @Override
    public void closeAllClients(StreamErrorCondition condition, String text) {
        List<ClientStream> clients = List.copyOf(registry.snapshot());
        if (condition != StreamErrorCondition.REMOTE_CONNECTION_FAILED || stopping) {
            clients.forEach(client -> client.closedByServer(null, condition));
            return;
        }
        clients.forEach(ClientStream::refuseFromNow);
        closeWhenQuiet(clients, condition);
    }

    private void closeWhenQuiet(List<ClientStream> clients, StreamErrorCondition condition) {
        long now = System.nanoTime();
        List<Draining> draining = new java.util.ArrayList<>();
        for (ClientStream client : clients) {
            draining.add(new Draining(client, now + DRAIN_MAX.toNanos(), now + DRAIN_HARD_MAX.toNanos()));
        }
        drain(draining, condition);
    }

    /**
     * One client answered with errors until it is quiet: until {@code deadline} at most, which moves on while we do
     * not read it (its hold was full and is released only after the drain began: what it sent still waits in its
     * socket, and closing now would throw that away unanswered), but never past {@code hardDeadline}.
     */
    private record Draining(ClientStream client, long deadline, long hardDeadline) {
        Draining checked(long now) {
            if (!client.readsPaused()) {
                return this;
            }
            return new Draining(client, Math.min(hardDeadline, Math.max(deadline, now + DRAIN_MAX.toNanos())),
                    hardDeadline);
        }

        boolean talking(long now) {
            boolean unread = client.readsPaused();
            return now < deadline && (unread || now - client.lastRefusedNanos() < DRAIN_QUIET.toNanos());
        }
    }

    private void drain(List<Draining> clients, StreamErrorCondition condition) {
        long now = System.nanoTime();
        List<Draining> talking = new java.util.ArrayList<>();
        for (Draining draining : clients) {
            Draining checked = draining.checked(now);
            if (checked.talking(now)) {
                talking.add(checked);
            } else {
                checked.client().closedByServerLingering(condition, LINGER, timers);
            }
        }
        if (talking.isEmpty()) {
            return;
        }
        try {
            timers.schedule(() -> drain(talking, condition), DRAIN_QUIET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            talking.forEach(draining -> draining.client().closedByServer(null, condition));
        }
    }

    /** A client still sending this often is answered a while longer before its stream ends (see closeAllClients). */
    static final Duration DRAIN_QUIET = Duration.ofMillis(200);
    static final Duration DRAIN_MAX = Duration.ofSeconds(5);
    /** The longest a drain lasts however long a client's hold kept it unread. */
    static final Duration DRAIN_HARD_MAX = Duration.ofSeconds(15);
    /** How long a client closed that way has to close its side before the socket is closed anyway. */
    static final Duration LINGER = Duration.ofSeconds(2);

    @Override
    public void clientConfigurationChanged(ClientConfiguration configuration) {
        limits.apply(configuration.tuning());
    }

    /** The client limits in effect now: the settings' own, with what the server pushed over them. */
    ClientLimits clientLimits() {
        return limits.get();
    }

    @Override
    public List<String> clientStreamIds() {
        return registry.snapshot().stream().map(ClientStream::streamId).toList();
    }

    /**
     * Shuts down per the protocol: no new clients; every client gets {@code system-shutdown} and
     * the server a close for its session (not over an acknowledged link, whose own {@code system-shutdown} ends its
     * sessions after what was in flight); then each link gets {@code system-shutdown}. Waits up to a few seconds for
     * those bytes to leave.
     */
    public void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        LOG.info("Shutting down: {} clients", registry.size());
        // A link dropping from now on is neither reconnected nor starts a grace period: the clients are leaving.
        links.beginStop();
        if (!acceptor.getLocalAddresses().isEmpty()) {
            acceptor.unbind(); // not bound yet when stopped during start
        }
        for (ClientStream client : registry.snapshot()) {
            client.shutdown();
        }
        long deadline = System.nanoTime() + SHUTDOWN_FLUSH.toNanos();
        for (IoSession session : acceptor.getManagedSessions().values()) {
            session.closeOnFlush().awaitUninterruptibly(remainingMillis(deadline));
        }
        for (ServerLink link : links.stop()) {
            link.session().getCloseFuture().awaitUninterruptibly(remainingMillis(deadline));
        }
        stopQuietly(deadline);
        LOG.info("Stopped");
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    }

    /**
     * Closes what is still open and lets the link-event threads go last. MINA completes a link's close future
     * before it hands the close event (and any write failure) to {@link #linkEvents}, and a shut-down executor
     * rejects them (MINA logs a WARN); so the executor goes only once every link's close was handled, and the
     * timers with it, which handling a close may still use.
     */
    private void stopQuietly(long deadline) {
        stopping = true;
        synchronized (this) {
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
                metricsEndpoint = null;
            }
        }
        List<ServerLink> open = links.stop();
        acceptor.dispose(false);
        connector.dispose(false); // closes links still open (the server did not read); their close events follow
        long closeDeadline = Math.max(deadline, System.nanoTime() + LINK_CLOSE_WAIT.toNanos());
        for (ServerLink link : open) {
            if (!link.awaitCloseHandled(remainingMillis(closeDeadline))) {
                LOG.debug("Link {}: close not handled before shutdown", link.name());
            }
        }
        timers.shutdownNow();
        linkEvents.shutdown();
        try {
            if (!linkEvents.awaitTermination(remainingMillis(closeDeadline), TimeUnit.MILLISECONDS)) {
                linkEvents.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            linkEvents.shutdownNow();
        }
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
    public Uplink uplink() {
        return links;
    }
}
