package org.xmppcm.cm.link;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.cm.CmSettings;
import org.xmppcm.cm.client.Uplink;
import org.xmppcm.cm.limits.LiveGracePeriod;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.ManagerInstance;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * The CM's links to the server: {@code count} slots, each kept connected to the first server
 * address that answers (failing over along the list), reconnecting with exponential backoff and
 * jitter. Each client is pinned to one ready link so its stanzas keep their order; when that
 * link goes, its clients move to another.
 *
 * <p>When the last link goes, clients stay connected for the grace period and their stanzas are
 * held (bounded). When a link is back in time, the server is asked which sessions it still has:
 * those resume and their held stanzas are sent in order; the rest are closed. When no link is
 * back in time, or the server announced {@code system-shutdown}, every client is closed. Where the
 * pool stands in all that is its {@link Outage}; the pool keeps the links, the pins and what is held.
 */
public final class LinkPool implements Uplink, ServerLink.Listener {
    /** What the pool hands to the CM around it. */
    public interface Owner {
        void routed(RoutedStanza routed, ServerLink via);

        void sessionClosedByServer(String streamId, String streamErrorXml, StreamErrorCondition fallback);

        /**
         * The server no longer has the session (it restarted): the client's stream ends with {@code condition}, after
         * what it still sends (what was in its socket while it was not read) has been answered with errors.
         */
        void sessionLost(String streamId, StreamErrorCondition condition);

        /** Closes every client with {@code condition}: the server is gone for good. */
        void closeAllClients(StreamErrorCondition condition, String text);

        /** The ids of every client stream the CM holds. */
        List<String> clientStreamIds();

        /** The client configuration new clients get is now {@code configuration} (first one included). */
        void clientConfigurationChanged(ClientConfiguration configuration);

        /**
         * Routes (or session IQs) of client {@code streamId} that the server never took: each stanza goes back to the
         * client as an error, so that nothing it sent is dropped without its knowing.
         */
        void undelivered(String streamId, List<Object> routes);
    }

