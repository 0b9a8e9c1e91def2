package org.xmppcm.cm.link;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mina.core.session.IoSession;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.cm.CmSettings;
import org.xmppcm.cm.link.LinkGraph.State;
import org.xmppcm.protocol.ack.AckElements;
import org.xmppcm.protocol.ack.SentLedger;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Handshake;
import org.xmppcm.protocol.cm.ManagerInstance;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.cm.SessionIq;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.machine.GraphPosition;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.transport.ReadGate;

/**
 * One link to the server's connection-manager listener, and its protocol, as declared in {@link LinkGraph}: the
 * events it is handed (the server's header and frames, TLS done, idle timers, the TCP close) move it through the
 * graph, and what it does goes out through its {@link LinkPort}. Its position changes only through a
 * {@link GraphPosition}; which lane it took (the JEP's, or ours with counted elements) is part of the position.
 *
 * <p>Copes with stock Openfire (01-link-setup.txt): {@code <handshake></handshake>}, a configuration IQ without
 * from/to, routes without xmlns or with escaped text, whitespace keepalives.
 */
public final class ServerLink {
    /** What the link tells the CM around it. */
    interface Listener {
        /** The server pushed its configuration: the link carries traffic from now on. */
        void linkReady(ServerLink link);

        /** A stanza for a client, from {@code via} (which reports it undeliverable, so before its own shutdown). */
        void routed(RoutedStanza routed, ServerLink via);

        /** The server pushed a new client configuration on a ready link: new clients get it. */
        void configurationPushed(ClientConfiguration configuration);

        /** The answer to {@link #probeSession}: whether the server still has the session. */
        void sessionProbed(String streamId, boolean exists);

        void sessionClosedByServer(String streamId, String streamErrorXml);

        /** The server refused to create a session the CM asked for. */
        void sessionRefused(String streamId);

        void linkClosed(ServerLink link, StreamErrorCondition serverError);

        /** {@code <resumed/>}: the server took over {@code lostLinkId}, of which it had {@code h} of ours. */
        default void takenOver(ServerLink by, String lostLinkId, long h) {
        }

        /** {@code <failed/>}: the server cannot take over {@code lostLinkId}. */
        default void takeoverRefused(ServerLink by, String lostLinkId) {
        }
    }

