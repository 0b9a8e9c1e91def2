package org.xmppcm.cm.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dom4j.Element;
import org.dom4j.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.cm.client.ClientStreamGraph.State;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.cm.TagScanner;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.machine.GraphPosition;
import org.xmppcm.protocol.machine.SerialLane;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;

/**
 * One client's stream through this CM, along {@link ClientStreamGraph}: answers stream headers and restarts itself,
 * negotiates STARTTLS (RFC 6120 5) and zlib (XEP-0138) itself, routes everything else to the server under the client's
 * stream id, and writes what the server routes back. It acts on its connection only through a {@link ClientPort}.
 *
 * <p>Every event runs in this stream's {@link SerialLane}, so state changes and writes happen one at a time and in the
 * order the events came (the rule is the package documentation's): a routed stanza can never overtake a stream header
 * or features, nor slip between a {@code <proceed/>} and the TLS layer behind it. The client's own events (from its
 * I/O thread) only ever queue; a link delivering a stanza, and shutdown, wait for theirs, because they must know
 * whether it was delivered.
 *
 * <p>Non-SASL authentication (XEP-0078), offered when the server's configuration says so: the id of the client's
 * {@code <iq type='set'><query xmlns='jabber:iq:auth'/></iq>} is remembered (the latest one, while authenticating), and
 * a routed {@code <iq type='result'>} with that id, while still AUTHENTICATING, authenticates the stream as SASL
 * success does, without a restart; a routed {@code <iq type='error'>} with it leaves the stream as it was.
 *
 * <p>TLS policy REQUIRED, before TLS: the features offer STARTTLS only; a SASL element gets
 * {@code <failure><encryption-required/></failure>} (the stream stays so the client can still start TLS, up to
 * {@value #MAX_AUTH_BEFORE_TLS} times); anything else gets a {@code policy-violation} stream error: the client ignored
 * the {@code <required/>} the features announced (ejabberd answers the same two ways).
 */
public final class ClientStream {
    private static final Logger LOG = LoggerFactory.getLogger(ClientStream.class);
    /**
     * Any task waiting pauses the client's reads until the lane is empty again, so the I/O thread never reads past an
     * event it could not run itself (a {@code <starttls/>} above all). Nothing else bounds the queue: the client's
     * events are held back by that pause, and every other thread adds one task at a time.
     */
    private static final SerialLane.Limits LANE = SerialLane.Limits.onCallerThread(1, Integer.MAX_VALUE);
    /** Routed stanzas kept while a restart is under way; the window is one round trip. */
    private static final int MAX_HELD = 64;
    private static final int MAX_AUTH_BEFORE_TLS = 3;
    /** XEP-0078 Non-SASL Authentication. */
    private static final String IQ_AUTH = "jabber:iq:auth";

    /** What the stream's latest features offered: the client may ask for that only (RFC 6120 4.3.2). */
    private enum Offer {
        NOTHING, START_TLS, ZLIB;

        boolean startTls() {
            return this == START_TLS;
        }

        boolean zlib() {
            return this == ZLIB;
        }
    }

    private final ClientPort port;
    private final ClientContext context;
    private final GraphPosition<State> position = new GraphPosition<>(ClientStreamGraph.GRAPH);
    private final Lane lane = new Lane();
    /** Set once, in the lane, when the header is accepted; read by others (listings, log lines). */
    private volatile String streamId;
    /** When the client last sent something that was answered with an error (see {@link #refuseFromNow}). */
    private volatile long lastRefusedNanos;
    // Only touched in the lane:
    private Offer offered = Offer.NOTHING;
    private int restarts;
    private Map<String, String> streamNamespaces = Map.of();
    private int authRefusedBeforeTls;
    /** The id of the client's XEP-0078 {@code jabber:iq:auth} set not answered yet; null almost always. */
    private String iqAuthId;
    /** Routed stanzas that arrived while a restart was under way; null almost always. */
    private List<byte[]> held;

    ClientStream(ClientPort port, ClientContext context) {
        this.port = port;
        this.context = context;
    }

    /** This stream's lane: its waiting tasks pause the client's reads. */
    private final class Lane extends SerialLane {
        Lane() {
            super(LANE);
        }