    private static final Logger LOG = LoggerFactory.getLogger(LinkPool.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /**
     * After the server refused this manager as configured (see {@link #isRefusal}), retrying at once cannot help and
     * only feeds the server's handshake throttle: wait at least this long, doubling up to {@link #MAX_REFUSED_RETRY}.
     */
    static final Duration REFUSED_RETRY = Duration.ofSeconds(60);
    static final Duration MAX_REFUSED_RETRY = Duration.ofMinutes(5);

    private final CmSettings settings;
    /** This process of the manager: the same on every link, new at every start. */
    private final ManagerInstance instance = ManagerInstance.startingNow();
    private final LinkSettings linkSettings;
    private final NioSocketConnector connector;
    private final ScheduledExecutorService timers;
    private final Owner owner;
    private final org.xmppcm.cm.metrics.CmMetrics metrics;
    private final org.xmppcm.cm.link.LinkTlsContext tls;
    private final Slot[] slots;
    private final ConcurrentHashMap<String, ServerLink> pinned = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, HoldBuffer> held = new ConcurrentHashMap<>();
    /**
     * Lost links waiting to be taken over, the grace period, the sessions asked after. The clients of a lost
     * acknowledged link stay pinned to it and hold what they send (see {@link ServerLink#awaitsTakeover()}) until
     * another link has taken the lost one over and sent again what the server had not acknowledged: only then do they
     * move, so their order is kept.
     */
    private final Outage<ServerLink> outage;
    /**
     * Clients that left while their stanzas were held: their close goes to the server right after what they held,
     * once that is released (a message sent just before leaving is still delivered, and before the close).
     */
    private final ConcurrentHashMap.KeySetView<String, Boolean> closeAfterRelease = ConcurrentHashMap.newKeySet();
    private final AtomicLong heldBytes = new AtomicLong();
    private final CompletableFuture<ServerLink> firstReady = new CompletableFuture<>();
    private volatile List<ServerLink> ready = List.of();
    private volatile ClientConfiguration configuration;
    private final Object configurationLock = new Object();
    private final LiveGracePeriod gracePeriod;
    private int serverIndex;
    /** Why the last attempt to bring a link up failed, for the operator (start failures name it). */
    private volatile String lastFailure;
    /** The last refusal logged at ERROR, so that a slot retrying does not repeat it at that level. */
    private volatile String lastRefusal;

    /** One link position: its current link and its reconnect backoff. */
    private final class Slot {
        final String name;
        ServerLink link;
        Duration nextRetry = FIRST_RETRY;

        Slot(int index) {
            this.name = "conn" + (index + 1);
        }
    }

    public LinkPool(CmSettings settings, NioSocketConnector connector, ScheduledExecutorService timers, Owner owner,
             org.xmppcm.cm.metrics.CmMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        try {
            this.tls = settings.links().tls().required()
                    ? org.xmppcm.cm.link.LinkTlsContext.create(settings.links().tls()) : null;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (tls == null && !settings.links().servers().stream().allMatch(s -> s.getAddress() != null
                && s.getAddress().isLoopbackAddress())) {
            LOG.warn("Links to the server are not encrypted (link.tls=off): keep them on a trusted network");
        }
        this.linkSettings = settings.links();
        this.gracePeriod = new LiveGracePeriod(linkSettings.gracePeriod());
        this.connector = connector;
        this.timers = timers;
        this.owner = owner;
        this.outage = new Outage<>(this::schedule, this::gracePeriod,
                () -> endGracePeriod("the server is not reachable"));
        this.slots = new Slot[linkSettings.count()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i);
        }
    }

    /** Starts every slot; completes when the first link is ready. */
    public CompletableFuture<ServerLink> start() {
        for (Slot slot : slots) {
            connect(slot);
        }
        return firstReady;
    }

    public List<ServerLink> readyLinks() {
        return ready;
    }

    private synchronized InetSocketAddress currentServer() {
        return linkSettings.servers().get(serverIndex % linkSettings.servers().size());
    }

    /** Moves to the next server address after {@code failed} refused us (cluster failover). */
    private synchronized void failOver(InetSocketAddress failed) {
        List<InetSocketAddress> servers = linkSettings.servers();
        // All links of a CM stay on one cluster node (a node knows only the sessions made through
        // it), so we move on only when that node has no link of ours left.
        if (servers.size() > 1 && ready.isEmpty() && servers.get(serverIndex % servers.size()).equals(failed)) {
            serverIndex = (serverIndex + 1) % servers.size();
            LOG.warn("Server {} failed; links now go to {}", failed, servers.get(serverIndex));
        }
    }

    private void connect(Slot slot) {
        if (outage.isStopping()) {
            return;
        }
        InetSocketAddress server = currentServer();
        ConnectFuture connect = connector.connect(server, (session, future) -> {
            ServerLink link = new ServerLink(settings, instance, slot.name, new MinaLinkPort(session, tls, server), this,
                    tls != null, server);
            session.setAttribute(ServerLinkHandler.LINK, link);
            session.getConfig().setWriterIdleTime((int) linkSettings.keepalive().toSeconds());
            // A quiet server is asked for a sign of life after this, and the link is lost after the timeout.
            session.getConfig().setReaderIdleTime((int) linkSettings.keepalive().toSeconds());
            synchronized (slot) {
                slot.link = link;
            }
        });
        connect.addListener(f -> {
            if (!connect.isConnected()) {
                lastFailure = "could not reach " + server + ": "
                        + (connect.getException() != null ? connect.getException().toString() : "refused");
                LOG.warn("Link {} {}", slot.name, lastFailure);
                failOver(server);
                retry(slot, false);
            }
        });
    }

    /** Why the last attempt to bring a link up failed; null when none has failed. */
    public String lastFailure() {
        return lastFailure;
    }

    /**
     * Stream errors with which a server refuses a link before it is ready because of how this manager is configured
     * (RFC 6120 4.9.3): a wrong secret ({@code not-authorized}), a manager name it does not know
     * ({@code host-unknown}), or a policy such as required TLS or a throttle after failed handshakes
     * ({@code policy-violation}).
     */
    static boolean isRefusal(StreamErrorCondition condition) {
        return condition == StreamErrorCondition.NOT_AUTHORIZED || condition == StreamErrorCondition.HOST_UNKNOWN
                || condition == StreamErrorCondition.POLICY_VIOLATION;
    }

    private void retry(Slot slot, boolean refused) {
        if (outage.isStopping()) {
            return;
        }
        Duration delay;
        synchronized (slot) {
            Duration cap = refused ? MAX_REFUSED_RETRY : MAX_RETRY;
            delay = refused && slot.nextRetry.compareTo(REFUSED_RETRY) < 0 ? REFUSED_RETRY : slot.nextRetry;
            Duration doubled = delay.multipliedBy(2);
            slot.nextRetry = doubled.compareTo(cap) > 0 ? cap : doubled;
        }
        // Full jitter on the upper half: many CMs restarted together do not reconnect in step.
        long millis = delay.toMillis() / 2 + ThreadLocalRandom.current().nextLong(delay.toMillis() / 2 + 1);
        try {
            timers.schedule(() -> connect(slot), millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopping: nothing to reconnect.
        }
    }

    @Override
    public void linkReady(ServerLink link) {
        // Before firstReady completes: the client port opens with the pushed limits already in effect.
        adopt(link.configuration());
        List<ServerLink> now;
        boolean back;
        synchronized (this) {
            List<ServerLink> next = new ArrayList<>(ready);
            next.add(link);
            ready = List.copyOf(next);
            now = ready;
            back = outage.linkReady();
        }
        for (Slot slot : slots) {
            synchronized (slot) {
                if (slot.link == link) {
                    slot.nextRetry = FIRST_RETRY;
                }
            }
        }
        metrics.linkConnected();
        firstReady.complete(link);
        LOG.info("Link {} ready ({} of {} up)", link.name(), now.size(), slots.length);
        // Before anything else on it: what the lost links had in flight comes before the clients' new stanzas.
        askTakeovers(link);
        if (back) {
            resume(link);
        }
    }

    /** The grace timer, on the CM's timers. */
    private Runnable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> timer = timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> timer.cancel(false);
    }

    /** Asks {@code on} to take over every lost link no other ready link has been asked about. */
    private void askTakeovers(ServerLink on) {
        if (!on.isAcknowledged()) {
            return; // a server that does not acknowledge cannot take links over
        }
        for (ServerLink lostLink : outage.takeoversToAsk(on)) {
            LOG.info("Link {}: asking the server to take over lost link {} ({} bytes unacknowledged)", on.name(),
                    lostLink.name(), lostLink.unacknowledgedBytes());
            on.resume(lostLink.linkId(), lostLink.receivedCount());
        }
    }

    /**
     * {@code <resumed/>}: the server took over {@code lostLinkId} and has the first {@code h} of what we sent on it;
     * the rest goes again on {@code by}, in its order, then the lost link's clients move to {@code by}, each sending
     * first what it held meanwhile.
     */
    @Override
    public void takenOver(ServerLink by, String lostLinkId, long h) {
        ServerLink lostLink = outage.takeLost(lostLinkId);
        if (lostLink == null) {
            return;
        }
        List<org.xmppcm.protocol.ack.SentLedger.Entry<ServerLink.Sent>> again = lostLink.unacknowledgedAfter(h);
        if (again == null) {
            LOG.warn("Link {}: the server says it had {} of lost link {}, more than we sent", by.name(), h,
                    lostLink.name());
            giveUp(lostLink, by);
            return;
        }
        for (org.xmppcm.protocol.ack.SentLedger.Entry<ServerLink.Sent> sent : again) {
            by.send(sent.item().xml(), sent.item().streamId());
        }
        moveClients(lostLink, by);
        lostLink.settle();
        outage.settled();
        LOG.info("Link {} took over lost link {}: {} element(s) sent again", by.name(), lostLink.name(), again.size());
    }

    /** {@code <failed/>}: the server does not know {@code lostLinkId} (it restarted, or waited no longer). */
    @Override
    public void takeoverRefused(ServerLink by, String lostLinkId) {
        ServerLink lostLink = outage.takeLost(lostLinkId);
        if (lostLink != null) {
            LOG.warn("Link {}: the server could not take over lost link {}", by.name(), lostLink.name());
            giveUp(lostLink, by);
        }
    }

    /**
     * Nobody will say what of {@code lostLink}'s traffic the server took: it goes back to the clients as errors, and
     * each of its clients is asked after on {@code ask} before what it held meanwhile goes out, or back to it if the
     * session is gone.
     */
    private void giveUp(ServerLink lostLink, ServerLink ask) {
        abandon(lostLink);
        List<String> clients = new ArrayList<>();
        for (var entry : pinned.entrySet()) {
            if (entry.getValue() == lostLink && pinned.remove(entry.getKey(), lostLink)) {
                held.computeIfAbsent(entry.getKey(), id -> newHoldBuffer());
                clients.add(entry.getKey());
            }
        }
        // Awaited before they are asked, so that no answer comes before its question is known.
        outage.asking(clients, ask);
        clients.forEach(ask::probeSession);
        outage.settled();
    }

    /** Nobody will take {@code lostLink} over: what the server never acknowledged goes back to the clients. */
    private void abandon(ServerLink lostLink) {
        bounce(lostLink.takeUnacknowledged());
        lostLink.settle();
    }

    private void bounce(List<org.xmppcm.protocol.ack.SentLedger.Entry<ServerLink.Sent>> entries) {
        java.util.Map<String, List<Object>> byClient = new java.util.LinkedHashMap<>();
        for (var entry : entries) {
            if (entry.item().streamId() != null) {
                byClient.computeIfAbsent(entry.item().streamId(), id -> new ArrayList<>()).add(entry.item().xml());
            }
        }
        byClient.forEach(owner::undelivered);
    }

    /**
     * The clients pinned to {@code from} move to {@code to}, each with what it held: pinned anew first, then its
     * buffer released under its monitor, so a stanza it sends meanwhile was either held (and goes now) or goes after.
     */
    private void moveClients(ServerLink from, ServerLink to) {
        for (var entry : pinned.entrySet()) {
            String streamId = entry.getKey();
            HoldBuffer buffer;
            synchronized (this) { // as route() decides to hold: either it sees the new pin, or we see its buffer
                if (entry.getValue() != from || !pinned.replace(streamId, from, to)) {
                    continue;
                }
                buffer = held.get(streamId);
            }
            if (buffer != null) {
                releaseTo(streamId, buffer, to);
            }
        }
    }

    /**
     * What {@code buffer} held goes out on {@code link}, in order, under the buffer's monitor (a stanza the client
     * sends meanwhile waits, then goes straight); a client that left while held is closed after it.
     */
    private void releaseTo(String streamId, HoldBuffer buffer, ServerLink link) {
        synchronized (buffer) {
            for (byte[] route : buffer.release()) {
                link.send(route, streamId);
            }
        }
        held.remove(streamId, buffer);
        closeIfLeft(streamId, link);
    }

    /** A client that left while held: its close follows what it held. */
    private void closeIfLeft(String streamId, ServerLink link) {
        if (closeAfterRelease.remove(streamId)) {
            pinned.remove(streamId, link);
            link.closeSession(streamId);
        }
    }

    private HoldBuffer newHoldBuffer() {
        return new HoldBuffer(linkSettings.holdBytesPerClient(), linkSettings.holdBytesTotal(), heldBytes);
    }

    /** Back after an outage: tell the server who left, and ask it who is still there. */
    private void resume(ServerLink link) {
        for (String streamId : outage.takeClosedWhileOffline()) {
            link.closeSession(streamId);
        }
        java.util.Set<String> clients = new java.util.LinkedHashSet<>(owner.clientStreamIds());
        clients.addAll(closeAfterRelease); // left while held: what they held goes once their session is confirmed
        LOG.info("Link {} back in the grace period: checking {} sessions", link.name(), clients.size());
        outage.asking(clients, link);
        for (String streamId : clients) {
            link.probeSession(streamId);
        }
    }

    @Override
    public void sessionProbed(String streamId, boolean exists) {
        try {
            probeAnswered(streamId, exists);
        } finally {
            outage.answered(streamId);
        }
    }

    /** The client goes on with what it held, or is told its session is gone. */
    private void probeAnswered(String streamId, boolean exists) {
        HoldBuffer buffer = held.get(streamId);
        if (!exists) {
            LOG.info("Session {} did not survive the outage", streamId);
            // First: the client is read again below (its buffer released), and what it sends must be answered.
            owner.sessionLost(streamId, StreamErrorCondition.CONNECTION_TIMEOUT);
            if (buffer != null) {
                held.remove(streamId, buffer);
                owner.undelivered(streamId, List.copyOf(buffer.release()));
            }
            closeAfterRelease.remove(streamId);
            return;
        }
        if (buffer == null) {
            return;
        }
        ServerLink link = pin(streamId);
        if (link == null) {
            return; // lost again already: the next resume probes it again
        }
        releaseTo(streamId, buffer, link);
    }

    @Override
    public void configurationPushed(ClientConfiguration pushed) {
        adopt(pushed);
    }

    /**
     * The latest configuration from any link wins. Serialized, so that with two links pushing at
     * once the CM's limits follow the same configuration as {@link #configuration()}.
     */
    private void adopt(ClientConfiguration pushed) {
        synchronized (configurationLock) {
            configuration = pushed;
            gracePeriod.apply(pushed.tuning());
            owner.clientConfigurationChanged(pushed);
        }
    }

    @Override
    public void routed(RoutedStanza routed, ServerLink via) {
        owner.routed(routed, via);
    }

    @Override
    public void sessionClosedByServer(String streamId, String streamErrorXml) {
        owner.sessionClosedByServer(streamId, streamErrorXml, StreamErrorCondition.RESET);
    }

    @Override
    public void sessionRefused(String streamId) {
        owner.sessionClosedByServer(streamId, null, StreamErrorCondition.INTERNAL_SERVER_ERROR);
    }

    @Override
    public void linkClosed(ServerLink link, StreamErrorCondition serverError) {
        boolean shutdown = serverError == StreamErrorCondition.SYSTEM_SHUTDOWN;
        boolean refused = !link.wasReady() && isRefusal(serverError);
        Outage.Clients clients = Outage.Clients.UNCHANGED;
        boolean endHold = false;
        synchronized (this) {
            List<ServerLink> next = new ArrayList<>(ready);
            next.remove(link);
            ready = List.copyOf(next);
            if (ready.isEmpty()) {
                // Going offline in the same step as losing the last link: route() never sees neither.
                clients = outage.noLinkLeft(shutdown);
                // Refused while holding clients: no link will come back by itself, so they are not held any longer.
                endHold = refused && outage.refusedWhileOffline();
            }
        }
        if (outage.isStopping()) {
            return;
        }
        if (!link.wasReady()) {
            String how = link.serverErrorDescription();
            lastFailure = "the server at " + link.server() + " closed link " + link.name() + " before it was ready"
                    + (how == null ? "" : ": " + how);
        }
        if (refused) {
            refusedBy(link);
        }
        if (endHold) {
            endGracePeriod("the server refused this connection manager");
        }
        if (link.wasReady()) {
            metrics.linkLost();
        }
        takeoversAskedOnLost(link);
        probesAskedOnLost(link);
        if (link.awaitsTakeover() && !shutdown) {
            // Its clients stay pinned to it, holding, until another link has taken it over (or it is given up).
            outage.linkLost(link.linkId(), link);
            ServerLink other = anyAcknowledgedLink();
            if (other != null) {
                askTakeovers(other);
            }
        } else {
            link.settle(); // a lost link whose server shut down: nobody takes it over
            // Clients pinned to the lost link move when they next send: pin() skips links that are gone.
            pinned.values().removeIf(l -> l == link);
        }
        if (shutdown) {
            LOG.warn("Server announced system-shutdown on {}: closing every client", link.name());
            owner.closeAllClients(StreamErrorCondition.SYSTEM_SHUTDOWN, null);
        } else if (clients == Outage.Clients.CLOSE) {
            endGracePeriod("the server is not reachable");
        }
        for (Slot slot : slots) {
            boolean mine;
            synchronized (slot) {
                mine = slot.link == link;
                if (mine) {
                    slot.link = null;
                }
            }
            if (mine) {
                retry(slot, refused);
            }
        }
    }

    /** Takeovers asked on {@code link}, which is gone before it answered, are asked again on another link. */
    private void takeoversAskedOnLost(ServerLink link) {
        if (outage.takeoversAskedOnLost(link)) {
            ServerLink other = anyAcknowledgedLink();
            if (other != null) {
                askTakeovers(other);
            }
        }
    }

    /**
     * Sessions asked after on {@code link}, which is gone before it answered, are asked again on another ready link.
     * With none, they are asked again when one is back.
     */
    private void probesAskedOnLost(ServerLink link) {
        List<String> again = outage.probesAskedOnLost(link);
        List<ServerLink> links = ready;
        if (again.isEmpty()) {
            return;
        }
        ServerLink other = links.stream().filter(ServerLink::isReady).findFirst().orElse(null);
        if (other == null) {
            return;
        }
        outage.asking(again, other);
        again.forEach(other::probeSession);
    }

    private ServerLink anyAcknowledgedLink() {
        for (ServerLink link : ready) {
            if (link.isAcknowledged()) {
                return link;
            }
        }
        return null;
    }

    /**
     * A refusal is a configuration problem: said once at ERROR, with what to check; a start still waiting for its
     * first link fails with it at once instead of after its timeout.
     */
    private void refusedBy(ServerLink link) {
        String message = "The server at " + link.server() + " refused connection manager '" + settings.managerName()
                + "': " + link.serverErrorDescription() + ". Check manager.name and manager.secret against the"
                + " server's settings for this manager (and link.tls if it requires TLS); retrying every "
                + REFUSED_RETRY.toSeconds() + " s or more";
        if (message.equals(lastRefusal)) {
            LOG.debug(message);
        } else {
            lastRefusal = message;
            LOG.error(message);
        }
        firstReady.completeExceptionally(new LinkRefusedException(message));
    }

    /** The clients are closed; what they sent and the server never took goes back to them first, as errors. */
    private void endGracePeriod(String why) {
        // First, so that a client read again below (its buffer released) has what it sends answered, not held.
        owner.closeAllClients(StreamErrorCondition.REMOTE_CONNECTION_FAILED, why);
        for (ServerLink lostLink : outage.clientsClosed()) {
            abandon(lostLink);
        }
        for (String streamId : List.copyOf(held.keySet())) {
            HoldBuffer buffer = held.remove(streamId);
            if (buffer != null) {
                owner.undelivered(streamId, List.copyOf(buffer.release()));
            }
        }
        closeAfterRelease.clear(); // the server ends those sessions itself at its own grace period's end
        pinned.values().removeIf(link -> !link.isReady());
    }

    /** The pushed grace period wins over ours: the server knows how long it keeps sessions. */
    Duration gracePeriod() {
        return gracePeriod.get();
    }

    /** The ready link a session uses; pins it on first use. Null when none is ready. */
    private ServerLink pin(String streamId) {
        ServerLink current = pinned.get(streamId);
        if (current != null && current.isReady()) {
            return current;
        }
        if (current != null && current.awaitsTakeover()) {
            return null; // its lost link's unacknowledged stanzas must go again first
        }
        List<ServerLink> links = ready;
        if (links.isEmpty()) {
            return null;
        }
        ServerLink chosen = links.get(Math.floorMod(streamId.hashCode(), links.size()));
        if (!chosen.isReady()) {
            // Going at this instant, not yet out of the list: any other that is still ready.
            for (ServerLink other : links) {
                if (other.isReady()) {
                    chosen = other;
                    break;
                }
            }
        }
        pinned.put(streamId, chosen);
        return chosen;
    }

    @Override
    public boolean acceptsNewClients() {
        return !ready.isEmpty() && configuration != null;
    }

    @Override
    public ClientConfiguration configuration() {
        return configuration;
    }

    @Override
    public void createSession(String streamId, SocketAddress clientAddress) {
        ServerLink link = pin(streamId);
        if (link != null) {
            metrics.clientAccepted();
            link.createSession(streamId, clientAddress);
        }
    }

    @Override
    public boolean route(String streamId, byte[] route) {
        metrics.stanzaFromClient();
        // Each turn either sends, holds, or finds that the client moved meanwhile (its buffer released, or pinned to a
        // live link): bounded, as a link going at that instant only makes the next turn pick another one.
        for (int turn = 0; turn < MAX_ROUTE_TURNS; turn++) {
            HoldBuffer buffer = held.get(streamId);
            if (buffer != null) {
                synchronized (buffer) {
                    if (!buffer.isReleased()) {
                        // While held, awaiting its probe or its link's takeover, a client's stanzas queue in order.
                        return buffer.offer(route);
                    }
                }
                held.remove(streamId, buffer); // released meanwhile: what it held went out, so this goes straight
                continue;
            }
            ServerLink link = pin(streamId);
            if (link != null && link.send(route, streamId)) {
                return true;
            }
            synchronized (this) {
                ServerLink current = pinned.get(streamId);
                if (current != null && current.isReady() && current != link) {
                    continue; // moved to a live link meanwhile (a takeover completed)
                }
                if (!outage.isOffline() && (current == null || !current.awaitsTakeover())) {
                    if (ready.isEmpty()) {
                        return false; // no link and no grace period: the client must go
                    }
                    continue; // the link it was given went at that instant: the next turn picks another
                }
                // Under the pool's monitor, as moveClients: a takeover that completes now finds this buffer.
                held.computeIfAbsent(streamId, id -> newHoldBuffer());
            }
        }
        LOG.warn("Client {}: no link would take its stanza after {} tries", streamId, MAX_ROUTE_TURNS);
        return false;
    }

    private static final int MAX_ROUTE_TURNS = 64;

    @Override
    public void slowDownIfCongested(String streamId, org.apache.mina.core.session.IoSession client) {
        HoldBuffer buffer = held.get(streamId);
        if (buffer != null) {
            buffer.slowDownIfFull(client);
            return;
        }
        ServerLink link = pinned.get(streamId);
        if (link != null) {
            link.slowDownIfCongested(client);
        }
    }

    @Override
    public void closeSession(String streamId) {
        synchronized (this) {
            HoldBuffer buffer = held.get(streamId);
            ServerLink current = pinned.get(streamId);
            if (buffer != null || current != null && current.awaitsTakeover()) {
                closeAfterRelease.add(streamId);
                held.computeIfAbsent(streamId, id -> newHoldBuffer());
                return;
            }
        }
        ServerLink link = pinned.remove(streamId);
        if (link == null || !link.isReady()) {
            List<ServerLink> links = ready;
            link = links.isEmpty() ? null : links.get(0);
        }
        if (link != null && outage.isStopping() && link.isAcknowledged()) {
            // The link's system-shutdown ends the session at the server (JEP example 25). A close sent now would end
            // it before the routes already on their way to us: those we report back in <failed> would then find no
            // session to be stored for, where the server keeps the session until the shutdown and stores them.
            return;
        }
        if (link != null) {
            link.closeSession(streamId);
        } else {
            outage.rememberClose(streamId);
        }
    }

    /** Any ready link, for traffic not tied to one client (failed-delivery reports). */
    public ServerLink anyLink() {
        List<ServerLink> links = ready;
        return links.isEmpty() ? null : links.get(0);
    }

    public long heldBytes() {
        return heldBytes.get();
    }

    /**
     * CM shutdown has begun: from now on a lost link is not reconnected and starts no grace period (whose timer
     * would outlive the timers), while ready links still carry the clients' close notifications.
     */
    public void beginStop() {
        outage.stop();
    }

    /** CM shutdown: every link gets {@code system-shutdown}; no reconnects from now on. Returns every link with a session. */
    public List<ServerLink> stop() {
        outage.stop();
        firstReady.completeExceptionally(new IllegalStateException("stopped before a link was ready"));
        List<ServerLink> open = new ArrayList<>();
        for (Slot slot : slots) {
            synchronized (slot) {
                if (slot.link != null) {
                    open.add(slot.link);
                }
            }
        }
        for (ServerLink link : open) {
            link.shutdown();
        }
        return open;
    }
}
