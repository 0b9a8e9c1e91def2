package org.xmppcm.cm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.mina.core.session.IoSession;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.cm.TagScanner;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.transport.XmppCodec;
import org.xmppcm.transport.tls.ServerSslFilter;

/**
 * One client's stream through this CM: answers stream headers and restarts locally, negotiates
 * STARTTLS (RFC 6120 5) and zlib (XEP-0138) itself, routes everything else to the server under
 * the client's stream id, and writes what the server routes back. Events come from the client's
 * I/O thread and from the link's; state changes and writes happen under this object's lock, so a
 * routed stanza can never overtake a stream header or features, nor slip between a
 * {@code <proceed/>} and the TLS filter behind it. Every block that writes takes that lock through
 * {@link #locked}, after the TLS engine's own lock (see there).
 *
 * <pre>
 *  AWAIT_HEADER --header--> AUTHENTICATING --SASL success routed back--> AWAIT_RESTART(SASL)
 *                            |        ^                                        | header
 *                  starttls  |        | header (now over TLS)                  v
 *                            v        |            compress    AUTHENTICATED ------> AWAIT_RESTART(COMPRESSION)
 *                       AWAIT_RESTART(TLS)                           ^                      | header
 *                                                                    +----------------------+
 *  AUTHENTICATING --result to its XEP-0078 jabber:iq:auth set routed back--> AUTHENTICATED (no restart)
 *  any state --error / close--> CLOSED
 * </pre>
 *
 * <p>Non-SASL authentication (XEP-0078), offered when the server's configuration says so: the id of
 * the client's {@code <iq type='set'><query xmlns='jabber:iq:auth'/></iq>} is remembered (the latest
 * one, while not authenticated), and a routed {@code <iq type='result'>} with that id, while still
 * AUTHENTICATING, authenticates the stream as SASL success does, without a restart; a routed
 * {@code <iq type='error'>} with it leaves the stream as it was. The id is set and read under the lock.
 *
 * <p>TLS policy REQUIRED, before TLS: the features offer STARTTLS only; a SASL element gets
 * {@code <failure><encryption-required/></failure>} (RFC 6120 6.5.3; the stream stays so the
 * client can still start TLS, up to {@value #MAX_AUTH_BEFORE_TLS} times); anything else gets a
 * {@code policy-violation} stream error: the client ignored the {@code <required/>} the
 * features announced (ejabberd answers the same two ways).
 */