        @Override
        protected void pauseSource() {
            port.pauseReads(this);
        }

        @Override
        protected void resumeSource() {
            port.resumeReads(this);
        }

        @Override
        public String toString() {
            return "client stream " + streamId + " (" + port + ")";
        }
    }

    State state() {
        return position.current();
    }

    public String streamId() {
        return streamId;
    }

    public boolean isSecured() {
        return port.hasTls();
    }

    public boolean isCompressed() {
        return port.hasZlib();
    }

    /** Whether the client is not being read now (its hold is full, its link congested, or its lane busy). */
    public boolean readsPaused() {
        return port.readsPaused();
    }

    /**
     * Whether the authentication deadline still applies: not authenticated yet (neither SASL success nor a result to
     * a XEP-0078 auth IQ has come), and not ending otherwise. Lock-free, for the deadline's sweep over every client.
     */
    boolean awaitsAuthentication() {
        return position.current().awaitsAuthentication();
    }

    // ---- Events from the client's I/O thread: queued, never waited for (the thread may hold the TLS engine's lock).

    /** The client opened its stream, or reopened it after STARTTLS, SASL success or compression. */
    void streamOpened(StreamOpen open) {
        inLane(() -> onHeader(open));
    }

    /** A top-level element from the client. */
    void frameReceived(StanzaFrame frame) {
        inLane(() -> onFrame(frame));
    }

    /** The TLS handshake under this stream has finished. */
    void tlsEstablished() {
        inLane(this::onTlsEstablished);
    }

    /** The client closed its stream. */
    void clientClosedStream() {
        inLane(this::onClientClosed);
    }

    /** The client broke its stream or we failed it: stream error (after a header if none was sent yet), then close. */
    void fail(StreamErrorCondition condition, String text) {
        inLane(() -> endWithError(condition, text));
    }

    /** The client's compressed data cannot be inflated (XEP-0138 {@code processing-failed}). */
    void compressionFailed() {
        inLane(() -> failNow(StreamErrorCondition.UNDEFINED_CONDITION, "<stream:error><undefined-condition xmlns='"
                + Namespaces.STREAM_ERRORS + "'/><processing-failed xmlns='" + Namespaces.COMPRESS_PROTOCOL
                + "'/></stream:error>"));
    }

    /** The socket is gone: the server session ends with it (unless it ended before). */
    void endSession() {
        inLane(this::onSocketClosed);
    }

    // ---- Events from other threads.

    /**
     * Something the server routed to this client; false when the stream has ended and it was not delivered (the
     * caller then reports it to the server). Waits for the lane: called on a link's event thread, which holds no lock a
     * task of the lane needs.
     */
    public boolean routedFromServer(RoutedStanza routed) {
        if (position.current().ended()) {
            // Final: the lane would say the same, after whatever the client's thread is doing. A link shutting down
            // holds its monitor while it reports these back, and should not wait for that.
            return false;
        }
        AtomicBoolean delivered = new AtomicBoolean();
        inLaneAndWait(() -> delivered.set(deliver(routed)));
        return delivered.get();
    }

    /**
     * A stanza this client sent that the server never took: it goes back to the client as an error (see
     * {@link StanzaErrors#undelivered}), so the client knows rather than waits; true when there is an error to send.
     */
    public boolean bounce(Element stanza) {
        Element reply = StanzaErrors.undelivered(stanza);
        if (reply == null) {
            return false;
        }
        byte[] xml = XmlDom.toXml(reply).getBytes(StandardCharsets.UTF_8);
        inLane(() -> onBounced(xml));
        return true;
    }

    /**
     * The server ended this session ({@code <close/>} session IQ, a route refused): pass its stream error on and
     * close. The server already forgot the session, so no close IQ goes back.
     */
    public void closedByServer(String streamErrorXml, StreamErrorCondition fallback) {
        inLane(() -> onClosedByServer(streamErrorXml, fallback));
    }

    /**
     * As {@link #closedByServer}, but the socket is left for the client to close (RFC 6120 4.4: it answers our
     * {@code </stream:stream>}) for up to {@code linger}, its further input read and ignored meanwhile: closing on
     * unread input would reset the connection and could take our last errors and the stream error with it.
     */
    public void closedByServerLingering(StreamErrorCondition condition, Duration linger, ScheduledExecutorService timers) {
        inLane(() -> onClosedByServerLingering(condition, linger, timers));
    }

