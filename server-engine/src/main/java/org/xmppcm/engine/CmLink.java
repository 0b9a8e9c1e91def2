package org.xmppcm.engine;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.ack.AckElements;
import org.xmppcm.protocol.ack.InboundCount;
import org.xmppcm.protocol.ack.SentLedger;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.ManagerInstance;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.machine.GraphPosition;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * One TCP link from a CM: its place in {@link LinkState#GRAPH}, its identity once the header is read, and the only
 * way the engine writes to it. Writes never block: they queue in the {@link LinkPort}, and a link whose queue passes
 * the {@link LinkLimits} is closed instead of being allowed to grow without limit.
 *
 * <p>Every move is made under this object's monitor, together with what the move writes (so that a close racing it
 * comes wholly before or after), except the settling of a lost link, a compare-and-set out of {@code LOST} that no
 * other move competes with. Sends read the state without the monitor (see the package documentation).
 */
final class CmLink {
    private static final Logger LOG = LoggerFactory.getLogger(CmLink.class);

    private final LinkPort io;
    /** What this link is offered before its handshake, as it stood when the link connected. */
    private final LinkSecurity security;
    /** The id of the current stream: a restart after STARTTLS or compression brings a new one. */
    private volatile String streamId;
    private final String fallbackFrom;
    private final Instant connectedSince = Instant.now();
    // Counted here rather than by MINA, whose message counters miss what our decoder hands straight to the handler.
    private final LongAdder elementsIn = new LongAdder();
    private final LongAdder elementsOut = new LongAdder();
    private final Consumer<CmLink> onClosed;
    private final LinkLimits limits;