final class ClientStream {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClientStream.class);
    enum State { AWAIT_HEADER, AUTHENTICATING, AWAIT_RESTART, AUTHENTICATED, CLOSED }

    /** What the awaited stream restart follows. */
    private enum Restart { TLS, SASL, COMPRESSION }

    /** Routed stanzas kept while a restart is under way; the window is one round trip. */
    private static final int MAX_HELD = 64;
    private static final int MAX_AUTH_BEFORE_TLS = 3;
    /** XEP-0078 Non-SASL Authentication. */
    private static final String IQ_AUTH = "jabber:iq:auth";

    private final IoSession session;
    private final ClientContext context;
    private final StreamLayers layers;
    private State state = State.AWAIT_HEADER;
    private Restart restart;
    private boolean headerSent;
    private int restarts;
    private String streamId;
    private Map<String, String> streamNamespaces = Map.of();
    /** TLS under this stream: from the first byte (direct TLS) or after STARTTLS. */
    private boolean secured;
    private boolean compressed;
    private boolean startTlsOffered;
    private boolean tlsRequired;
    private boolean compressionOffered;
    private int authRefusedBeforeTls;
    /**
     * The id of the client's XEP-0078 {@code jabber:iq:auth} set not answered yet; null almost always.
     */
    private String iqAuthId;
    /**
     * The server routed SASL success back, or a result to the client's XEP-0078 auth IQ; never false again.
     * Volatile so that the authentication deadline's sweep (see {@link AuthTimeouts}) can pass over the many
     * authenticated clients without taking their locks.
     */
    private volatile boolean authenticated;
    /** Routed stanzas that arrived while a restart was under way; null almost always. */
    private List<byte[]> held;
    /** Set when the server is gone for good and the stream is about to end: stanzas go back as errors. */
    private volatile boolean refusing;
    private volatile long lastRefusedNanos;

    ClientStream(IoSession session, ClientContext context, StreamLayers layers, boolean secured) {
        this.session = session;
        this.context = context;
        this.layers = layers;
        this.secured = secured;
    }

    synchronized State state() {
        return state;
    }

    synchronized String streamId() {
        return streamId;
    }

    synchronized boolean isSecured() {
        return secured;
    }

    synchronized boolean isCompressed() {
        return compressed;
    }

    /**
     * Whether the server's SASL success has come (the restart that follows it need not be done yet), or its
     * result to a XEP-0078 auth IQ.
     */
    boolean isAuthenticated() {
        return authenticated;
    }

    /** The client opened its stream, or reopened it after STARTTLS, SASL success or compression. */
    void streamOpened(StreamOpen open) {
        String lang = open.attribute("xml:lang");
        locked(() -> {
            if (state == State.CLOSED) {
                return;
            }
            if (!Namespaces.CLIENT.equals(open.defaultNamespace())) {
                fail(StreamErrorCondition.INVALID_NAMESPACE, "this port serves jabber:client streams");
                return;
            }
            if (!context.settings().xmppDomain().equalsIgnoreCase(open.attribute("to"))) {
                fail(StreamErrorCondition.HOST_UNKNOWN, null);
                return;
            }
            if (!"1.0".equals(open.attribute("version"))) {
                fail(StreamErrorCondition.UNSUPPORTED_VERSION, "XMPP 1.0 streams only");
                return;
            }
            streamNamespaces = open.namespaces();
            switch (state) {
                case AWAIT_HEADER -> openSession(lang);
                case AWAIT_RESTART -> restarted(lang);
                default -> fail(StreamErrorCondition.NOT_WELL_FORMED, "unexpected stream header");
            }
        });
    }

    private void openSession(String lang) {
        Uplink uplink = context.uplink();
        if (!uplink.acceptsNewClients()) {
            fail(StreamErrorCondition.REMOTE_CONNECTION_FAILED, "the server is not reachable right now");
            return;
        }
        ClientConfiguration configuration = uplink.configuration();
        if (configuration.tls() != TlsPolicy.DISABLED && !layers.canStartTls()) {
            if (configuration.tls() == TlsPolicy.REQUIRED && !secured) {
                layers.tlsRequiredWithoutCertificate();
                fail(StreamErrorCondition.POLICY_VIOLATION, "the server requires TLS, which this connection manager does not offer");
                return;
            }
            layers.tlsOfferedWithoutCertificate();
        }
        streamId = context.streamIds().next();
        context.registry().add(streamId, this);
        uplink.createSession(streamId, session.getRemoteAddress());
        state = State.AUTHENTICATING;
        writeHeader(streamId, lang);
        session.write(featuresBeforeAuthentication(configuration));
    }

    /** A new header after {@code <proceed/>}, SASL success or {@code <compressed/>}. */
    private void restarted(String lang) {
        // A restarted stream needs an id of its own (RFC 6120 4.3.3); the session keeps its id.
        writeHeader(streamId + "-" + (++restarts), lang);
        if (restart == Restart.TLS) {
            state = State.AUTHENTICATING;
            session.write(featuresBeforeAuthentication(context.uplink().configuration()));
        } else {
            state = State.AUTHENTICATED;
            compressionOffered = !compressed && layers.canCompress()
                    && context.uplink().configuration().compressionMethods().contains(StreamFeatures.ZLIB);
            session.write(StreamFeatures.afterAuthentication(compressionOffered));
        }
        restart = null;
        if (held != null) {
            held.forEach(session::write);
            held = null;
        }
    }

    private String featuresBeforeAuthentication(ClientConfiguration configuration) {
        startTlsOffered = !secured && layers.canStartTls() && configuration.tls() != TlsPolicy.DISABLED;
        tlsRequired = startTlsOffered && configuration.tls() == TlsPolicy.REQUIRED;
        return StreamFeatures.beforeAuthentication(configuration, startTlsOffered, tlsRequired);
    }

    private void writeHeader(String id, String lang) {
        headerSent = true;
        session.write("<?xml version='1.0' encoding='UTF-8'?><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' from='" + context.settings().xmppDomain()
                + "' id='" + id + "' version='1.0' xml:lang='" + (lang == null ? "en" : escapeLang(lang)) + "'>");
    }

    private static String escapeLang(String lang) {
        // A language tag is [A-Za-z0-9-]; anything else is not echoed back into our header.
        return lang.matches("[A-Za-z0-9-]{1,35}") ? lang : "en";
    }

    /** A top-level element from the client. */
    void frameReceived(StanzaFrame frame) {
        State current;
        String sid;
        boolean mustStartTls;
        synchronized (this) {
            current = state;
            sid = streamId;
            mustStartTls = tlsRequired && !secured;
        }
        switch (current) {
            case AUTHENTICATING -> {
                if (frame.is("starttls", Namespaces.TLS)) {
                    startTls();
                } else if (mustStartTls) {
                    refuseBeforeTls(frame);
                } else if (frame.is("compress", Namespaces.COMPRESS_PROTOCOL)) {
                    // Offered only after SASL (see StreamFeatures); the stream goes on uncompressed.
                    compressionFailure("setup-failed");
                } else if (frame.namespace().equals(Namespaces.SASL) || isStanza(frame)) {
                    noteIqAuth(frame);
                    route(sid, frame);
                } else {
                    fail(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, null);
                }
            }
            case AUTHENTICATED -> {
                if (isStanza(frame)) {
                    route(sid, frame);
                } else if (frame.is("compress", Namespaces.COMPRESS_PROTOCOL)) {
                    compress(frame);
                } else {
                    fail(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, null);
                }
            }
            case AWAIT_RESTART -> fail(StreamErrorCondition.NOT_AUTHORIZED, "restart the stream first");
            case AWAIT_HEADER, CLOSED -> {
                // Unreachable for AWAIT_HEADER (the framer delivers the header first); ignored once closed.
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
     * that its result (see {@link #routedFromServer}) can be told apart. Parses only IQ sets before authentication.
     */
    private void noteIqAuth(StanzaFrame frame) {
        String id = frame.attribute("id");
        if (!frame.localName().equals("iq") || !"set".equals(frame.attribute("type")) || id == null) {
            return;
        }
        try {
            // streamNamespaces is written on this (the client's) thread only, as compress() reads it.
            if (XmlDom.parse(frame, streamNamespaces).element(QName.get("query", IQ_AUTH)) == null) {
                return;
            }
        } catch (CmProtocolException e) {
            return; // the server will say what is wrong with it
        }
        locked(() -> {
            if (state == State.AUTHENTICATING && !authenticated) {
                iqAuthId = id;
            }
        });
    }

    /**
     * Under the lock, with {@link #iqAuthId} set and an IQ routed back: a result to the auth IQ authenticates the
     * stream (XEP-0078 has no restart), an error to it is only passed on. Only the IQ's start tag is read.
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
        if ("result".equals(type) && state == State.AUTHENTICATING) {
            authenticated = true;
            state = State.AUTHENTICATED;
        }
    }

    /**
     * {@code <starttls/>}: {@code <proceed/>}, then TLS in server mode, then the client's new
     * header. The decoder is told to expect that header before {@code <proceed/>} is written, so
     * no byte of the new stream can reach the old stream's parser.
     */
    private void startTls() {
        boolean refused = lockedGet(() -> {
            if (state != State.AUTHENTICATING) {
                return false;
            }
            if (startTlsOffered) {
                state = State.AWAIT_RESTART;
                restart = Restart.TLS;
                XmppCodec.restartStream(session);
                session.write("<proceed xmlns='" + Namespaces.TLS + "'/>");
                // <proceed/> is in the write queue already, below where TLS goes in: it leaves in clear.
                layers.startTls(session);
                secured = true;
                startTlsOffered = false;
                tlsRequired = false;
                headerSent = false;
                return false;
            }
            // Not offered: RFC 6120 5.4.2.2 failure, then the stream ends.
            session.write("<failure xmlns='" + Namespaces.TLS + "'/>");
            session.write(CmElements.STREAM_CLOSE);
            return true;
        });
        if (refused) {
            close();
        }
    }

    /** TLS is required and not in place yet: see the class comment. */
    private void refuseBeforeTls(StanzaFrame frame) {
        if (frame.namespace().equals(Namespaces.SASL)) {
            boolean answered = lockedGet(() -> {
                if (++authRefusedBeforeTls <= MAX_AUTH_BEFORE_TLS) {
                    session.write("<failure xmlns='" + Namespaces.SASL + "'><encryption-required/></failure>");
                    return true;
                }
                return false;
            });
            if (answered) {
                return;
            }
        }
        fail(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS is required first");
    }

    /** {@code <compress><method>zlib</method></compress>}: {@code <compressed/>}, zlib, and the client's new header. */
    private void compress(StanzaFrame frame) {
        String method;
        try {
            Element compress = XmlDom.parse(frame, streamNamespaces);
            Element first = compress.element("method");
            method = first == null ? null : first.getTextTrim();
        } catch (CmProtocolException e) {
            method = null;
        }
        String chosen = method;
        locked(() -> {
            if (state != State.AUTHENTICATED) {
                return;
            }
            if (!compressionOffered) {
                compressionFailure("setup-failed");
                return;
            }
            if (!StreamFeatures.ZLIB.equals(chosen)) {
                compressionFailure("unsupported-method");
                return;
            }
            state = State.AWAIT_RESTART;
            restart = Restart.COMPRESSION;
            XmppCodec.restartStream(session);
            session.write("<compressed xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'/>");
            // As with TLS: <compressed/> has passed the chain already and leaves uncompressed.
            layers.startCompression(session);
            compressed = true;
            compressionOffered = false;
            headerSent = false;
        });
    }

    /** XEP-0138 failure; the stream goes on uncompressed. */
    private void compressionFailure(String condition) {
        locked(() -> session.write("<failure xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'><" + condition + "/></failure>"));
    }

    /** The client's compressed data cannot be inflated (XEP-0138 {@code processing-failed}). */
    void compressionFailed() {
        failWith(StreamErrorCondition.UNDEFINED_CONDITION, "<stream:error><undefined-condition xmlns='"
                + Namespaces.STREAM_ERRORS + "'/><processing-failed xmlns='" + Namespaces.COMPRESS_PROTOCOL
                + "'/></stream:error>");
    }

    /**
     * The server is gone for good and this stream ends shortly: from now on what the client sends goes straight back
     * to it as errors, so that what was still in its socket gets an answer instead of vanishing with the close.
     */
    void refuseFromNow() {
        lastRefusedNanos = System.nanoTime();
        refusing = true;
    }

    /** When the client last sent something that was answered with an error (see {@link #refuseFromNow}). */
    long lastRefusedNanos() {
        return lastRefusedNanos;
    }

    private void route(String sid, StanzaFrame frame) {
        if (refusing) {
            lastRefusedNanos = System.nanoTime();
            try {
                bounce(org.xmppcm.protocol.cm.XmlDom.parse(frame, streamNamespaces));
            } catch (org.xmppcm.protocol.cm.CmProtocolException e) {
                LOG.debug("Client {}: unreadable stanza while the server is gone: {}", sid, e.getMessage());
            }
            return;
        }
        if (!context.uplink().route(sid, RouteCodec.wrap(sid, frame, streamNamespaces))) {
            fail(StreamErrorCondition.RESOURCE_CONSTRAINT, "the server is not reachable and this stream's hold buffer is full");
            return;
        }
        context.uplink().slowDownIfCongested(sid, session);
    }

    /** Something the server routed to this client; false when the stream is closed and it was not delivered. */
    boolean routedFromServer(RoutedStanza routed) {
        return lockedGet(() -> {
            if (state == State.CLOSED) {
                return false;
            }
            if (routed.isStreamError()) {
                state = State.CLOSED;
                context.registry().remove(streamId, this);
                writeHeaderIfNone();
                session.write(routed.stanza());
                session.write(CmElements.STREAM_CLOSE);
                session.closeOnFlush();
                return true;
            }
            if (routed.isSaslSuccess()) {
                // Before the client can see <success/> and send its new header.
                XmppCodec.restartStream(session);
                state = State.AWAIT_RESTART;
                restart = Restart.SASL;
                authenticated = true;
                iqAuthId = null;
                session.write(routed.stanza());
                return true;
            }
            if (iqAuthId != null && routed.localName().equals("iq") && Namespaces.CLIENT.equals(routed.namespace())) {
                iqAuthAnswered(routed);
            }
            if (state == State.AWAIT_RESTART) {
                // The client's new stream has no header yet: it must not see a stanza before one.
                hold(routed.stanza());
                return true;
            }
            session.write(routed.stanza());
            return true;
        });
    }

    /**
     * A stanza this client sent that the server never took: it goes back to the client as an error (see
     * {@link StanzaErrors#undelivered}), so the client knows rather than waits; true when something was written.
     */
    boolean bounce(org.dom4j.Element stanza) {
        org.dom4j.Element reply = StanzaErrors.undelivered(stanza);
        if (reply == null) {
            return false;
        }
        byte[] xml = org.xmppcm.protocol.cm.XmlDom.toXml(reply).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (refusing) {
            lastRefusedNanos = System.nanoTime(); // its held stanzas answered at the end of an outage: still talking
        }
        return lockedGet(() -> {
            if (state == State.CLOSED) {
                return false;
            }
            if (state == State.AWAIT_RESTART) {
                hold(xml);
            } else {
                session.write(xml);
            }
            return true;
        });
    }

    private void hold(byte[] stanza) {
        if (held == null) {
            held = new ArrayList<>(4);
        }
        if (held.size() >= MAX_HELD) {
            fail(StreamErrorCondition.RESOURCE_CONSTRAINT, "too much traffic while the stream restarts");
            return;
        }
        held.add(stanza);
    }

    /**
     * The server ended this session ({@code <close/>} session IQ): pass its stream error on and
     * close. The server already forgot the session, so no close IQ goes back.
     */
    void closedByServer(String streamErrorXml, StreamErrorCondition fallback) {
        boolean closed = lockedGet(() -> {
            if (state == State.CLOSED) {
                return false;
            }
            state = State.CLOSED;
            context.registry().remove(streamId, this);
            context.metrics().streamErrorSent(streamErrorXml != null ? conditionIn(streamErrorXml) : fallback);
            writeHeaderIfNone();
            session.write(streamErrorXml != null ? streamErrorXml : CmElements.streamError(fallback, null));
            session.write(CmElements.STREAM_CLOSE);
            return true;
        });
        if (closed) {
            session.closeOnFlush();
        }
    }

    /**
     * As {@link #closedByServer}, but the socket is left for the client to close (RFC 6120 4.4: it answers our
     * {@code </stream:stream>}) for up to {@code linger}, its further input read and ignored meanwhile: closing on
     * unread input would reset the connection and could take our last errors and the stream error with it.
     */
    void closedByServerLingering(StreamErrorCondition condition, java.time.Duration linger,
                                 java.util.concurrent.ScheduledExecutorService timers) {
        boolean closed = lockedGet(() -> {
            if (state == State.CLOSED) {
                return false;
            }
            state = State.CLOSED;
            context.registry().remove(streamId, this);
            context.metrics().streamErrorSent(condition);
            writeHeaderIfNone();
            session.write(CmElements.streamError(condition, null));
            session.write(CmElements.STREAM_CLOSE);
            return true;
        });
        if (!closed) {
            return;
        }
        try {
            timers.schedule(() -> {
                session.closeNow();
            }, linger.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            session.closeOnFlush();
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

    /** The client closed its stream: close ours and the session on the server. */
    void clientClosedStream() {
        session.write(CmElements.STREAM_CLOSE);
        close();
    }

    /** The stream is broken or refused: stream error (after a header if none was sent yet), then close. */
    void fail(StreamErrorCondition condition, String text) {
        failWith(condition, CmElements.streamError(condition, text));
    }

    private void failWith(StreamErrorCondition condition, String streamErrorXml) {
        locked(() -> {
            if (state == State.CLOSED) {
                return;
            }
            context.metrics().streamErrorSent(condition);
            writeHeaderIfNone();
            session.write(streamErrorXml);
            session.write(CmElements.STREAM_CLOSE);
            close();
        });
    }

    private void locked(Runnable body) {
        lockedGet(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs {@code body} under this stream's lock. With TLS, MINA decrypts a client's bytes and hands them up to us
     * (to {@link #frameReceived} and the rest) while holding its TLS engine's lock, and every write to the client
     * takes that lock too. So a thread other than the client's own (a link delivering a stanza, shutdown) must take
     * the engine's lock before ours, as the I/O thread does, or each would hold the lock the other waits for.
     * Only this stream adds TLS to its session, under our lock, so the engine seen outside it can only differ from
     * the one inside when TLS came in between: then take the locks again.
     */
    private <T> T lockedGet(Supplier<T> body) {
        while (true) {
            Object engine = ServerSslFilter.engineLock(session);
            if (engine == null) {
                synchronized (this) {
                    if (ServerSslFilter.engineLock(session) == null) {
                        return body.get();
                    }
                }
            } else {
                synchronized (engine) {
                    synchronized (this) {
                        if (ServerSslFilter.engineLock(session) == engine) {
                            return body.get();
                        }
                    }
                }
            }
        }
    }

    /**
     * A stream error needs a stream header before it (RFC 6120 4.9.1.1), also on a restarted
     * stream whose new header we have not sent yet.
     */
    private void writeHeaderIfNone() {
        if (!headerSent) {
            // No session exists for a stream refused at its header: the id only satisfies the syntax.
            writeHeader(streamId != null ? streamId : Long.toHexString(System.nanoTime()), null);
        }
    }

    /** Ends the stream from our side; tells the server once. */
    void close() {
        endSession();
        session.closeOnFlush();
    }

    /** The socket is gone, or we are closing it: the server session ends with it. */
    void endSession() {
        String sid;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            sid = streamId;
            held = null;
        }
        if (sid != null) {
            context.registry().remove(sid, this);
            context.uplink().closeSession(sid);
        }
    }

    /**
     * The authentication deadline has passed: {@code connection-timeout} and close, which also closes the session on
     * the server. Decided under the lock SASL success is taken under, so a success that got in first wins.
     *
     * @return whether this closed the stream (false: authenticated or already closed meanwhile)
     */
    boolean authenticationTimedOut() {
        return lockedGet(() -> {
            if (authenticated || state == State.CLOSED) {
                return false;
            }
            fail(StreamErrorCondition.CONNECTION_TIMEOUT, "not authenticated in time");
            return true;
        });
    }

    /** CM shutdown (RFC 6120 4.9.3.22): the client gets {@code system-shutdown}; the server hears of the close. */
    void shutdown() {
        fail(StreamErrorCondition.SYSTEM_SHUTDOWN, null);
    }

    IoSession session() {
        return session;
    }
}