    /**
     * The server is gone for good and this stream ends shortly: from now on what the client sends goes straight back
     * to it as errors, so that what was still in its socket gets an answer instead of vanishing with the close.
     */
    public void refuseFromNow() {
        lastRefusedNanos = System.nanoTime();
        inLane(this::onServerGone);
    }

    /** When the client last sent something that was answered with an error (see {@link #refuseFromNow}). */
    public long lastRefusedNanos() {
        return lastRefusedNanos;
    }

    /**
     * The authentication deadline has passed: {@code connection-timeout} and close, which also closes the session on
     * the server. Decided in the lane, so a success that came first wins.
     *
     * @return whether the stream was still authenticating, and is to be closed
     */
    boolean authenticationTimedOut() {
        if (!awaitsAuthentication()) {
            return false;
        }
        inLane(() -> {
            if (position.current().awaitsAuthentication()) {
                endWithError(StreamErrorCondition.CONNECTION_TIMEOUT, "not authenticated in time");
            }
        });
        return true;
    }

    /**
     * CM shutdown: the client gets {@code system-shutdown}; the server hears of the close. Returns once that is
     * written, after what was queued before it, so that the CM may close the connection behind it.
     */
    public void shutdown() {
        inLaneAndWait(() -> endWithError(StreamErrorCondition.SYSTEM_SHUTDOWN, null));
    }

    /**
     * Runs {@code task} in this stream's lane as one more event, queued behind what waits; for tests that need the
     * lane busy, as a client's I/O thread keeps it while it handles a read.
     */
    public void runInLane(Runnable task) {
        inLane(task);
    }

    private void inLane(Runnable event) {
        lane.submit(() -> handle(event));
    }

    private void inLaneAndWait(Runnable event) {
        lane.submitAndWait(() -> handle(event));
    }