    private final GraphPosition<LinkState> state = new GraphPosition<>(LinkState.GRAPH);
    private volatile LinkCloseReason closeReason;
    private volatile long overLimitSince; // when the write queue was first seen above the limit; 0: not above
    /** Ends the negotiation at the deadline; null once disarmed (authenticated, closed) or when never armed. */
    private ScheduledFuture<?> negotiationDeadline; // guarded by this
    private volatile String connection; // the full 'to' of the CM's header, e.g. cmtest/conn1
    private volatile String managerName;
    /** The manager process named by the header ({@code xcm:instance}), or null when the CM names none. */
    private volatile ManagerInstance instance;
    private volatile Map<String, String> streamNamespaces = Map.of();
    private volatile ManagerEntry manager;
    /** What we sent and the CM has not acknowledged; written in the same step as the socket (see {@link #send}). */
    private final SentLedger<Sent> ledger = new SentLedger<>();
    /** What we took from the CM on this link, and the fence a resumption on another link ends it with. */
    private final InboundCount inbound = new InboundCount();
    /** Sessions that held stanzas while this lost link waited to be taken over: released with it. */
    private final java.util.Set<RoutedSession> holding = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * One element sent on an acknowledged link, kept until acknowledged: enough to send it again on another link
     * of the manager, and to know whose it is (a session's route or close; null for link-level IQs).
     */
    record Sent(String xml, RoutedSession session) {
    }

    /**
     * @param security what the link is offered (TLS, compression)
     * @param fallbackFrom our address for a header sent before the CM said whom it addresses (the domain)
     * @param onClosed told once the link is gone (CLOSED or LOST), whoever closed it (takes it out of routing)
     */
    CmLink(LinkPort io, LinkSecurity security, String streamId, String fallbackFrom, LinkLimits limits,
           Consumer<CmLink> onClosed) {
        this.io = io;
        this.security = security;
        this.streamId = streamId;
        this.fallbackFrom = fallbackFrom;
        this.limits = limits;
        this.onClosed = onClosed;
    }

    String streamId() {
        return streamId;
    }

    LinkState state() {
        return state.current();
    }

    /** Whether the CM proved the secret and the link is up (acknowledged or not). */
    boolean isAuthenticated() {
        LinkState now = state.current();
        return now == LinkState.AUTHENTICATED || now == LinkState.ACKNOWLEDGED;
    }

    /** Closing, closed, lost or settled: nothing more is read, and only a lost link still keeps what it is sent. */
    boolean isGone() {
        return isGone(state.current());
    }

    private static boolean isGone(LinkState where) {
        return where == LinkState.LOST || where == LinkState.SETTLED || where == LinkState.CLOSED;
    }

    /** Before authentication and not closed: the header, restarts and handshake, under the negotiation deadline. */
    private boolean isNegotiating() {
        LinkState now = state.current();
        return now != LinkState.AUTHENTICATED && now != LinkState.ACKNOWLEDGED && !isGone(now);
    }

    /** Our header for the current stream is still owed: a stream error must come after one (RFC 6120 4.9.1.1). */
    private boolean owesHeader() {
        LinkState now = state.current();
        return now == LinkState.AWAIT_HEADER || now == LinkState.TLS_RESTART || now == LinkState.ZLIB_RESTART;
    }

    /** Records who the CM says it is (from its header): its link name, manager and, if it names one, process. */
    void identify(String to, String managerName, Map<String, String> namespaces, ManagerInstance instance) {
        this.connection = to;
        this.managerName = managerName;
        this.streamNamespaces = Map.copyOf(namespaces);
        this.instance = instance;
    }

    ManagerInstance instance() {
        return instance;
    }

    /** The CM's full link name ({@code NAME/connN}), or null before the header. */
    String connection() {
        return connection;
    }

    String managerName() {
        return managerName;
    }

    Map<String, String> streamNamespaces() {
        return streamNamespaces;
    }

    ManagerEntry manager() {
        return manager;
    }

    void joined(ManagerEntry entry) {
        this.manager = entry;
    }

    Instant connectedSince() {
        return connectedSince;
    }

    SocketAddress remoteAddress() {
        return io.remoteAddress();
    }

    /** A top-level element arrived from the CM. */
    void elementReceived() {
        elementsIn.increment();
    }

    LinkTraffic traffic() {
        return new LinkTraffic(elementsIn.sum(), elementsOut.sum(), io.bytesRead(), io.bytesWritten());
    }

    /**
     * Stops reading this link on behalf of {@code reason} (a session whose host fell behind) until
     * {@link #resumeInput} for it; other reasons to pause (the hand-off queue) are counted apart.
     */
    void pauseInput(Object reason) {
        io.pauseReads(reason);
    }

    void resumeInput(Object reason) {
        io.resumeReads(reason);
    }

    /** Whether anything pauses this link's reads now (for tests and the admin pages). */
    boolean isInputPaused() {
        return io.readsPaused();
    }

    boolean isSecured() {
        return io.hasTls();
    }

    boolean isCompressed() {
        return io.hasZlib();
    }

    LinkCloseReason closeReason() {
        return closeReason;
    }

    /**
     * Starts the negotiation deadline: {@link LinkLimits#negotiationTimeoutSeconds()} from now (accept), whatever the
     * CM sends meanwhile. Reader idleness alone would let a peer that trickles a byte every few seconds stay
     * unauthenticated forever. One task on the listener's shared scheduler, cancelled on authentication or close, so
     * a link costs a queue entry and no thread or timer of its own.
     */
    synchronized void armNegotiationTimeout(ScheduledExecutorService timers) {
        if (!isNegotiating() || negotiationDeadline != null) {
            return;
        }
        try {
            negotiationDeadline = timers.schedule(this::negotiationTimedOut, limits.negotiationTimeoutSeconds(),
                    TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopping) {
            // The listener is stopping: every link gets system-shutdown anyway.
        }
    }

    /** Authenticated (the link may then be quiet as long as it likes) or closed: the deadline no longer applies. */
    synchronized void disarmNegotiationTimeout() {
        if (negotiationDeadline != null) {
            negotiationDeadline.cancel(false);
            negotiationDeadline = null;
        }
    }

    /** The deadline passed: {@code connection-timeout}, unless the handshake got in first (checked under the lock). */
    private void negotiationTimedOut() {
        if (closeWith(LinkCloseReason.PROTOCOL_ERROR, true, CmElements.streamError(StreamErrorCondition.CONNECTION_TIMEOUT,
                null) + CmElements.STREAM_CLOSE, true)) {
            LOG.info("connection manager link {} from {} did not authenticate within {} s; closing it",
                    connection != null ? connection : "(no header yet)", io.remoteAddress(),
                    limits.negotiationTimeoutSeconds());
        }
    }

    /**
     * The CM's first header is accepted: our header answers it with the features the link is offered
     * ({@code AWAIT_HEADER} to {@code AWAIT_HANDSHAKE}). False when the link closed meanwhile.
     */
    synchronized boolean answerHeader() {
        return answer(LinkState.AWAIT_HEADER);
    }

    /**
     * The CM's header of the stream restarted after {@code <proceed/>} or {@code <compressed/>}: our header answers it
     * with the new stream id and what is still on offer. False when no restart is under way (or the link closed).
     */
    synchronized boolean answerRestartHeader(Map<String, String> namespaces) {
        LinkState restart = state.current();
        if (restart != LinkState.TLS_RESTART && restart != LinkState.ZLIB_RESTART) {
            return false;
        }
        streamNamespaces = Map.copyOf(namespaces);
        return answer(restart);
    }

    private boolean answer(LinkState from) {
        if (!state.moveFrom(from, LinkState.AWAIT_HANDSHAKE)) {
            return false;
        }
        write(header(features()));
        return true;
    }

    /**
     * STARTTLS is offered while the link has neither TLS nor zlib (XEP-0138 wants TLS first). The layers change only
     * on the way into a restart state, so within {@code AWAIT_HANDSHAKE} this is what our last features said.
     */
    private boolean offersTls() {
        return security.offersTls() && !isSecured() && !isCompressed();
    }

    /** zlib is offered while the link has none, but not in clear while TLS is required (the way on is STARTTLS). */
    private boolean offersZlib() {
        return security.compression() && !isCompressed() && (isSecured() || !security.requiresTls());
    }

    private String features() {
        StringBuilder xml = new StringBuilder();
        // Taken, or not, by the handshake that ends the negotiation (after any STARTTLS or zlib restart).
        xml.append(AckElements.FEATURE);
        if (offersTls()) {
            xml.append("<starttls xmlns='").append(Namespaces.TLS).append("'>")
                    .append(security.requiresTls() ? "<required/>" : "").append("</starttls>");
        }
        if (offersZlib()) {
            xml.append("<compression xmlns='").append(Namespaces.COMPRESS_FEATURE)
                    .append("'><method>zlib</method></compression>");
        }
        return xml.toString();
    }

    private String header(String features) {
        String from = connection != null ? connection : fallbackFrom;
        return CmElements.linkStreamOpenReply(from, streamId, features);
    }

    /** TLS is required and the link has not started it: its handshake must not be looked at. */
    boolean mustStartTlsFirst() {
        return security.requiresTls() && !isSecured();
    }

    /** Whether our last features offered zlib and it has not been started. */
    synchronized boolean offersCompression() {
        return state.is(LinkState.AWAIT_HANDSHAKE) && offersZlib();
    }

    /** Whether the CM owes us a new stream header (after {@code <proceed/>} or {@code <compressed/>}). */
    boolean awaitsRestart() {
        LinkState now = state.current();
        return now == LinkState.TLS_RESTART || now == LinkState.ZLIB_RESTART;
    }

    /**
     * {@code <starttls/>}: when our features offered it, {@code <proceed/>} and TLS under the stream from the next
     * byte on; the CM's new header will get {@code newStreamId}. The decoder is told to expect that header before
     * {@code <proceed/>} is written, so no byte of the new stream can reach the old stream's parser.
     *
     * @return false when STARTTLS was not offered (nothing was written)
     */
    synchronized boolean startTls(String newStreamId) {
        if (!state.is(LinkState.AWAIT_HANDSHAKE) || !offersTls()) {
            return false;
        }
        io.restartParser();
        write("<proceed xmlns='" + Namespaces.TLS + "'/>");
        // <proceed/> is in the write queue already, below where TLS goes in: it leaves in clear.
        io.addTls(security.tlsContext());
        restart(newStreamId, LinkState.TLS_RESTART);
        return true;
    }

    /**
     * {@code <compress>} with zlib: when offered, {@code <compressed/>} and zlib from the next byte on, as
     * {@link #startTls}.
     *
     * @return false when compression was not offered (nothing was written)
     */
    synchronized boolean startCompression(String newStreamId) {
        if (!state.is(LinkState.AWAIT_HANDSHAKE) || !offersZlib()) {
            return false;
        }
        io.restartParser();
        write("<compressed xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'/>");
        io.addZlib();
        restart(newStreamId, LinkState.ZLIB_RESTART);
        return true;
    }

    /** Under the monitor, from {@code AWAIT_HANDSHAKE}: until the CM's new header, an error gets a header first. */
    private void restart(String newStreamId, LinkState restartState) {
        streamId = newStreamId;
        state.moveTo(restartState);
    }

    /** XEP-0138 {@code <failure/>} with {@code condition}; the stream goes on uncompressed. */
    void refuseCompression(String condition) {
        send("<failure xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'><" + condition + "/></failure>");
    }

    /** STARTTLS was not offered: RFC 6120 5.4.2.2 {@code <failure/>}, then the stream ends. */
    boolean refuseTls() {
        return closeWith(LinkCloseReason.PROTOCOL_ERROR, false,
                "<failure xmlns='" + Namespaces.TLS + "'/>" + CmElements.STREAM_CLOSE, false);
    }

    /** The CM's compressed data cannot be inflated: XEP-0138 {@code processing-failed}, as the CM tells clients. */
    boolean failCompression() {
        return closeWith(LinkCloseReason.PROTOCOL_ERROR, true, "<stream:error><undefined-condition xmlns='"
                + Namespaces.STREAM_ERRORS + "'/><processing-failed xmlns='" + Namespaces.COMPRESS_PROTOCOL
                + "'/></stream:error>" + CmElements.STREAM_CLOSE, false);
    }

    /**
     * Queues {@code xml} for the CM. Dropped once the link is closing (an acknowledged link's ledger still has what
     * the CM did not confirm). Safe from any thread.
     */
    boolean send(String xml) {
        return send(xml, null);
    }

    /**
     * Queues {@code xml}, a route or IQ of {@code session} (null: of the link itself). On an acknowledged link it is
     * numbered in the ledger in the same step as it is queued, so that the numbers are the order on the wire.
     */
    boolean send(String xml, RoutedSession session) {
        LinkState now = state.current();
        if (isGone(now)) {
            if (now == LinkState.LOST && AckElements.isCounted(xml)) {
                // Lost but not yet taken over (a takeover or a flush racing the loss): it never reached the CM, so
                // it is kept to go again with the rest of the ledger.
                ledger.sent(new Sent(xml, session), xml.length());
                return true;
            }
            return false;
        }
        if (now == LinkState.ACKNOWLEDGED && AckElements.isCounted(xml)) {
            if (ledger.sent(() -> write(xml), new Sent(xml, session), xml.length())) {
                write(AckElements.REQUEST);
            }
        } else {
            write(xml);
        }
        elementsOut.increment();
        checkQueue();
        return true;
    }

    /** A control element (acknowledgement, resumption, handshake ack): never counted, never kept. */
    void sendControl(String xml) {
        if (!isGone()) {
            write(xml);
        }
    }

    private void checkQueue() {
        long queued = io.queuedBytes() + ledger.bytes();
        if (queued <= limits.queuedWriteBytes()) {
            overLimitSince = 0;
            return;
        }
        long now = System.currentTimeMillis();
        if (overLimitSince == 0) {
            overLimitSince = now;
        }
        // Stalled: over the limit for a while AND no byte written meanwhile (a link that was idle
        // before a burst has an old last-write time but is not stalled).
        long stalledMillis = now - Math.max(overLimitSince, io.lastWriteMillis());
        if (stalledMillis >= limits.stallMillis() || queued > limits.hardQueuedWriteBytes()) {
            overflow(queued, stalledMillis);
        }
    }

    // ---- acknowledgements and resumption (AckElements)

    /**
     * The handshake succeeded: {@code AUTHENTICATED}, or {@code ACKNOWLEDGED} when the CM took our {@code <ack/>}
     * offer on it, before anything is sent, so that the configuration IQ is the first element both ends count. Also
     * cancels the negotiation deadline, under the lock its expiry takes. False when the link closed meanwhile.
     */
    synchronized boolean authenticate(boolean acknowledged) {
        if (!state.moveFrom(LinkState.AWAIT_HANDSHAKE,
                acknowledged ? LinkState.ACKNOWLEDGED : LinkState.AUTHENTICATED)) {
            return false;
        }
        disarmNegotiationTimeout();
        return true;
    }

    /**
     * Whether the CM took our offer on its handshake: from then on both ends count the routes and IQs of this link,
     * and what we sent stays in {@link #ledger} until the CM acknowledges it (see {@link AckElements}). Stays true
     * once the link is lost or settled.
     */
    boolean isAcknowledged() {
        LinkState now = state.current();
        return now == LinkState.ACKNOWLEDGED || now == LinkState.LOST || now == LinkState.SETTLED;
    }

    /** Lost while acknowledged and not yet settled: its sessions wait for a takeover (see {@link #settle}). */
    boolean awaitsTakeover() {
        return state.is(LinkState.LOST);
    }

    /** Handles a counted element from the CM unless another link took this one over; false when it did. */
    boolean handleCounted(Runnable handler) {
        if (!isAcknowledged()) {
            handler.run();
            return true;
        }
        return inbound.handle(handler);
    }

    /** {@code <r/>}: how many counted elements we took. */
    void answerRequest() {
        sendControl(AckElements.answer(inbound.received()));
    }

    /** {@code <a h/>}: the CM took the first {@code h}; false when it claims more than we sent. */
    boolean acknowledgedUpTo(long h) {
        return ledger.acknowledged(h);
    }

    /** Asks for an acknowledgement when something waits for one (the periodic tick, and liveness). */
    void requestIfUnacknowledged() {
        if (state.is(LinkState.ACKNOWLEDGED) && ledger.size() > 0) {
            ledger.requested();
            write(AckElements.REQUEST);
        }
    }

    /**
     * Another link of the manager takes this one over: no element of ours is handled from now on, and the returned
     * count (what we took) is final. -1 when an element's handling did not finish in time.
     */
    long fence() {
        return inbound.fence(5_000);
    }

    /** What the CM did not receive of ours, after the first {@code h}; null when {@code h} is more than we sent. */
    java.util.List<SentLedger.Entry<Sent>> unacknowledgedAfter(long h) {
        return ledger.takeAfter(h);
    }

    /** What the CM never acknowledged, when nobody will take this link over. */
    java.util.List<SentLedger.Entry<Sent>> takeUnacknowledged() {
        return ledger.takeAll();
    }

    /** A session holds its stanzas until this lost link is settled. */
    void holding(RoutedSession session) {
        holding.add(session);
    }

    /**
     * Decides this lost link's fate (once: {@code LOST} to {@code SETTLED}, the only move made without the monitor,
     * which no other move out of {@code LOST} competes with); returns the sessions that held for it.
     */
    java.util.List<RoutedSession> settle() {
        if (!state.moveFrom(LinkState.LOST, LinkState.SETTLED) && !state.is(LinkState.SETTLED)) {
            LOG.warn("settling connection manager link {}, which was not lost", this);
        }
        java.util.List<RoutedSession> waiting = java.util.List.copyOf(holding);
        holding.clear();
        return waiting;
    }

    private final java.util.concurrent.atomic.AtomicBoolean lossHandled = new java.util.concurrent.atomic.AtomicBoolean();

    /** True the first time: every close path reports the loss, and it is handled once. */
    boolean firstLoss() {
        return lossHandled.compareAndSet(false, true);
    }

    /** The sessions holding for this lost link now. */
    java.util.List<RoutedSession> holdingSessions() {
        return java.util.List.copyOf(holding);
    }

    boolean isSettled() {
        return state.is(LinkState.SETTLED);
    }

    /** Bytes kept for the CM to acknowledge. */
    long unacknowledgedBytes() {
        return ledger.bytes();
    }

    /**
     * The CM does not read what we send. We say policy-violation and close after it; the sessions
     * are dealt with when MINA reports the socket closed (on an I/O thread), never here: this runs
     * on whatever host thread was delivering, and calling the host back from inside its own
     * {@code deliver()} would be a reentrancy trap. If the CM never drains its queue, the
     * shortened write timeout closes the socket.
     */
    private void overflow(long queued, long stalledMillis) {
        synchronized (this) {
            if (!markClosed()) {
                return;
            }
            closeReason = LinkCloseReason.WRITE_OVERFLOW;
            write(CmElements.streamError(StreamErrorCondition.POLICY_VIOLATION, null) + CmElements.STREAM_CLOSE);
            io.closeAfterFlush(limits.drainSeconds());
        }
        LOG.warn("connection manager link {} from {} is not keeping up ({} bytes queued, nothing written for {} ms);"
                + " closing it", connection, io.remoteAddress(), queued, stalledMillis);
    }

    /**
     * Ends the link with a stream error (after our header if we had not sent it yet, as RFC 6120
     * 4.9.1.1 asks). Returns false when the link was already closing.
     */
    boolean fail(StreamErrorCondition condition, String text, LinkCloseReason reason) {
        return closeWith(reason, true, CmElements.streamError(condition, text) + CmElements.STREAM_CLOSE, false);
    }

    /** Ends the link politely: {@code </stream:stream>} then close. */
    boolean closeStream(LinkCloseReason reason) {
        return closeWith(reason, false, CmElements.STREAM_CLOSE, false);
    }

    /** The socket is gone (peer closed TCP, or MINA closed it). */
    void connectionLost() {
        synchronized (this) {
            if (markClosed()) {
                closeReason = LinkCloseReason.CONNECTION_LOST;
            }
        }
        // Always tell: idempotent on the other side, and it must not be missed.
        onClosed.accept(this);
    }

    /** Closes the socket at once, without writing anything (I/O errors, write timeouts). */
    void abort(LinkCloseReason reason) {
        synchronized (this) {
            if (markClosed()) {
                closeReason = reason;
            }
        }
        io.closeNow();
        onClosed.accept(this);
    }

    /** @param unlessAuthenticated leave an authenticated link alone (decided under the same lock as the close) */
    private boolean closeWith(LinkCloseReason reason, boolean needsHeader, String lastWords, boolean unlessAuthenticated) {
        synchronized (this) {
            boolean sendHeaderFirst = needsHeader && owesHeader();
            if (unlessAuthenticated && isAuthenticated() || !markClosed()) {
                return false;
            }
            closeReason = reason;
            write(sendHeaderFirst ? header("") + lastWords : lastWords);
            // The close marker is queued behind the last words; anything written later is discarded.
            // A CM that does not read them loses its socket after the drain time.
            io.closeAfterFlush(limits.drainSeconds());
        }
        onClosed.accept(this);
        return true;
    }

    /**
     * With the monitor held: where a closing link goes, {@code LOST} when it was acknowledged (its fate is decided
     * later), {@code CLOSED} otherwise; the negotiation deadline no longer applies. False when it was gone already.
     */
    private boolean markClosed() {
        LinkState now = state.current();
        if (isGone(now) || !state.moveFrom(now, now == LinkState.ACKNOWLEDGED ? LinkState.LOST : LinkState.CLOSED)) {
            return false;
        }
        disarmNegotiationTimeout();
        return true;
    }

    private void write(String xml) {
        io.write(xml);
    }

    @Override
    public String toString() {
        return "CmLink[" + (connection != null ? connection : "?") + " " + io.remoteAddress() + " " + state.current()
                + "]";
    }
}
