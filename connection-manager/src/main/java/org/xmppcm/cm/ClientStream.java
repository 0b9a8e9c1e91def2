package org.xmppcm.cm;

import java.util.Map;
import org.apache.mina.core.session.IoSession;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.transport.XmppCodec;

/**
 * One client's stream through this CM: answers stream headers and restarts locally, routes
 * everything else to the server under the client's stream id, and writes what the server routes
 * back. Events come from the client's I/O thread and from the link's; state changes are
 * synchronized, writes go straight to MINA's thread-safe write queue.
 *
 * <pre>
 *  AWAIT_HEADER --header--> AUTHENTICATING --SASL success routed back--> AWAIT_RESTART
 *       |                        |                                            |
 *       |                        |                          new header        v
 *       +-------- error / close -+-----------------> CLOSED <------------ AUTHENTICATED
 * </pre>
 */
final class ClientStream {
    enum State { AWAIT_HEADER, AUTHENTICATING, AWAIT_RESTART, AUTHENTICATED, CLOSED }

    private final IoSession session;
    private final ClientContext context;
    private State state = State.AWAIT_HEADER;
    private boolean headerSent;
    private int restarts;
    private String streamId;
    private Map<String, String> streamNamespaces = Map.of();

    ClientStream(IoSession session, ClientContext context) {
        this.session = session;
        this.context = context;
    }

    synchronized State state() {
        return state;
    }

    synchronized String streamId() {
        return streamId;
    }

    /** The client opened (or, after SASL success, reopened) its stream. */
    void streamOpened(StreamOpen open) {
        String lang = open.attribute("xml:lang");
        synchronized (this) {
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
                case AWAIT_RESTART -> {
                    state = State.AUTHENTICATED;
                    // A restarted stream needs an id of its own (RFC 6120 4.3.3); the session keeps its id.
                    writeHeader(streamId + "-" + (++restarts), lang);
                    session.write(StreamFeatures.afterAuthentication());
                }
                default -> fail(StreamErrorCondition.NOT_WELL_FORMED, "unexpected stream header");
            }
        }
    }

    private void openSession(String lang) {
        Uplink uplink = context.uplink();
        if (!uplink.acceptsNewClients()) {
            fail(StreamErrorCondition.REMOTE_CONNECTION_FAILED, "the server is not reachable right now");
            return;
        }
        if (uplink.configuration().tls() == org.xmppcm.protocol.cm.TlsPolicy.REQUIRED) {
            fail(StreamErrorCondition.POLICY_VIOLATION, "the server requires TLS, which this connection manager does not offer");
            return;
        }
        streamId = context.streamIds().next();
        context.registry().add(streamId, this);
        uplink.createSession(streamId, session.getRemoteAddress());
        state = State.AUTHENTICATING;
        writeHeader(streamId, lang);
        session.write(StreamFeatures.beforeAuthentication(uplink.configuration()));
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
        synchronized (this) {
            current = state;
            sid = streamId;
        }
        switch (current) {
            case AUTHENTICATING -> {
                if (frame.is("starttls", Namespaces.TLS)) {
                    // Not offered: RFC 6120 5.4.2.2 failure, then the stream ends.
                    session.write("<failure xmlns='" + Namespaces.TLS + "'/>");
                    session.write(CmElements.STREAM_CLOSE);
                    close();
                } else if (frame.namespace().equals(Namespaces.SASL) || isStanza(frame)) {
                    route(sid, frame);
                } else {
                    fail(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, null);
                }
            }
            case AUTHENTICATED -> {
                if (isStanza(frame)) {
                    route(sid, frame);
                } else {
                    fail(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, null);
                }
            }
            case AWAIT_RESTART -> fail(StreamErrorCondition.NOT_AUTHORIZED, "restart the stream after SASL success");
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

    private void route(String sid, StanzaFrame frame) {
        if (!context.uplink().route(sid, RouteCodec.wrap(sid, frame, streamNamespaces))) {
            fail(StreamErrorCondition.RESOURCE_CONSTRAINT, "the server is not reachable and this stream's hold buffer is full");
        }
    }

    /** Something the server routed to this client. */
    void routedFromServer(RoutedStanza routed) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            if (routed.isSaslSuccess()) {
                // Before the client can see <success/> and send its new header.
                XmppCodec.restartStream(session);
                state = State.AWAIT_RESTART;
            }
            if (routed.isStreamError()) {
                state = State.CLOSED;
                context.registry().remove(streamId, this);
                session.write(routed.stanza());
                session.write(CmElements.STREAM_CLOSE);
                session.closeOnFlush();
                return;
            }
        }
        session.write(routed.stanza());
    }

    /**
     * The server ended this session ({@code <close/>} session IQ): pass its stream error on and
     * close. The server already forgot the session, so no close IQ goes back.
     */
    void closedByServer(String streamErrorXml, StreamErrorCondition fallback) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            context.registry().remove(streamId, this);
        }
        session.write(streamErrorXml != null ? streamErrorXml : CmElements.streamError(fallback, null));
        session.write(CmElements.STREAM_CLOSE);
        session.closeOnFlush();
    }

    /** The client closed its stream: close ours and the session on the server. */
    void clientClosedStream() {
        session.write(CmElements.STREAM_CLOSE);
        close();
    }

    /** The stream is broken or refused: stream error (after a header if none was sent yet), then close. */
    synchronized void fail(StreamErrorCondition condition, String text) {
        if (state == State.CLOSED) {
            return;
        }
        if (!headerSent) {
            // No session exists for a stream refused at its header: the id only satisfies the syntax.
            writeHeader(streamId != null ? streamId : Long.toHexString(System.nanoTime()), null);
        }
        session.write(CmElements.streamError(condition, text));
        session.write(CmElements.STREAM_CLOSE);
        close();
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
        }
        if (sid != null) {
            context.registry().remove(sid, this);
            context.uplink().closeSession(sid);
        }
    }

    /** CM shutdown (RFC 6120 4.9.3.22): the client gets {@code system-shutdown}; the server hears of the close. */
    void shutdown() {
        fail(StreamErrorCondition.SYSTEM_SHUTDOWN, null);
    }

    IoSession session() {
        return session;
    }
}
