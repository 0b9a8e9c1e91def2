package org.xmppcm.cm.link;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.machine.GraphPosition;
import org.xmppcm.protocol.machine.StateGraph;

/**
 * What the CM does while links go, declared as a graph ({@code docs/graphs/cm-outage.dot}): acknowledged links lost
 * and waiting to be taken over, the grace period while no link is up, the sessions asked after once one is back, and
 * the end of the grace period. {@link LinkPool} hands it events (a link ready, a link lost, a takeover decided, a
 * probe answered) and does what it answers; the grace timer is the only event of its own.
 *
 * <pre>
 *  NO_LINK --link ready--&gt; UP --acknowledged link lost--&gt; TAKEOVER --all taken over--&gt; UP
 *                          |                               +--refused: sessions asked after--&gt; PROBING
 *     last link lost ------+--&gt; GRACE (clients held) --link back--&gt; PROBING --all answered--&gt; UP
 *                                 +--timer / refused--&gt; GRACE_OVER (clients closed) --link back--&gt; PROBING
 * </pre>
 *
 * Thread-safe: every method takes this object's lock and calls out to nothing while it holds it (the timer's work runs
 * after), so callers may hold their own locks ({@link LinkPool}'s monitor) around it. The position is read without
 * the lock.
 *
 * @param <L> a link, as the pool knows it
 */
final class Outage<L> {
    enum State { NO_LINK, UP, TAKEOVER, PROBING, GRACE, GRACE_OVER, STOPPING }

    private static final String STOP = "CM stops";

    static final StateGraph<State> GRAPH;

    static {
        StateGraph.Builder<State> graph = StateGraph.of("cm-outage", State.class, State.NO_LINK);
        graph.state(State.NO_LINK, "JEP: a CM connects before it takes clients",
                        "no link is ready and no client is held: at the start, or after a loss without a grace period")
                .on("a link is ready", State.UP)
                .on("a link closed, grace period set", State.GRACE)
                .on(STOP, State.STOPPING);
        linksUp(graph.state(State.UP, "JEP Client Connection Handling", "links carry the clients; nothing waits")
                .on("an acknowledged link is lost", State.TAKEOVER)
                .on("a lost link given up meanwhile: its sessions asked after", State.PROBING));
        linksUp(graph.state(State.TAKEOVER, "docs/link-extensions.md 2 Takeover of a lost link",
                        "a lost acknowledged link waits for another to take it over; its clients hold")
                .on("every lost link taken over", State.UP)
                .on("a takeover refused: its sessions asked after", State.PROBING));
        linksUp(graph.state(State.PROBING, "06a-error-iqs.txt case 17 (session probe)",
                        "a link is back (or a takeover was refused): sessions asked after; their clients hold")
                .on("every session answered", State.UP)
                .on("every session answered, a takeover pending", State.TAKEOVER));
        graph.state(State.GRACE, "JEP: sessions may outlive their links; link.grace.seconds",
                        "no link: clients stay and their stanzas are held, bounded (HoldBuffer)")
                .on("a link is back", State.PROBING)
                .on("grace period over", State.GRACE_OVER)
                .on("the server refused this manager", State.GRACE_OVER)
                .on(STOP, State.STOPPING);
        graph.state(State.GRACE_OVER, "RFC 6120 4.9.3.15 remote-connection-failed",
                        "no link came back in time: clients closed, held stanzas bounced; closes told once one is back")
                .on("a link is back", State.PROBING)
                .on(STOP, State.STOPPING);
        graph.state(State.STOPPING, "JEP ex. 25", "the CM shuts down: nothing reconnects, nothing is held");
        GRAPH = graph.build();
    }

    /** The ways out of every state with a link up: the last one lost, with or without a grace period; the stop. */
    private static void linksUp(StateGraph.Builder<State> graph) {
        graph.on("last link lost, grace period set", State.GRACE)
                .on("last link lost, no grace period or system-shutdown: clients closed", State.NO_LINK)
                .on(STOP, State.STOPPING);
    }