    /** A failure of ours while handling an event: logged, and the stream ends with internal-server-error. */
    private void handle(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.error("Client {} ({}): unexpected failure in {}", streamId, port, position, e);
            failNow(StreamErrorCondition.INTERNAL_SERVER_ERROR,
                    CmElements.streamError(StreamErrorCondition.INTERNAL_SERVER_ERROR, null));
        }
    }

    // ---- In the lane.

    private void onHeader(StreamOpen open) {
        if (position.is(State.TLS_HANDSHAKE)) {
            onTlsEstablished(); // nothing can be decrypted before the handshake has finished
        }
        State now = position.current();
        if (now.ended()) {
            return;
        }
        if (!Namespaces.CLIENT.equals(open.defaultNamespace())) {
            endWithError(StreamErrorCondition.INVALID_NAMESPACE, "this port serves jabber:client streams");
            return;
        }
        if (!context.settings().xmppDomain().equalsIgnoreCase(open.attribute("to"))) {
            endWithError(StreamErrorCondition.HOST_UNKNOWN, null);
            return;
        }
        if (!"1.0".equals(open.attribute("version"))) {
            endWithError(StreamErrorCondition.UNSUPPORTED_VERSION, "XMPP 1.0 streams only");
            return;
        }
        streamNamespaces = open.namespaces();
        String lang = open.attribute("xml:lang");
        switch (now) {
            case AWAIT_HEADER -> openSession(lang);
            case TLS_RESTART -> restarted(lang, featuresBeforeAuthentication(context.uplink().configuration()));
            case SASL_RESTART, COMPRESSION_RESTART -> restarted(lang, featuresAfterAuthentication());
            case SERVER_GONE_RESTART -> {
                // Nothing can be negotiated with a server that is gone; the stream ends shortly.
                position.moveTo(State.SERVER_GONE);
                restarted(lang, "<stream:features/>");
            }
            default -> endWithError(StreamErrorCondition.NOT_WELL_FORMED, "unexpected stream header");
        }
    }

    private void openSession(String lang) {
        Uplink uplink = context.uplink();
        if (!uplink.acceptsNewClients()) {
            endWithError(StreamErrorCondition.REMOTE_CONNECTION_FAILED, "the server is not reachable right now");
            return;
        }
        ClientConfiguration configuration = uplink.configuration();
        if (configuration.tls() != TlsPolicy.DISABLED && !port.canAddTls()) {
            if (configuration.tls() == TlsPolicy.REQUIRED && !port.hasTls()) {
                port.tlsUnavailable(true);
                endWithError(StreamErrorCondition.POLICY_VIOLATION,
                        "the server requires TLS, which this connection manager does not offer");
                return;
            }
            port.tlsUnavailable(false);
        }
        String id = context.streamIds().next();
        streamId = id;
        context.registry().add(id, this);
        uplink.createSession(id, port.remoteAddress());
        String features = featuresBeforeAuthentication(configuration);
        writeHeader(id, lang);
        port.write(features);
    }

    /** A new header after {@code <proceed/>}, SASL success or {@code <compressed/>}: features, then what was held. */
    private void restarted(String lang, String features) {
        // A restarted stream needs an id of its own (RFC 6120 4.3.3); the session keeps its id.
        writeHeader(streamId + "-" + (++restarts), lang);
        port.write(features);
        if (held != null) {
            held.forEach(port::write);
            held = null;
        }
    }

    /** Decides what is offered before authentication, and moves there. */
    private String featuresBeforeAuthentication(ClientConfiguration configuration) {
        boolean startTls = !port.hasTls() && port.canAddTls() && configuration.tls() != TlsPolicy.DISABLED;
        boolean required = startTls && configuration.tls() == TlsPolicy.REQUIRED;
        position.moveTo(required ? State.STARTTLS_REQUIRED : State.AUTHENTICATING);
        offered = startTls ? Offer.START_TLS : Offer.NOTHING;
        return StreamFeatures.beforeAuthentication(configuration, startTls, required);
    }

    /** Decides what is offered after SASL success (zlib once), and moves there. */
    private String featuresAfterAuthentication() {
        boolean zlib = !port.hasZlib() && port.canAddZlib()
                && context.uplink().configuration().compressionMethods().contains(StreamFeatures.ZLIB);
        position.moveTo(State.BINDING);
        offered = zlib ? Offer.ZLIB : Offer.NOTHING;
        return StreamFeatures.afterAuthentication(zlib);
    }

    private void writeHeader(String id, String lang) {
        port.write("<?xml version='1.0' encoding='UTF-8'?><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' from='" + context.settings().xmppDomain()
                + "' id='" + id + "' version='1.0' xml:lang='" + (lang == null ? "en" : escapeLang(lang)) + "'>");
    }

    private static String escapeLang(String lang) {
        // A language tag is [A-Za-z0-9-]; anything else is not echoed back into our header.
        return lang.matches("[A-Za-z0-9-]{1,35}") ? lang : "en";
    }

    private void onFrame(StanzaFrame frame) {
        boolean startTls = frame.is("starttls", Namespaces.TLS);
        boolean compress = frame.is("compress", Namespaces.COMPRESS_PROTOCOL);
        switch (position.current()) {
            case STARTTLS_REQUIRED -> {
                if (startTls) {
                    startTls();
                } else {
                    refuseBeforeTls(frame);
                }
            }
            case AUTHENTICATING -> {
                if (startTls) {
                    startTls();
                } else if (compress) {
                    // Offered only after SASL (see StreamFeatures); the stream goes on uncompressed.
                    compressionFailure("setup-failed");
                } else if (frame.namespace().equals(Namespaces.SASL) || isStanza(frame)) {
                    noteIqAuth(frame);
                    route(frame);
                } else {
                    endWithError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, null);
                }
            }
            case BINDING -> {
                if (compress) {
                    compress(frame);
                } else if (isStanza(frame)) {
                    position.moveTo(State.SESSION);
                    route(frame);
                } else {
                    endWithError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, null);
                }
            }
            case SESSION -> {
                if (isStanza(frame)) {
                    route(frame);
                } else if (compress) {
                    // XEP-0170 2.2: compression before resource binding, when the features offer it.
                    compressionFailure("setup-failed");
                } else {
                    endWithError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, null);
                }
            }
            case SERVER_GONE -> answerWithError(frame);
            case TLS_HANDSHAKE, TLS_RESTART, SASL_RESTART, COMPRESSION_RESTART, SERVER_GONE_RESTART ->
                    endWithError(StreamErrorCondition.NOT_AUTHORIZED, "restart the stream first");
            case AWAIT_HEADER, CLOSING, CLOSED -> {
                // Unreachable for AWAIT_HEADER (the parser delivers the header first); ignored once ended.
            }
        }
    }

    private static boolean isStanza(StanzaFrame frame) {
        if (!frame.namespace().equals(Namespaces.CLIENT)) {
            return false;
        }
        String name = frame.localName();
        return name.equals("message") || name.equals("presence") || name.equals("iq");
    }

    /**
     * Remembers the id of a XEP-0078 {@code <iq type='set'><query xmlns='jabber:iq:auth'>} before it is routed, so
     * that its result (see {@link #deliver}) can be told apart. Parses only IQ sets before authentication.
     */
    private void noteIqAuth(StanzaFrame frame) {
        String id = frame.attribute("id");
        if (!frame.localName().equals("iq") || !"set".equals(frame.attribute("type")) || id == null) {
            return;
        }
        try {
            if (XmlDom.parse(frame, streamNamespaces).element(QName.get("query", IQ_AUTH)) == null) {
                return;
            }
        } catch (CmProtocolException e) {
            return; // the server will say what is wrong with it
        }
        iqAuthId = id;
    }

    /**
     * With {@link #iqAuthId} set and an IQ routed back: a result to the auth IQ authenticates the stream (XEP-0078 has
     * no restart), an error to it is only passed on. Only the IQ's start tag is read.
     */
    private void iqAuthAnswered(RoutedStanza routed) {
        TagScanner.StartTag tag;
        try {
            tag = TagScanner.readStartTag(routed.stanza(), 0, routed.stanza().length);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!iqAuthId.equals(tag.attribute("id"))) {
            return;
        }
        String type = tag.attribute("type");
        if ("result".equals(type) || "error".equals(type)) {
            iqAuthId = null;
        }
        // Not in the middle of a STARTTLS restart the client began before the answer came.
        if ("result".equals(type) && position.is(State.AUTHENTICATING)) {
            position.moveTo(State.SESSION);
        }
    }

    /**
     * {@code <starttls/>}: {@code <proceed/>}, then TLS in server mode, then the client's new header. The parser is
     * told to expect that header before {@code <proceed/>} is written, so no byte of the new stream can reach the old
     * stream's parser; and the client's hello cannot be read before TLS is in, as the lane runs this before the next
     * read (on the I/O thread itself, or with reads paused).
     */
    private void startTls() {
        if (position.is(State.AUTHENTICATING) && !offered.startTls()) {
            // Not offered (or TLS is up already): RFC 6120 5.4.2.2 failure, then the stream ends.
            port.write("<failure xmlns='" + Namespaces.TLS + "'/>");
            port.write(CmElements.STREAM_CLOSE);
            endStream(true);
            return;
        }
        // <proceed/> is in the write queue already, below where TLS goes in: it leaves in clear.
        layerAfter(State.TLS_HANDSHAKE, "<proceed xmlns='" + Namespaces.TLS + "'/>", port::addTls);
    }

    /**
     * Moves to {@code next} and writes {@code announcement}, with the parser restarted before it (the client's new
     * header must never reach the old stream's parser) and the layer added after it: what the lane writes from now on
     * goes through the layer, and the lane finishes this before the client's next bytes are read.
     */
    private void layerAfter(State next, String announcement, Runnable addLayer) {
        position.moveTo(next);
        offered = Offer.NOTHING;
        port.restartParser();
        port.write(announcement);
        addLayer.run();
    }

    private void onTlsEstablished() {
        if (position.is(State.TLS_HANDSHAKE)) {
            position.moveTo(State.TLS_RESTART);
        }
        // Otherwise the direct TLS port's handshake (before any header), or a stream that is ending.
    }

    /** TLS is required and not in place yet: see the class comment. */
    private void refuseBeforeTls(StanzaFrame frame) {
        if (frame.namespace().equals(Namespaces.SASL) && ++authRefusedBeforeTls <= MAX_AUTH_BEFORE_TLS) {
            port.write("<failure xmlns='" + Namespaces.SASL + "'><encryption-required/></failure>");
            return;
        }
        endWithError(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS is required first");
    }

    /** {@code <compress><method>zlib</method></compress>}: {@code <compressed/>}, zlib, and the client's new header. */
    private void compress(StanzaFrame frame) {
        if (!offered.zlib()) {
            compressionFailure("setup-failed");
            return;
        }
        String method;
        try {
            Element first = XmlDom.parse(frame, streamNamespaces).element("method");
            method = first == null ? null : first.getTextTrim();
        } catch (CmProtocolException e) {
            method = null;
        }
        if (!StreamFeatures.ZLIB.equals(method)) {
            compressionFailure("unsupported-method");
            return;
        }
        // As with TLS: <compressed/> has passed the chain already and leaves uncompressed.
        layerAfter(State.COMPRESSION_RESTART, "<compressed xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'/>",
                port::addZlib);
    }

    /** XEP-0138 failure; the stream goes on uncompressed. */
    private void compressionFailure(String condition) {
        port.write("<failure xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'><" + condition + "/></failure>");
    }

    private void route(StanzaFrame frame) {
        Uplink uplink = context.uplink();
        if (!uplink.route(streamId, RouteCodec.wrap(streamId, frame, streamNamespaces))) {
            endWithError(StreamErrorCondition.RESOURCE_CONSTRAINT,
                    "the server is not reachable and this stream's hold buffer is full");
            return;
        }
        port.slowDownIfCongested(uplink, streamId);
    }

    /** SERVER_GONE: a stanza goes back as an error; SASL gets none (the stream ends shortly); the rest is ignored. */
    private void answerWithError(StanzaFrame frame) {
        if (!isStanza(frame) && !frame.namespace().equals(Namespaces.SASL)) {
            return;
        }
        lastRefusedNanos = System.nanoTime();
        Element reply;
        try {
            reply = StanzaErrors.undelivered(XmlDom.parse(frame, streamNamespaces));
        } catch (CmProtocolException e) {
            LOG.debug("Client {}: unreadable stanza while the server is gone: {}", streamId, e.getMessage());
            return;
        }
        if (reply != null) {
            port.write(XmlDom.toXml(reply).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** See {@link #routedFromServer}. */
    private boolean deliver(RoutedStanza routed) {
        if (position.current().ended()) {
            return false;
        }
        if (routed.isStreamError()) {
            writeHeaderIfNone();
            port.write(routed.stanza());
            port.write(CmElements.STREAM_CLOSE);
            endStream(false);
            return true;
        }
        if (routed.isSaslSuccess() && position.is(State.AUTHENTICATING)) {
            // Before the client can see <success/> and send its new header.
            port.restartParser();
            position.moveTo(State.SASL_RESTART);
            iqAuthId = null;
            port.write(routed.stanza());
            return true;
        }
        if (iqAuthId != null && routed.localName().equals("iq") && Namespaces.CLIENT.equals(routed.namespace())) {
            iqAuthAnswered(routed);
        }
        if (position.current().restarting()) {
            // The client's new stream has no header yet: it must not see a stanza before one.
            return hold(routed.stanza());
        }
        port.write(routed.stanza());
        return true;
    }

    private void onBounced(byte[] xml) {
        State now = position.current();
        if (now.ended()) {
            return;
        }
        if (now == State.SERVER_GONE || now == State.SERVER_GONE_RESTART) {
            lastRefusedNanos = System.nanoTime(); // its held stanzas answered at the end of an outage: still talking
        }
        if (now.restarting()) {
            hold(xml);
        } else {
            port.write(xml);
        }
    }

    /** False, with the stream failed, when too much waits already. */
    private boolean hold(byte[] stanza) {
        if (held == null) {
            held = new ArrayList<>(4);
        }
        if (held.size() >= MAX_HELD) {
            endWithError(StreamErrorCondition.RESOURCE_CONSTRAINT, "too much traffic while the stream restarts");
            return false;
        }
        held.add(stanza);
        return true;
    }

    private void onClosedByServer(String streamErrorXml, StreamErrorCondition fallback) {
        if (position.current().ended()) {
            return;
        }
        context.metrics().streamErrorSent(streamErrorXml != null ? conditionIn(streamErrorXml) : fallback);
        writeHeaderIfNone();
        port.write(streamErrorXml != null ? streamErrorXml : CmElements.streamError(fallback, null));
        port.write(CmElements.STREAM_CLOSE);
        endStream(false);
    }

    private void onClosedByServerLingering(StreamErrorCondition condition, Duration linger,
                                           ScheduledExecutorService timers) {
        if (position.current().ended()) {
            return;
        }
        context.metrics().streamErrorSent(condition);
        writeHeaderIfNone();
        port.write(CmElements.streamError(condition, null));
        port.write(CmElements.STREAM_CLOSE);
        ended(false);
        try {
            timers.schedule(port::closeNow, linger.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            port.closeAfterFlush();
        }
    }

    /** The condition a serialized stream error from the server names, for counting. */
    private static StreamErrorCondition conditionIn(String streamErrorXml) {
        for (StreamErrorCondition condition : StreamErrorCondition.values()) {
            if (streamErrorXml.contains("<" + condition.elementName() + " ")
                    || streamErrorXml.contains("<" + condition.elementName() + "/")) {
                return condition;
            }
        }
        return StreamErrorCondition.UNDEFINED_CONDITION;
    }

    private void onServerGone() {
        switch (position.current()) {
            case STARTTLS_REQUIRED, AUTHENTICATING, BINDING, SESSION -> position.moveTo(State.SERVER_GONE);
            case TLS_HANDSHAKE, TLS_RESTART, SASL_RESTART, COMPRESSION_RESTART ->
                    position.moveTo(State.SERVER_GONE_RESTART);
            default -> {
                // Not opened yet (no session to lose), gone already, or ending.
            }
        }
    }

    private void onClientClosed() {
        if (position.current().ended()) {
            // Its answer to our </stream:stream>: nothing more to write (a lingering close waits for this).
            port.closeAfterFlush();
            return;
        }
        port.write(CmElements.STREAM_CLOSE);
        endStream(true);
    }

    private void onSocketClosed() {
        State now = position.current();
        if (now == State.CLOSED) {
            return;
        }
        position.moveTo(State.CLOSED);
        held = null;
        if (!now.ended()) {
            leaveRegistry(true);
        }
    }

    /** Ends the stream with a stream error: see {@link #failNow}. */
    private void endWithError(StreamErrorCondition condition, String text) {
        failNow(condition, CmElements.streamError(condition, text));
    }

    /** The stream error after our header if none is out (RFC 6120 4.9.1.1), our close, and the session's end. */
    private void failNow(StreamErrorCondition condition, String streamErrorXml) {
        if (position.current().ended()) {
            return;
        }
        context.metrics().streamErrorSent(condition);
        writeHeaderIfNone();
        port.write(streamErrorXml);
        port.write(CmElements.STREAM_CLOSE);
        endStream(true);
    }

    /**
     * A stream error needs a stream header before it (RFC 6120 4.9.1.1), also on a restarted stream whose new header
     * we have not sent yet.
     */
    private void writeHeaderIfNone() {
        if (!position.current().headerWritten()) {
            // No session exists for a stream refused at its header: the id only satisfies the syntax.
            writeHeader(streamId != null ? streamId : Long.toHexString(System.nanoTime()), null);
        }
    }

    /** Our {@code </stream:stream>} is written: CLOSING, and the socket closes once it has left. */
    private void endStream(boolean tellServer) {
        ended(tellServer);
        port.closeAfterFlush();
    }

    /** Moves to CLOSING; the server hears of the session's end, unless it ended the session itself. */
    private void ended(boolean tellServer) {
        position.moveTo(State.CLOSING);
        held = null;
        leaveRegistry(tellServer);
    }

    private void leaveRegistry(boolean tellServer) {
        String id = streamId;
        if (id != null) {
            context.registry().remove(id, this);
            if (tellServer) {
                context.uplink().closeSession(id);
            }
        }
    }
}
