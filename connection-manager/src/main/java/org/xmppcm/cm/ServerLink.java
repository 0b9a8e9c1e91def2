package org.xmppcm.cm;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mina.core.session.IoSession;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.transport.ReadGate;

/**
 * One authenticated link to the server's connection-manager listener, and its protocol:
 *
 * <pre>
 *  CONNECTED --our header--> AWAIT_HEADER --server header, our handshake--> AWAIT_HANDSHAKE
 *     --&lt;handshake/&gt;--> AWAIT_CONFIGURATION --configuration IQ, our result--> READY --close--> CLOSED
 * </pre>
 *
 * Copes with stock Openfire (01-link-setup.txt): {@code <handshake></handshake>}, a configuration
 * IQ without from/to, routes without xmlns or with escaped text, whitespace keepalives.
 */
final class ServerLink {
    enum State {
        CONNECTED, AWAIT_HEADER, AWAIT_FEATURES, AWAIT_PROCEED, AWAIT_TLS, AWAIT_COMPRESSED, AWAIT_HANDSHAKE,
        AWAIT_CONFIGURATION, READY, CLOSED
    }

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
     * Unsent bytes on the link above which the clients writing to it are no longer read (see
     * {@link #slowDownIfCongested}), and at or below which they are read again.
     */
    static final long CONGESTED_BYTES = 1024 * 1024;
    static final long RELIEVED_BYTES = CONGESTED_BYTES / 4;

    private final CmSettings settings;
    /** This process, named on every header so the server can tell a restart from a lost link. */
    private final ManagerInstance instance;
    private final String linkName;
    private final Listener listener;
    private final IoSession session;
    private final AtomicLong iqCounter = new AtomicLong();
    private final CompletableFuture<ServerLink> ready = new CompletableFuture<>();
    /** Released once {@link #closed()} has run: no event of this link reaches the handler after it. */
    private final java.util.concurrent.CountDownLatch closeHandled = new java.util.concurrent.CountDownLatch(1);
    private volatile State state = State.CONNECTED;
    /** Clients whose reads this link paused while it was congested; read again once it has drained. */
    private final java.util.Set<IoSession> slowedDown = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile ClientConfiguration configuration;
    private Map<String, String> streamNamespaces = Map.of();
    private volatile StreamErrorCondition serverError;
    /** The {@code <text/>} of the server's stream error, or null. */
    private volatile String serverErrorText;
    /** Non-null when the link must upgrade to TLS before the handshake. */
    private final org.xmppcm.cm.link.LinkTlsContext tls;
    private final java.net.InetSocketAddress server;
    private boolean secured;
    private boolean compressed;
    private boolean compressionRefused;
    private String streamId;
    private boolean streamClosed;
    /** Whether the server offered acknowledgements in the features of the stream we authenticate on. */
    private boolean acknowledgementsOffered;
    /**
     * Set when our handshake took the server's offer: from the element after the handshake on, both ends count the
     * routes and IQs of this link, and what we sent stays in {@link #ledger} until acknowledged.
     */
    private volatile boolean acknowledged;
    private final SentLedger<Sent> ledger = new SentLedger<>();
    /** Counted elements received; written only by this link's ordered event lane. */
    private final AtomicLong received = new AtomicLong();
    /** Set once this lost link was taken over by another, or given up: its clients stop waiting for it. */
    private volatile boolean settled;
    /** Set when we gave up on the link because the server said nothing for the timeout. */
    private volatile boolean timedOut;

    ServerLink(CmSettings settings, ManagerInstance instance, String linkName, IoSession session, Listener listener,
               org.xmppcm.cm.link.LinkTlsContext tls, java.net.InetSocketAddress server) {
        this.settings = settings;
        this.instance = instance;
        this.linkName = linkName;
        this.session = session;
        this.listener = listener;
        this.tls = tls;
        this.server = server;
    }

    /** The server address this link went to. */
    SocketAddress server() {
        return server != null ? server : session.getRemoteAddress();
    }

    /** True once the link runs over TLS. */
    boolean isSecured() {
        return secured;
    }

    /** Completes when the server pushed its configuration; fails when the link closes first. */
    CompletableFuture<ServerLink> ready() {
        return ready;
    }

    boolean isReady() {
        return state == State.READY;
    }

    State state() {
        return state;
    }

    String name() {
        return settings.managerName() + "/" + linkName;
    }

    /** The client configuration the server pushed last. */
    ClientConfiguration configuration() {
        return configuration;
    }

    void open() {
        state = State.AWAIT_HEADER;
        session.write(CmElements.linkStreamOpen(name(), instance));
    }

    /** Writes to the server; false when the link is not ready for traffic. */
    boolean send(Object xml) {
        return send(xml, null);
    }

    /** Writes a route or session IQ of client {@code streamId} (null: of the link); false when not ready. */
    boolean send(Object xml, String streamId) {
        if (state != State.READY && !awaitsTakeover()) {
            return false;
        }
        // A lost link that waits for its takeover still records what it is given (a takeover racing its loss): it
        // never reached the server, so it goes again with the rest of its ledger.
        write(xml, streamId);
        return true;
    }

    /**
     * Every write after the handshake: on an acknowledged link a counted element (route, IQ) is numbered in the
     * ledger in the same step as it is queued, so that the numbers are its order on the wire.
     */
    private void write(Object xml, String streamId) {
        if (!acknowledged || !isCounted(xml)) {
            session.write(xml);
            return;
        }
        int size = xml instanceof byte[] bytes ? bytes.length : ((String) xml).length();
        if (ledger.sent(() -> session.write(xml), new Sent(xml, streamId), size)) {
            session.write(AckElements.REQUEST);
        }
    }

    private static boolean isCounted(Object xml) {
        return xml instanceof byte[] bytes ? AckElements.isCounted(bytes)
                : xml instanceof CharSequence text && AckElements.isCounted(text);
    }

    /** Whether the server takes acknowledgements on this link. */
    boolean isAcknowledged() {
        return acknowledged;
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

    long unacknowledgedBytes() {
        return ledger.bytes();
    }

    /** While lost and not yet taken over (or given up), the clients pinned to it hold their stanzas. */
    boolean awaitsTakeover() {
        return state == State.CLOSED && acknowledged && !settled;
    }

    void settle() {
        settled = true;
    }

    /**
     * Stock Openfire answers our ping on any link of this manager, not always on the one that asked (seen on 5.1.1):
     * on such a link, when the manager has several, the only sign of life of its own is the server's whitespace
     * keepalive, every 30 s. So such a link waits at least two of those, whatever shorter timeout is set.
     */
    static final long STOCK_TIMEOUT_FLOOR_MILLIS = 65_000;

    private long timeoutMillis() {
        long configured = settings.links().timeout().toMillis();
        return acknowledged || settings.links().count() == 1 ? configured
                : Math.max(configured, STOCK_TIMEOUT_FLOOR_MILLIS);
    }

    /** Whether the link was given up because the server said nothing for the timeout. */
    boolean timedOut() {
        return timedOut;
    }

    /**
     * Nothing came from the server for a keepalive interval: past the timeout, the link is lost (half-open, or the
     * server is frozen) and closed at once; before, the server is asked for a sign of life.
     */
    void readerIdle() {
        long silentMillis = System.currentTimeMillis() - session.getLastReadTime();
        if (silentMillis >= timeoutMillis()) {
            if (state != State.CLOSED && !timedOut) {
                timedOut = true;
                LOG.warn("Link {}: nothing from the server for {} s; taking the link as lost", name(),
                        silentMillis / 1000);
                session.closeNow();
            }
            return;
        }
        if (state != State.READY) {
            return;
        }
        if (acknowledged) {
            session.write(AckElements.REQUEST);
        } else {
            // Stock Openfire answers any IQ get on the link with an error (bad-request): a sign of life all the same.
            session.write("<iq type='get' id='" + PING_PREFIX + iqCounter.incrementAndGet()
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
        if (pendingBytes() <= CONGESTED_BYTES || state == State.CLOSED) {
            return;
        }
        slowedDown.add(client);
        ReadGate.pause(client, this);
        if (pendingBytes() <= RELIEVED_BYTES || state == State.CLOSED) {
            relieve();
        }
    }

    /**
     * What the link holds for the server: unsent, and (on an acknowledged link) sent but not yet acknowledged, which
     * it keeps to send again. A server that reads but does not acknowledge slows the clients down as one that does
     * not read.
     */
    private long pendingBytes() {
        return session.getScheduledWriteBytes() + ledger.bytes();
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

    void streamOpened(StreamOpen open) {
        if (state != State.AWAIT_HEADER) {
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
        if (tls != null && !secured || wantsCompression() || "1.0".equals(open.attribute("version"))) {
            // RFC 6120 5.3: the secret is proven only inside TLS; XEP-0138: compression before it too; and the
            // features say whether the server takes acknowledgements (RFC 6120 4.3.2: a 1.0 stream has them).
            state = State.AWAIT_FEATURES;
            return;
        }
        sendHandshake();
    }

    private boolean wantsCompression() {
        return settings.links().compression() && !compressed && !compressionRefused;
    }

    private void sendHandshake() {
        state = State.AWAIT_HANDSHAKE;
        String digest = Handshake.digest(streamId, settings.secret());
        if (acknowledgementsOffered) {
            acknowledged = true; // counted from the next element on, as the server counts
            session.write(AckElements.handshakeTakingOffer(digest));
        } else {
            session.write(CmElements.handshake(digest));
        }
    }

    /**
     * Synchronized with {@link #shutdown}: an element counted here is handled to its end (a stanza for a client that
     * has gone reported back in {@code <failed>} on this link) before the shutdown's last acknowledgement counts it.
     */
    synchronized void frameReceived(StanzaFrame frame) {
        if (acknowledged && (state == State.AWAIT_CONFIGURATION || state == State.READY)) {
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
            if (state == State.AWAIT_HANDSHAKE) {
                state = State.AWAIT_CONFIGURATION;
                LOG.info("Link {} authenticated", name());
            }
        } else if (frame.is("error", Namespaces.STREAMS)) {
            streamErrorReceived(frame);
        } else if (frame.is("features", Namespaces.STREAMS)) {
            featuresReceived(frame);
        } else if (frame.is("proceed", Namespaces.TLS) && state == State.AWAIT_PROCEED) {
            startTls();
        } else if (frame.is("failure", Namespaces.TLS)) {
            fail(StreamErrorCondition.POLICY_VIOLATION, "the server refused STARTTLS, which link.tls=required demands");
        } else if (frame.is("compressed", Namespaces.COMPRESS_PROTOCOL) && state == State.AWAIT_COMPRESSED) {
            startCompression();
        } else if (frame.is("failure", Namespaces.COMPRESS_PROTOCOL) && state == State.AWAIT_COMPRESSED) {
            // XEP-0138 5: the stream goes on uncompressed.
            LOG.warn("Link {}: the server refused compression: {}", name(), frame.asString());
            compressionRefused = true;
            sendHandshake();
        } else {
            LOG.warn("Link {}: ignoring unexpected element {}", name(), frame.asString());
        }
    }

    /** {@code <r/>}, {@code <a/>}, {@code <resumed/>}, {@code <failed/>} (see {@link AckElements}). */
    private void ackElementReceived(StanzaFrame frame) {
        java.util.OptionalLong h = AckElements.count(frame);
        if (AckElements.is(frame, "r")) {
            session.write(AckElements.answer(received.get()));
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
        session.write(AckElements.resume(lostLinkId, h));
    }

    private void featuresReceived(StanzaFrame frame) {
        if (state != State.AWAIT_FEATURES) {
            LOG.debug("Link {} features: {}", name(), frame.asString());
            return;
        }
        Element features;
        try {
            features = XmlDom.parse(frame, streamNamespaces);
        } catch (CmProtocolException e) {
            features = null;
        }
        if (tls != null && !secured) {
            if (features == null || features.element(org.dom4j.QName.get("starttls", Namespaces.TLS)) == null) {
                fail(StreamErrorCondition.POLICY_VIOLATION,
                        "the server does not offer STARTTLS, which link.tls=required demands");
                return;
            }
            state = State.AWAIT_PROCEED;
            session.write("<starttls xmlns='" + Namespaces.TLS + "'/>");
        } else if (wantsCompression() && offersZlib(features)) {
            state = State.AWAIT_COMPRESSED;
            session.write("<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'><method>zlib</method></compress>");
        } else {
            acknowledgementsOffered = AckElements.offered(features);
            sendHandshake();
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

    /** After {@code <compressed/>}: zlib under the codec (inside TLS), then a fresh stream (XEP-0138 6). */
    private void startCompression() {
        org.xmppcm.transport.XmppCodec.restartStream(session);
        org.xmppcm.transport.TransportLayers.addZlib(session,
                new org.xmppcm.transport.compress.ZlibFilter(org.xmppcm.transport.compress.ZlibTuning.LINK));
        compressed = true;
        state = State.AWAIT_HEADER;
        session.write(CmElements.linkStreamOpen(name(), instance));
    }

    /** True once the link runs zlib. */
    boolean isCompressed() {
        return compressed;
    }

    /** After {@code <proceed/>}: TLS in front of the codec; the new stream waits for {@link #tlsSecured()}. */
    private void startTls() {
        org.xmppcm.transport.XmppCodec.restartStream(session);
        state = State.AWAIT_TLS;
        org.xmppcm.transport.TransportLayers.addTls(session, tls.newFilter(server));
        secured = true;
    }

    /**
     * The TLS handshake is done: open a fresh stream inside it (RFC 6120 5.4.3.3). Nothing is
     * written before, so no record is ever queued behind a handshake in progress.
     */
    void tlsSecured() {
        if (state == State.AWAIT_TLS) {
            state = State.AWAIT_HEADER;
            session.write(CmElements.linkStreamOpen(name(), instance));
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
            default -> write(CmElements.iqError(iq,
                    org.xmppcm.protocol.cm.StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, null), null);
        }
    }

    private void iqSet(Element iq, Element child) {
        if (child != null && child.getName().equals("configuration")
                && Namespaces.CM_PROTOCOL.equals(child.getNamespaceURI())) {
            try {
                configuration = CmElements.parseConfiguration(child);
            } catch (CmProtocolException e) {
                write(CmElements.iqError(iq, e.condition(), e.cmCondition()), null);
                return;
            }
            if (state == State.AWAIT_CONFIGURATION) {
                write(CmElements.iqResult(iq), null);
                state = State.READY;
                LOG.info("Link {} ready ({}): {}", name(), acknowledged ? "acknowledged" : "not acknowledged: the server"
                        + " does not offer it", configuration);
                ready.complete(this);
                listener.linkReady(this);
            } else {
                // Applied before it is acknowledged: once the server has the result, the new limits are in effect.
                listener.configurationPushed(configuration);
                write(CmElements.iqResult(iq), null);
                LOG.info("Link {}: new client configuration applied: {}", name(), configuration);
            }
        } else if (child != null && child.getName().equals("session")
                && Namespaces.CM_PROTOCOL.equals(child.getNamespaceURI())) {
            try {
                SessionIq request = CmElements.parseSessionIq(iq);
                if (request instanceof SessionIq.Close close) {
                    write(CmElements.iqResult(iq), null);
                    listener.sessionClosedByServer(close.streamId(), close.streamErrorXml());
                } else {
                    write(CmElements.iqError(iq,
                            org.xmppcm.protocol.cm.StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, null), null);
                }
            } catch (CmProtocolException e) {
                write(CmElements.iqError(iq, e.condition(), e.cmCondition()), null);
            }
        } else {
            write(CmElements.iqError(iq,
                    org.xmppcm.protocol.cm.StanzaErrorCondition.SERVICE_UNAVAILABLE, null), null);
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
        closeStream();
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

    /** Ends our side of the stream (RFC 6120 4.4) once, whoever asked first, and the socket after it. */
    private void closeStream() {
        if (!endStreamOnce()) {
            return;
        }
        session.write(CmElements.STREAM_CLOSE);
        session.closeOnFlush();
    }

    /** True once we shut the link down or ended our side of its stream. */
    synchronized boolean isEnding() {
        return state == State.CLOSED || streamClosed;
    }

    /**
     * True for the one caller that may write our {@code </stream:stream>}: nothing may follow it, and the session
     * is closing behind it, so a second one (the server's own close answered after our shutdown) would only fail
     * as a write to a closed session.
     */
    private synchronized boolean endStreamOnce() {
        if (streamClosed) {
            return false;
        }
        streamClosed = true;
        return true;
    }

    /** Report a failed delivery of a message to a client that has gone. */
    void reportFailed(String streamId, String stanzaXml) {
        send(CmElements.sessionIq(new SessionIq.Failed(FAILED_PREFIX + iqCounter.incrementAndGet(), streamId, stanzaXml)),
                streamId);
    }

    void streamEnded() {
        closeStream();
    }

    void fail(StreamErrorCondition condition, String text) {
        if (!endStreamOnce()) {
            LOG.debug("Link {}: {} after our stream ended: {}", name(), condition.elementName(), text);
            return;
        }
        LOG.warn("Link {}: closing with {}: {}", name(), condition.elementName(), text);
        session.write(CmElements.standaloneStreamError(condition, text));
        session.write(CmElements.STREAM_CLOSE);
        session.closeOnFlush();
    }

    /** CM shutdown: tell the server, then close. */
    synchronized void shutdown() {
        if (state == State.CLOSED) {
            return;
        }
        // Nothing may follow the shutdown on this stream.
        state = State.CLOSED;
        if (!session.isConnected() || session.isClosing() || !endStreamOnce()) {
            return; // the server closed first, or our stream is already over: nothing left to tell it
        }
        if (acknowledged) {
            // Last words before going: what we took, so the server does not hand it to offline storage again.
            session.write(AckElements.answer(received.get()));
        }
        session.write(CmElements.standaloneStreamError(StreamErrorCondition.SYSTEM_SHUTDOWN, null));
        session.write(CmElements.STREAM_CLOSE);
        session.closeOnFlush();
    }

    void closed() {
        try {
            state = State.CLOSED;
            relieve(); // they move to another link, or are held, when they next send
            ready.completeExceptionally(new IllegalStateException("link " + name() + " closed before it was ready"));
            listener.linkClosed(this, serverError);
        } finally {
            closeHandled.countDown();
        }
    }

    /** Waits up to {@code millis} for {@link #closed()} to have run; true when it has. */
    boolean awaitCloseHandled(long millis) {
        try {
            return closeHandled.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    IoSession session() {
        return session;
    }
}