    /** What a pool does with its clients when the last link went. */
    enum Clients { HELD, CLOSE, UNCHANGED }

    /** Starts a timer; what it returns cancels it. The CM's timers, or a fake clock in tests. */
    interface Scheduler {
        Runnable schedule(Runnable task, Duration delay);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Outage.class);

    private final GraphPosition<State> position = new GraphPosition<>(GRAPH);
    private final Scheduler scheduler;
    private final Supplier<Duration> gracePeriod;
    /** Runs when the grace period ran out, without this object's lock: the pool closes every client. */
    private final Runnable graceOver;
    // All guarded by this.
    private Runnable cancelGrace;
    /** Lost acknowledged links waiting to be taken over, by the server's link id, in the order they were lost. */
    private final Map<String, L> lost = new LinkedHashMap<>();
    /** Which ready link each lost link's takeover was asked on; asked again elsewhere when that one goes too. */
    private final Map<String, L> askedOn = new LinkedHashMap<>();
    /** Sessions asked after and not answered yet, with the link they were asked on. */
    private final Map<String, L> probes = new LinkedHashMap<>();
    /** Sessions whose clients left while no link was up: the server hears of it once one is back. */
    private final Set<String> closedWhileOffline = new LinkedHashSet<>();

    Outage(Scheduler scheduler, Supplier<Duration> gracePeriod, Runnable graceOver) {
        this.scheduler = scheduler;
        this.gracePeriod = gracePeriod;
        this.graceOver = graceOver;
    }

    State state() {
        return position.current();
    }

    /** No link is up and the clients were held: their routes are held, their closes remembered. */
    boolean isOffline() {
        State now = position.current();
        return now == State.GRACE || now == State.GRACE_OVER;
    }

    boolean isStopping() {
        return position.is(State.STOPPING);
    }

    /**
     * A link is ready. True when it is back after an outage: the pool then tells the server which clients left
     * ({@link #takeClosedWhileOffline}) and asks after the others ({@link #asking}).
     */
    synchronized boolean linkReady() {
        State now = position.current();
        if (now == State.NO_LINK) {
            position.moveTo(State.UP);
            rest(); // a link lost at the same time, not yet given up
            return false;
        }
        if (now != State.GRACE && now != State.GRACE_OVER) {
            return false;
        }
        cancelGraceTimer();
        position.moveTo(State.PROBING);
        return true;
    }

    /**
     * No link is ready any more (the last one went, or one that never got ready closed while none was). With a grace
     * period the clients are held and the timer starts; without one, or after the server's system-shutdown, the pool
     * closes them.
     */
    synchronized Clients noLinkLeft(boolean serverShutdown) {
        State now = position.current();
        if (now == State.GRACE || now == State.GRACE_OVER || now == State.STOPPING) {
            return Clients.UNCHANGED;
        }
        // Asked again, of every client, when a link is back.
        probes.clear();
        Duration grace = gracePeriod.get();
        if (grace.isZero() || serverShutdown) {
            if (now != State.NO_LINK) {
                position.moveTo(State.NO_LINK);
            }
            return Clients.CLOSE;
        }
        position.moveTo(State.GRACE);
        LOG.warn("No link to the server: holding clients for {} s", grace.toSeconds());
        cancelGrace = scheduler.schedule(this::graceTimerFired, grace);
        return Clients.HELD;
    }

    private void graceTimerFired() {
        synchronized (this) {
            if (!position.is(State.GRACE)) {
                return; // a link came back, or the server refused us, first
            }
            cancelGrace = null;
            position.moveTo(State.GRACE_OVER);
        }
        LOG.warn("No link came back within the grace period: closing every client");
        graceOver.run();
    }