    /** One route or IQ we sent on an acknowledged link: for sending it again, or bouncing it to its client. */
    record Sent(Object xml, String streamId) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServerLink.class);
    private static final String CREATE_PREFIX = "create-";
    private static final String CLOSE_PREFIX = "close-";
    private static final String FAILED_PREFIX = "failed-";
    private static final String PROBE_PREFIX = "probe-";
    private static final String PING_PREFIX = "ping-";
    private static final String KEEPALIVE = " ";
    /**
     * The one bound on what a link holds for the server: above this many bytes (queued, and on an acknowledged link
     * sent but not acknowledged) the clients writing to it are no longer read (see {@link #slowDownIfCongested}), and
     * at or below {@link #RELIEVED_BYTES} they are read again. Nothing is refused or dropped for it.
     */
    public static final long CONGESTED_BYTES = 1024 * 1024;
    static final long RELIEVED_BYTES = CONGESTED_BYTES / 4;

    private final CmSettings settings;
    /** This process, named on every header so the server can tell a restart from a lost link. */
    private final ManagerInstance instance;
    private final String linkName;
    private final Listener listener;
    private final LinkPort port;
    /** Whether the link must run TLS before the handshake (link.tls=required). */
    private final boolean tlsRequired;
    private final InetSocketAddress server;
    private final GraphPosition<State> position = new GraphPosition<>(LinkGraph.GRAPH);
    private final AtomicLong iqCounter = new AtomicLong();
    private final CompletableFuture<ServerLink> ready = new CompletableFuture<>();
    /** Released once {@link #closed()} has run: no event of this link reaches the handler after it. */
    private final java.util.concurrent.CountDownLatch closeHandled = new java.util.concurrent.CountDownLatch(1);
    /** Clients whose reads this link paused while it was congested; read again once it has drained. */
    private final java.util.Set<IoSession> slowedDown = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile ClientConfiguration configuration;
    private Map<String, String> streamNamespaces = Map.of();
    private volatile StreamErrorCondition serverError;
    /** The {@code <text/>} of the server's stream error, or null. */
    private volatile String serverErrorText;
    /** The server's id of the stream we are on (of the last one, after restarts). */
    private volatile String streamId;
    /** What we sent on the acknowledged lane and the server has not acknowledged, to send again or bounce. */
    private final SentLedger<Sent> ledger = new SentLedger<>();
    /** Counted elements received; written only by this link's ordered event lane. */
    private final AtomicLong received = new AtomicLong();

    ServerLink(CmSettings settings, ManagerInstance instance, String linkName, LinkPort port, Listener listener,
               boolean tlsRequired, InetSocketAddress server) {
        this.settings = settings;
        this.instance = instance;
        this.linkName = linkName;
        this.port = port;
        this.listener = listener;
        this.tlsRequired = tlsRequired;
        this.server = server;
    }

    /** The server address this link went to. */
    SocketAddress server() {
        return server;
    }

    /** Completes when the server pushed its configuration; fails when the link closes first. */
    CompletableFuture<ServerLink> ready() {
        return ready;
    }

    /** Whether the link carries clients' traffic now. */
    public boolean isReady() {
        return LinkGraph.carriesTraffic(position.current());
    }

    State state() {
        return position.current();
    }

    public String name() {
        return settings.managerName() + "/" + linkName;
    }

    /** The client configuration the server pushed last. */
    ClientConfiguration configuration() {
        return configuration;
    }

    void open() {
        if (position.moveFrom(State.CONNECTING, State.AWAIT_HEADER)) {
            port.write(CmElements.linkStreamOpen(name(), instance));
        }
    }

    /** Writes to the server; false when the link is not ready for traffic. */
    public boolean send(Object xml) {
        return send(xml, null);
    }

    /**
     * Sends a route or session IQ of client {@code streamId} (null: of the link); false when the link takes no
     * traffic. A lost link that waits for its takeover still takes what it is given (a takeover racing its loss), into
     * its ledger only: it goes again with the rest. A ready stock link whose stream is ending loses it, as a cut link
     * would, and says it took it: its clients stay until the pool hears the link is gone and holds or moves them.
     */
    public boolean send(Object xml, String streamId) {
        State now = position.current();
        if (LinkGraph.carriesTraffic(now) || now == State.AWAIT_TAKEOVER) {
            emit(xml, streamId);
            return true;
        }
        if (now == State.ENDING && wasReady()) {
            LOG.debug("Link {}: our stream is over; dropped what {} sent", name(), streamId == null ? "the CM" : streamId);
            return true;
        }
        return false;
    }

    /** An answer of the link itself (an IQ result or error): counted as any IQ on the acknowledged lane. */
    private void reply(Object xml) {
        emit(xml, null);
    }

    /**
     * Every element written after the header. On the acknowledged lane a counted one (route, IQ) is numbered in the
     * ledger in the same step as it is queued, so that the numbers are its order on the wire. Once our stream is over
     * nothing is written; what is counted still joins the ledger, to go again after a takeover.
     */
    private void emit(Object xml, String streamId) {
        State now = position.current();
        boolean open = !LinkGraph.hasEnded(now);
        if (!LinkGraph.countsSent(now) || !isCounted(xml)) {
            writeIfOpen(now, xml);
            return;
        }
        int size = xml instanceof byte[] bytes ? bytes.length : ((String) xml).length();
        boolean askNow = ledger.sent(() -> {
            if (open) {
                port.write(xml);
            }
        }, new Sent(xml, streamId), size);
        if (askNow && open) {
            port.write(AckElements.REQUEST);
        }
    }

    /** A link-level element that is never counted (acknowledgements, pings, the takeover request). */
    private void writeIfOpen(State now, Object xml) {
        if (!LinkGraph.hasEnded(now)) {
            port.write(xml);
        }
    }

    private static boolean isCounted(Object xml) {
        return xml instanceof byte[] bytes ? AckElements.isCounted(bytes)
                : xml instanceof CharSequence text && AckElements.isCounted(text);
    }

    /** Whether this link counts what goes either way (it took the server's offer of acknowledgements). */
    public boolean isAcknowledged() {
        return LinkGraph.countsSent(position.current());
    }

    /** The server's id of this link (of its last stream), by which a lost link is taken over. */
    String linkId() {
        return streamId;
    }

    /** Counted elements received from the server on this link. */
    long receivedCount() {
        return received.get();
    }

    /** What the server has not acknowledged after its first {@code h}, taken out; null when {@code h} is too big. */
    java.util.List<SentLedger.Entry<Sent>> unacknowledgedAfter(long h) {
        return ledger.takeAfter(h);
    }

    /** What the server never acknowledged, taken out (nobody will take the link over). */
    java.util.List<SentLedger.Entry<Sent>> takeUnacknowledged() {
        return ledger.takeAll();
    }

    public long unacknowledgedBytes() {
        return ledger.bytes();
    }

    /** While lost and not yet taken over (or given up), the clients pinned to it hold their stanzas. */
    boolean awaitsTakeover() {
        return position.is(State.AWAIT_TAKEOVER);
    }

    /** The lost link was taken over, or given up: its clients stop waiting for it, and it takes nothing more. */
    void settle() {
        position.moveFrom(State.AWAIT_TAKEOVER, State.CLOSED);
    }

    /**
     * Stock Openfire answers our ping on any link of this manager, not always on the one that asked (seen on 5.1.1):
     * on such a link, when the manager has several, the only sign of life of its own is the server's whitespace
     * keepalive, every 30 s. So such a link waits at least two of those, whatever shorter timeout is set.
     */
    static final long STOCK_TIMEOUT_FLOOR_MILLIS = 65_000;

    private long timeoutMillis() {
        long configured = settings.links().timeout().toMillis();
        return isAcknowledged() || settings.links().count() == 1 ? configured
                : Math.max(configured, STOCK_TIMEOUT_FLOOR_MILLIS);
    }

    /**
     * Nothing came from the server for a keepalive interval: past the timeout, the link is lost (half-open, or the
     * server is frozen) and closed at once, which moves it on as any close does; before, the server is asked for a
     * sign of life.
     */
    void readerIdle() {
        long silentMillis = System.currentTimeMillis() - port.lastReadMillis();
        State now = position.current();
        if (silentMillis >= timeoutMillis()) {
            if (now != State.CLOSED && port.isOpen()) {
                LOG.warn("Link {}: nothing from the server for {} s; taking the link as lost", name(),
                        silentMillis / 1000);
                port.closeNow();
            }
            return;
        }
        if (now == State.ACKNOWLEDGED) {
            port.write(AckElements.REQUEST);
        } else if (now == State.READY) {
            // Stock Openfire answers any IQ get on the link with an error (bad-request): a sign of life all the same.
            port.write("<iq type='get' id='" + PING_PREFIX + iqCounter.incrementAndGet()
                    + "'><ping xmlns='urn:xmpp:ping'/></iq>");
        }
    }

    void createSession(String streamId, SocketAddress clientAddress) {
        String host = null;
        String address = null;
        if (clientAddress instanceof InetSocketAddress inet) {
            host = inet.getHostString();
            address = inet.getAddress() != null ? inet.getAddress().getHostAddress() : null;
        }
        send(CmElements.sessionIq(new SessionIq.Create(CREATE_PREFIX + streamId, streamId, host, address)), streamId);
    }

    void closeSession(String streamId) {
        send(CmElements.sessionIq(new SessionIq.Close(CLOSE_PREFIX + streamId, streamId, null)), streamId);
    }

    /**
     * Asks whether the server still has a session, without touching it: a session IQ with a child
     * the protocol does not define gets {@code bad-request} for a live session and
     * {@code item-not-found} for a gone one (06a-error-iqs.txt, case 17).
     */
    void probeSession(String streamId) {
        send("<iq type='set' id='" + PROBE_PREFIX + streamId + "'><session xmlns='" + Namespaces.CM_PROTOCOL
                + "' id='" + streamId + "'><probe/></session></iq>", streamId);
    }

    /**
     * A client just routed onto this link: if more than {@link #CONGESTED_BYTES} wait to be written (the server reads
     * slowly, or has paused reading while it catches up with a client), that client is not read until the link is
     * down to {@link #RELIEVED_BYTES}. Checked again after pausing, so a drain in between cannot strand it.
     */
    void slowDownIfCongested(IoSession client) {
        if (pendingBytes() <= CONGESTED_BYTES || hasEnded()) {
            return;
        }
        slowedDown.add(client);
        ReadGate.pause(client, this);
        if (pendingBytes() <= RELIEVED_BYTES || hasEnded()) {
            relieve();
        }
    }

    /** A link whose stream is over writes nothing more: it never drains, and must hold no client back. */
    private boolean hasEnded() {
        return LinkGraph.hasEnded(position.current());
    }

    /**
     * What the link holds for the server: unsent, and (on an acknowledged link) sent but not yet acknowledged, which
     * it keeps to send again. A server that reads but does not acknowledge slows the clients down as one that does
     * not read.
     */
    private long pendingBytes() {
        return port.queuedBytes() + ledger.bytes();
    }

    /** Something was written to the server, or it acknowledged: the paused clients are read again once drained. */
    void written() {
        if (!slowedDown.isEmpty() && pendingBytes() <= RELIEVED_BYTES) {
            relieve();
        }
    }

    private void relieve() {
        for (IoSession client : slowedDown) {
            if (slowedDown.remove(client)) {
                ReadGate.resume(client, this);
            }
        }
    }

    /** How many clients this link keeps from being read now. */
    int slowedDownClients() {
        return slowedDown.size();
    }

    /** Whitespace keepalive (RFC 6120 4.6.1) so the server does not drop an idle link. */
    void keepalive() {
        send(KEEPALIVE);
    }

    /** The server's header: of the first stream, or of the one after TLS or zlib. */
    void streamOpened(StreamOpen open) {
        State now = position.current();
        if (now != State.AWAIT_HEADER && now != State.TLS_RESTART && now != State.ZLIB_RESTART) {
            fail(StreamErrorCondition.NOT_WELL_FORMED, "unexpected stream header");
            return;
        }
        String id = open.attribute("id");
        if (id == null || id.isEmpty()) {
            // Stock Openfire answers a header it refuses with a bare header, then closes (06d).
            fail(StreamErrorCondition.INVALID_XML, "the server sent no stream id");
            return;
        }
        streamNamespaces = open.namespaces();
        streamId = id;
        // RFC 6120 5.3: the secret is proven only inside TLS; XEP-0138: compression before it too; and the features
        // say whether the server takes acknowledgements (RFC 6120 4.3.2: a 1.0 stream has them).
        boolean featuresFollow = "1.0".equals(open.attribute("version")) || now == State.AWAIT_HEADER && tlsRequired
                || now != State.ZLIB_RESTART && settings.links().compression();
        if (!featuresFollow) {
            sendHandshake(now, false);
        } else if (now == State.AWAIT_HEADER) {
            position.moveFrom(now, State.AWAIT_FEATURES);
        }
        // After a restart the features come in the same state: it names the stream they belong to.
    }

    private void sendHandshake(State from, boolean takeAckOffer) {
        if (!position.moveFrom(from, takeAckOffer ? State.AWAIT_ACK_HANDSHAKE : State.AWAIT_HANDSHAKE)) {
            return; // shut down meanwhile
        }
        String digest = Handshake.digest(streamId, settings.secret());
        // With the offer taken, both ends count from the next element on.
        port.write(takeAckOffer ? AckElements.handshakeTakingOffer(digest) : CmElements.handshake(digest));
    }

    /**
     * Synchronized with {@link #shutdown}: an element counted here is handled to its end (a stanza for a client that
     * has gone reported back in {@code <failed>} on this link) before the shutdown's last acknowledgement counts it.
     */
    synchronized void frameReceived(StanzaFrame frame) {
        State now = position.current();
        if (LinkGraph.countsReceived(now)) {
            if (AckElements.isCounted(frame)) {
                received.incrementAndGet();
            } else if (AckElements.NAMESPACE.equals(frame.namespace())) {
                ackElementReceived(frame);
                return;
            }
        }
        if (frame.is("route", Namespaces.CONNECTION_MANAGER)) {
            routeReceived(frame);
        } else if (frame.is("iq", Namespaces.CONNECTION_MANAGER)) {
            iqReceived(frame);
        } else if (frame.is("handshake", Namespaces.CONNECTION_MANAGER)) {
            handshakeAccepted(now);
        } else if (frame.is("error", Namespaces.STREAMS)) {
            streamErrorReceived(frame);
        } else if (frame.is("features", Namespaces.STREAMS)) {
            featuresReceived(now, frame);
        } else if (frame.is("proceed", Namespaces.TLS) && now == State.AWAIT_PROCEED) {
            startTls();
        } else if (frame.is("failure", Namespaces.TLS)) {
            fail(StreamErrorCondition.POLICY_VIOLATION, "the server refused STARTTLS, which link.tls=required demands");
        } else if (frame.is("compressed", Namespaces.COMPRESS_PROTOCOL) && now == State.AWAIT_COMPRESSED) {
            startCompression();
        } else if (frame.is("failure", Namespaces.COMPRESS_PROTOCOL) && now == State.AWAIT_COMPRESSED) {
            // XEP-0138 2: the stream goes on uncompressed.
            LOG.warn("Link {}: the server refused compression: {}", name(), frame.asString());
            sendHandshake(now, false);
        } else {
            LOG.warn("Link {}: ignoring unexpected element {}", name(), frame.asString());
        }
    }

    private void handshakeAccepted(State now) {
        if (now == State.AWAIT_HANDSHAKE || now == State.AWAIT_ACK_HANDSHAKE) {
            if (position.moveFrom(now, now == State.AWAIT_HANDSHAKE ? State.AWAIT_CONFIGURATION
                    : State.AWAIT_ACK_CONFIGURATION)) {
                LOG.info("Link {} authenticated", name());
            }
        }
        // Stock Openfire accepts a handshake sent again, and answers it again (06d f): nothing to do.
    }

    /** {@code <r/>}, {@code <a/>}, {@code <resumed/>}, {@code <failed/>} (see {@link AckElements}). */
    private void ackElementReceived(StanzaFrame frame) {
        java.util.OptionalLong h = AckElements.count(frame);
        if (AckElements.is(frame, "r")) {
            writeIfOpen(position.current(), AckElements.answer(received.get()));
        } else if (AckElements.is(frame, "a")) {
            if (h.isEmpty() || !ledger.acknowledged(h.getAsLong())) {
                fail(StreamErrorCondition.UNDEFINED_CONDITION, "the server acknowledged more than we sent");
            } else {
                written();
            }
        } else if (AckElements.is(frame, "resumed") && h.isPresent() && frame.attribute("previd") != null) {
            listener.takenOver(this, frame.attribute("previd"), h.getAsLong());
        } else if (AckElements.is(frame, "failed") && frame.attribute("previd") != null) {
            listener.takeoverRefused(this, frame.attribute("previd"));
        } else {
            LOG.warn("Link {}: ignoring unexpected {}", name(), frame.asString());
        }
    }

    /** Asks the server to take over our lost link {@code lost} (of which we received {@code h}). */
    void resume(String lostLinkId, long h) {
        writeIfOpen(position.current(), AckElements.resume(lostLinkId, h));
    }

    /** The features of the first stream ({@code AWAIT_FEATURES}), or of the stream after TLS or zlib. */
    private void featuresReceived(State now, StanzaFrame frame) {
        if (now != State.AWAIT_FEATURES && now != State.TLS_RESTART && now != State.ZLIB_RESTART) {
            LOG.debug("Link {} features: {}", name(), frame.asString());
            return;
        }
        Element features;
        try {
            features = XmlDom.parse(frame, streamNamespaces);
        } catch (CmProtocolException e) {
            features = null;
        }
        if (now == State.AWAIT_FEATURES && tlsRequired) {
            if (features == null || features.element(org.dom4j.QName.get("starttls", Namespaces.TLS)) == null) {
                fail(StreamErrorCondition.POLICY_VIOLATION,
                        "the server does not offer STARTTLS, which link.tls=required demands");
                return;
            }
            if (position.moveFrom(now, State.AWAIT_PROCEED)) {
                port.write("<starttls xmlns='" + Namespaces.TLS + "'/>");
            }
        } else if (now != State.ZLIB_RESTART && settings.links().compression() && offersZlib(features)) {
            if (position.moveFrom(now, State.AWAIT_COMPRESSED)) {
                port.write("<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'><method>zlib</method></compress>");
            }
        } else {
            sendHandshake(now, AckElements.offered(features));
        }
    }

    private static boolean offersZlib(Element features) {
        Element compression = features == null ? null
                : features.element(org.dom4j.QName.get("compression", Namespaces.COMPRESS_FEATURE));
        if (compression == null) {
            return false;
        }
        for (Element method : compression.elements()) {
            if ("zlib".equals(method.getTextTrim())) {
                return true;
            }
        }
        return false;
    }

    /** After {@code <compressed/>}: zlib under the parser (inside TLS), then a fresh stream (XEP-0138 2). */
    private void startCompression() {
        port.restartParser();
        port.addZlib();
        if (position.moveFrom(State.AWAIT_COMPRESSED, State.ZLIB_RESTART)) {
            port.write(CmElements.linkStreamOpen(name(), instance));
        }
    }

    /**
     * After {@code <proceed/>}: TLS under the parser; the new stream waits for {@link #tlsSecured()}. The move comes
     * before the layer, whose handshake may end (on the I/O thread) before this returns.
     */
    private void startTls() {
        port.restartParser();
        if (position.moveFrom(State.AWAIT_PROCEED, State.TLS_HANDSHAKE)) {
            port.addTls();
        }
    }

    /**
     * The TLS handshake is done: open a fresh stream inside it (RFC 6120 5.4.3.3). Nothing is written before, so no
     * record is ever queued behind a handshake in progress. On the I/O thread, which holds the TLS engine's lock: so
     * it takes no lock of ours, only the position's compare-and-set.
     */
    void tlsSecured() {
        if (position.moveFrom(State.TLS_HANDSHAKE, State.TLS_RESTART)) {
            port.write(CmElements.linkStreamOpen(name(), instance));
        }
    }

    private void routeReceived(StanzaFrame frame) {
        if ("error".equals(frame.attribute("type"))) {
            // The server refused a route of ours (06a): for a session it no longer has, the client is cut off.
            String streamId = frame.attribute("streamid");
            org.xmppcm.protocol.cm.StanzaError error = null;
            try {
                error = CmElements.parseError(XmlDom.parse(frame, streamNamespaces));
            } catch (CmProtocolException e) {
                LOG.debug("Link {}: unreadable route error: {}", name(), e.getMessage());
            }
            LOG.warn("Link {}: server refused a route for {}: {}", name(), streamId,
                    error == null ? "no readable error" : error.condition().elementName());
            if (streamId != null && error != null
                    && error.condition() == org.xmppcm.protocol.cm.StanzaErrorCondition.ITEM_NOT_FOUND) {
                listener.sessionClosedByServer(streamId, null);
            }
            return;
        }
        try {
            listener.routed(RouteCodec.unwrap(frame), this);
        } catch (CmProtocolException e) {
            // Only a broken server sends these; the link itself is fine.
            LOG.warn("Link {}: dropping unusable route ({}): {}", name(), e.getMessage(), frame.asString());
        }
    }

    private void iqReceived(StanzaFrame frame) {
        Element iq;
        try {
            iq = XmlDom.parse(frame, streamNamespaces);
        } catch (CmProtocolException e) {
            LOG.warn("Link {}: unreadable IQ: {}", name(), frame.asString());
            return;
        }
        String type = iq.attributeValue("type", "");
        String id = iq.attributeValue("id", "");
        Element child = iq.elements().isEmpty() ? null : iq.elements().get(0);
        switch (type) {
            case "set" -> iqSet(iq, child);
            case "error" -> iqError(id, iq);
            case "result" -> {
                if (id.startsWith(PING_PREFIX)) {
                    return;
                }
                if (id.startsWith(PROBE_PREFIX)) {
                    // Not what servers answer, but a result can only come from a session that exists.
                    listener.sessionProbed(id.substring(PROBE_PREFIX.length()), true);
                }
                // Other results to our session IQs carry nothing we need.
            }
            default -> reply(CmElements.iqError(iq,
                    org.xmppcm.protocol.cm.StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, null));
        }
    }

    private void iqSet(Element iq, Element child) {
        if (child != null && child.getName().equals("configuration")
                && Namespaces.CM_PROTOCOL.equals(child.getNamespaceURI())) {
            try {
                configuration = CmElements.parseConfiguration(child);
            } catch (CmProtocolException e) {
                reply(CmElements.iqError(iq, e.condition(), e.cmCondition()));
                return;
            }
            State now = position.current();
            if (now == State.AWAIT_CONFIGURATION || now == State.AWAIT_ACK_CONFIGURATION) {
                // The result first: on an acknowledged link it is the first element we count after our handshake.
                reply(CmElements.iqResult(iq));
                boolean acknowledged = now == State.AWAIT_ACK_CONFIGURATION;
                if (!position.moveFrom(now, acknowledged ? State.ACKNOWLEDGED : State.READY)) {
                    return; // shut down meanwhile
                }
                LOG.info("Link {} ready ({}): {}", name(), acknowledged ? "acknowledged" : "not acknowledged: the server"
                        + " does not offer it", configuration);
                ready.complete(this);
                listener.linkReady(this);
            } else {
                // Applied before it is acknowledged: once the server has the result, the new limits are in effect.
                listener.configurationPushed(configuration);
                reply(CmElements.iqResult(iq));
                LOG.info("Link {}: new client configuration applied: {}", name(), configuration);
            }
        } else if (child != null && child.getName().equals("session")
                && Namespaces.CM_PROTOCOL.equals(child.getNamespaceURI())) {
            try {
                SessionIq request = CmElements.parseSessionIq(iq);
                if (request instanceof SessionIq.Close close) {
                    reply(CmElements.iqResult(iq));
                    listener.sessionClosedByServer(close.streamId(), close.streamErrorXml());
                } else {
                    reply(CmElements.iqError(iq,
                            org.xmppcm.protocol.cm.StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, null));
                }
            } catch (CmProtocolException e) {
                reply(CmElements.iqError(iq, e.condition(), e.cmCondition()));
            }
        } else {
            reply(CmElements.iqError(iq,
                    org.xmppcm.protocol.cm.StanzaErrorCondition.SERVICE_UNAVAILABLE, null));
        }
    }

    private void iqError(String id, Element iq) {
        if (id.startsWith(PING_PREFIX)) {
            LOG.debug("Link {}: the server answered our ping", name()); // stock Openfire: bad-request, alive
        } else if (id.startsWith(PROBE_PREFIX)) {
            Element error = iq.element("error");
            boolean gone = error != null && error.element(
                    org.dom4j.QName.get("item-not-found", Namespaces.STANZAS)) != null;
            listener.sessionProbed(id.substring(PROBE_PREFIX.length()), !gone);
        } else if (id.startsWith(CREATE_PREFIX)) {
            String streamId = id.substring(CREATE_PREFIX.length());
            LOG.warn("Link {}: server refused session {}: {}", name(), streamId, iq.asXML());
            listener.sessionRefused(streamId);
        } else if (id.startsWith(CLOSE_PREFIX)) {
            // The server had already ended the session (stock Openfire never tells us): nothing to undo.
            LOG.debug("Link {}: close of an unknown session: {}", name(), id);
        } else {
            LOG.warn("Link {}: IQ error from server: {}", name(), iq.asXML());
        }
    }

    private void streamErrorReceived(StanzaFrame frame) {
        serverError = StreamErrorCondition.UNDEFINED_CONDITION;
        try {
            Element error = XmlDom.parse(frame, streamNamespaces);
            // RFC 6120 4.9.2: the condition and the optional text, in the streams-error namespace; anything else is
            // application-specific and does not change the condition.
            for (Element child : error.elements()) {
                if (!Namespaces.STREAM_ERRORS.equals(child.getNamespaceURI())) {
                    continue;
                }
                if ("text".equals(child.getName())) {
                    serverErrorText = child.getTextTrim();
                } else {
                    serverError = StreamErrorCondition.fromElementName(child.getName());
                }
            }
        } catch (CmProtocolException e) {
            LOG.debug("Link {}: unreadable stream error {}", name(), frame.asString());
        }
        LOG.warn("Link {}: server stream error {}", name(), frame.asString());
        // The server's system-shutdown (JEP ex. 28) ends its sessions: nobody is to take this link over.
        closeStream(serverError == StreamErrorCondition.SYSTEM_SHUTDOWN);
    }

    /** True once the server pushed its configuration on this link (it carried traffic). */
    boolean wasReady() {
        // Completed normally only when the configuration came; a close before completes it exceptionally.
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** How the server ended this link, for an operator: the condition and its text, or null when it gave none. */
    String serverErrorDescription() {
        StreamErrorCondition condition = serverError;
        if (condition == null) {
            return null;
        }
        String text = serverErrorText;
        return condition.elementName() + (text == null || text.isEmpty() ? "" : " (" + text + ")");
    }

    /** Ends our side of the stream (RFC 6120 4.4) once, whoever asked first, and the connection after it. */
    private void closeStream(boolean systemShutdown) {
        if (endStream(systemShutdown)) {
            port.write(CmElements.STREAM_CLOSE);
            port.closeAfterWrites();
        }
    }

    /**
     * Moves to where our stream's end leads, and is true for the one caller that made the move: it writes the end,
     * after which nothing may follow (the connection is closing behind it, so a second end would only fail as a write
     * to a closed session). An acknowledged link whose stream ends (other than by a shutdown) is lost: it waits for
     * its takeover.
     */
    private boolean endStream(boolean systemShutdown) {
        while (true) {
            State now = position.current();
            if (LinkGraph.hasEnded(now)) {
                return false;
            }
            State next = now == State.ACKNOWLEDGED && !systemShutdown ? State.AWAIT_TAKEOVER : State.ENDING;
            if (position.moveFrom(now, next)) {
                return true;
            }
        }
    }

    /** True once we shut the link down or ended our side of its stream. */
    boolean isEnding() {
        return hasEnded();
    }

    /** Report a failed delivery of a message to a client that has gone. */
    public void reportFailed(String streamId, String stanzaXml) {
        send(CmElements.sessionIq(new SessionIq.Failed(FAILED_PREFIX + iqCounter.incrementAndGet(), streamId, stanzaXml)),
                streamId);
    }

    /** The server's {@code </stream:stream>}: ours answers it. */
    void streamEnded() {
        closeStream(false);
    }

    void fail(StreamErrorCondition condition, String text) {
        if (!endStream(false)) {
            LOG.debug("Link {}: {} after our stream ended: {}", name(), condition.elementName(), text);
            return;
        }
        LOG.warn("Link {}: closing with {}: {}", name(), condition.elementName(), text);
        port.write(CmElements.standaloneStreamError(condition, text));
        port.write(CmElements.STREAM_CLOSE);
        port.closeAfterWrites();
    }

    /** CM shutdown (JEP ex. 25): tell the server, then close. A lost link is given up. */
    synchronized void shutdown() {
        settle();
        State before = position.current();
        if (!endStream(true)) {
            return; // our stream is over already: nothing left to tell the server
        }
        if (!port.isOpen()) {
            return; // the server closed first
        }
        if (before == State.ACKNOWLEDGED || before == State.AWAIT_ACK_CONFIGURATION) {
            // Last words before going: what we took, so the server does not hand it to offline storage again.
            port.write(AckElements.answer(received.get()));
        }
        port.write(CmElements.standaloneStreamError(StreamErrorCondition.SYSTEM_SHUTDOWN, null));
        port.write(CmElements.STREAM_CLOSE);
        port.closeAfterWrites();
    }

    /** The connection is gone: an acknowledged link is lost and waits for its takeover; any other is closed. */
    void closed() {
        try {
            while (true) {
                State now = position.current();
                if (now == State.AWAIT_TAKEOVER || now == State.CLOSED
                        || position.moveFrom(now, now == State.ACKNOWLEDGED ? State.AWAIT_TAKEOVER : State.CLOSED)) {
                    break;
                }
            }
            relieve(); // they move to another link, or are held, when they next send
            ready.completeExceptionally(new IllegalStateException("link " + name() + " closed before it was ready"));
            listener.linkClosed(this, serverError);
        } finally {
            closeHandled.countDown();
        }
    }

    /** Waits up to {@code millis} for {@link #closed()} to have run; true when it has. */
    public boolean awaitCloseHandled(long millis) {
        try {
            return closeHandled.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The MINA session under the link (the CM's stop waits on it); null for a link driven through another port. */
    public IoSession session() {
        return port instanceof MinaLinkPort mina ? mina.session() : null;
    }
}