    /**
     * The server refused this manager while no link is up: no link will come back by itself, so clients held are
     * held no longer. True when the pool must close them now.
     */
    synchronized boolean refusedWhileOffline() {
        State now = position.current();
        if (now == State.GRACE) {
            cancelGraceTimer();
            position.moveTo(State.GRACE_OVER);
        }
        return now == State.GRACE || now == State.GRACE_OVER;
    }

    /** An acknowledged link that carried traffic is lost: its clients hold until another link takes it over. */
    synchronized void linkLost(String linkId, L link) {
        lost.put(linkId, link);
        rest();
    }

    /** The lost links whose takeover nobody was asked for yet, now recorded as asked on {@code on}. */
    synchronized List<L> takeoversToAsk(L on) {
        List<L> ask = new ArrayList<>();
        lost.forEach((id, link) -> {
            if (askedOn.putIfAbsent(id, on) == null) {
                ask.add(link);
            }
        });
        return ask;
    }

    /** {@code gone} went before answering the takeovers asked on it: true when some may be asked again elsewhere. */
    synchronized boolean takeoversAskedOnLost(L gone) {
        return askedOn.values().removeIf(on -> on == gone);
    }

    /**
     * The takeover of {@code linkId} is being decided (the server answered, or nobody will): it is no longer waited
     * for. Null when it was not (decided already). The pool then calls {@link #asking} for its clients, if it gives
     * the link up, and {@link #settled} in any case.
     */
    synchronized L takeLost(String linkId) {
        askedOn.remove(linkId);
        return lost.remove(linkId);
    }

    /** What {@link #takeLost} started is done. */
    synchronized void settled() {
        rest();
    }

    /** Sessions asked after on {@code on}: their clients hold until {@link #answered}. */
    synchronized void asking(Collection<String> streamIds, L on) {
        for (String streamId : streamIds) {
            probes.put(streamId, on);
        }
        rest();
    }

    /** The server answered whether it still has {@code streamId}. */
    synchronized void answered(String streamId) {
        probes.remove(streamId);
        rest();
    }

    /** {@code gone} went before answering: the sessions still asked after on it, to ask again elsewhere. */
    synchronized List<String> probesAskedOnLost(L gone) {
        List<String> again = new ArrayList<>();
        probes.forEach((streamId, on) -> {
            if (on == gone) {
                again.add(streamId);
            }
        });
        return again;
    }

    /**
     * The clients are being closed (grace over, refused, or no grace period): nobody waits for a takeover or an
     * answer any more. Returns the lost links, which nobody will take over.
     */
    synchronized List<L> clientsClosed() {
        List<L> abandoned = List.copyOf(lost.values());
        lost.clear();
        askedOn.clear();
        probes.clear();
        rest();
        return abandoned;
    }

    /** A client left: true when the server must hear of it once a link is back (no link is up now). */
    synchronized boolean rememberClose(String streamId) {
        if (!isOffline()) {
            return false;
        }
        closedWhileOffline.add(streamId);
        return true;
    }

    /** The clients that left while no link was up, taken out, to tell the server on the link that is back. */
    synchronized List<String> takeClosedWhileOffline() {
        List<String> closed = List.copyOf(closedWhileOffline);
        closedWhileOffline.clear();
        return closed;
    }

    /** CM shutdown: from now on no link is reconnected and nothing is held. */
    synchronized void stop() {
        if (!isStopping()) {
            cancelGraceTimer();
            position.moveTo(State.STOPPING);
        }
    }

    /** While links are up, the state says what still waits: answers first, then takeovers. */
    private void rest() {
        State now = position.current();
        if (now != State.UP && now != State.TAKEOVER && now != State.PROBING) {
            return;
        }
        State next = !probes.isEmpty() ? State.PROBING : !lost.isEmpty() ? State.TAKEOVER : State.UP;
        if (next != now) {
            position.moveTo(next);
        }
    }

    private void cancelGraceTimer() {
        if (cancelGrace != null) {
            cancelGrace.run();
            cancelGrace = null;
        }
    }
}
