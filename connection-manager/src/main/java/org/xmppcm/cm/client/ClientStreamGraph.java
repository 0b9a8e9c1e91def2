package org.xmppcm.cm.client;

import org.xmppcm.protocol.machine.StateGraph;

/**
 * The negotiation of one client's stream through this CM, declared once: each state, the section of RFC 6120, XEP-0138,
 * XEP-0078 or the connection-manager JEP it implements, and the events that leave it. {@link ClientStream} moves only
 * along these arrows; {@code docs/graphs/client-stream.dot} is the diagram, checked by a test.
 *
 * <pre>
 *  AWAIT_HEADER --&gt; STARTTLS_REQUIRED --starttls--&gt; TLS_HANDSHAKE --done--&gt; TLS_RESTART --header--+
 *       |                                               ^                                          |
 *       +-------&gt; AUTHENTICATING --starttls (offered)--+                                          |
 *                  |    ^   |                                                                      |
 *                  |    +---|----------------------------------------------------------------------+
 *    SASL success  |        +--XEP-0078 auth result--&gt; SESSION
 *                  v                                     ^
 *            SASL_RESTART --header--&gt; BINDING --first stanza (the bind request)
 *                                      |   ^
 *                             compress v   | header
 *                             COMPRESSION_RESTART
 *  server gone for good: SERVER_GONE (SERVER_GONE_RESTART while a restart is under way, then SERVER_GONE)
 *  every state but CLOSED: stream ended --&gt; CLOSING --socket closed--&gt; CLOSED (or straight to CLOSED)
 * </pre>
 */
final class ClientStreamGraph {
    /** Where a client stream stands. */
    enum State {
        AWAIT_HEADER, STARTTLS_REQUIRED, AUTHENTICATING, TLS_HANDSHAKE, TLS_RESTART, SASL_RESTART, BINDING,
        COMPRESSION_RESTART, SESSION, SERVER_GONE, SERVER_GONE_RESTART, CLOSING, CLOSED;

        /**
         * Our header for the client's current stream is written, so features or a stream error may follow: not before
         * the first header, nor during a restart until the client's new header has been answered (RFC 6120 4.3.3).
         */
        boolean headerWritten() {
            return switch (this) {
                case STARTTLS_REQUIRED, AUTHENTICATING, BINDING, SESSION, SERVER_GONE -> true;
                default -> false;
            };
        }

        /** A restart is under way: what the server routes waits for our new header, which it must not precede. */
        boolean restarting() {
            return switch (this) {
                case TLS_HANDSHAKE, TLS_RESTART, SASL_RESTART, COMPRESSION_RESTART, SERVER_GONE_RESTART -> true;
                default -> false;
            };
        }

        /** The client has yet to authenticate: the authentication deadline applies. */
        boolean awaitsAuthentication() {
            return switch (this) {
                case AWAIT_HEADER, STARTTLS_REQUIRED, AUTHENTICATING, TLS_HANDSHAKE, TLS_RESTART -> true;
                default -> false;
            };
        }

        /** Our side of the stream has ended: nothing more is written or routed. */
        boolean ended() {
            return this == CLOSING || this == CLOSED;
        }
    }

    private static final String ENDED = "stream error, or either side's </stream:stream>";
    private static final String SOCKET_CLOSED = "socket closed";
    private static final String SERVER_GONE = "server gone for good";

    static final StateGraph<State> GRAPH = declare();

    private static StateGraph<State> declare() {
        StateGraph.Builder<State> graph = StateGraph.of("client-stream", State.class, State.AWAIT_HEADER);
        graph.state(State.AWAIT_HEADER, "RFC 6120 4.2; JEP Opening Client Connection",
                        "waiting for the client's initial stream header")
                .on("header, server requires TLS: session created, STARTTLS alone offered", State.STARTTLS_REQUIRED)
                .on("header: session created, features offered", State.AUTHENTICATING)
                .on("header refused", State.CLOSING)
                .on(SOCKET_CLOSED, State.CLOSED);
        open(graph.state(State.STARTTLS_REQUIRED, "RFC 6120 5.3.1, 5.4.1; 6.5 encryption-required",
                        "STARTTLS offered as mandatory-to-negotiate: SASL gets encryption-required, anything else"
                                + " policy-violation")
                .on("<starttls/>: <proceed/>, TLS layer added", State.TLS_HANDSHAKE), State.SERVER_GONE);
        open(graph.state(State.AUTHENTICATING, "RFC 6120 4.3.2, 6.4; XEP-0078; JEP Use of SASL",
                        "features offered SASL (and STARTTLS, iq-auth as configured): the exchange is routed to the"
                                + " server")
                .on("<starttls/> offered: <proceed/>, TLS layer added", State.TLS_HANDSHAKE)
                .on("SASL <success/> routed back", State.SASL_RESTART)
                .on("result to the client's jabber:iq:auth set routed back", State.SESSION), State.SERVER_GONE);
        open(graph.state(State.TLS_HANDSHAKE, "RFC 6120 5.4.3",
                        "<proceed/> written, TLS below the parser: waiting for the handshake to finish")
                .on("handshake finished", State.TLS_RESTART), State.SERVER_GONE_RESTART);
        open(graph.state(State.TLS_RESTART, "RFC 6120 5.4.3.3, 4.3.3",
                        "TLS is up: waiting for the client's new stream header")
                .on("header: features offered again, without STARTTLS", State.AUTHENTICATING),
                State.SERVER_GONE_RESTART);
        open(graph.state(State.SASL_RESTART, "RFC 6120 6.4.6, 4.3.3",
                        "<success/> passed on: waiting for the client's new stream header")
                .on("header: features after authentication offered", State.BINDING), State.SERVER_GONE_RESTART);
        open(graph.state(State.BINDING, "RFC 6120 7; XEP-0138; XEP-0170 2.2; JEP Resource Binding",
                        "features offered resource binding, and zlib as configured (compression comes before"
                                + " binding)")
                .on("<compress/> with zlib offered: <compressed/>, zlib layer added", State.COMPRESSION_RESTART)
                .on("first stanza (the bind request), routed", State.SESSION), State.SERVER_GONE);
        open(graph.state(State.COMPRESSION_RESTART, "XEP-0138; RFC 6120 4.3.3",
                        "<compressed/> written, zlib below the parser: waiting for the client's new stream header")
                .on("header: features after authentication offered, without compression", State.BINDING),
                State.SERVER_GONE_RESTART);
        open(graph.state(State.SESSION, "RFC 6120 7, 8; JEP Regular traffic flow",
                "the routed session: stanzas go to the server in <route/> and come back out of it"), State.SERVER_GONE);
        open(graph.state(State.SERVER_GONE, "RFC 6120 8.3 stanza errors; 4.9.3 remote-connection-failed",
                "the server is gone for good: what the client still sends is answered with errors until the stream"
                        + " ends"), null);
        open(graph.state(State.SERVER_GONE_RESTART, "RFC 6120 4.3.3, 4.3.2",
                        "the server went while the client restarts its stream: its new header gets empty features")
                .on("header: empty features", State.SERVER_GONE), null);
        graph.state(State.CLOSING, "RFC 6120 4.4",
                        "our </stream:stream> is written, after a stream error if any: waiting for the socket to close")
                .on(SOCKET_CLOSED, State.CLOSED);
        graph.state(State.CLOSED, "RFC 6120 4.4", "the connection is gone");
        return graph.build();
    }

    /**
     * The ways out of every open state, after its own: the server gone for good (to {@code whenServerGone}, unless
     * null), the stream ended by either side, the socket gone.
     */
    private static void open(StateGraph.Builder<State> state, State whenServerGone) {
        if (whenServerGone != null) {
            state.on(SERVER_GONE, whenServerGone);
        }
        state.on(ENDED, State.CLOSING).on(SOCKET_CLOSED, State.CLOSED);
    }

    private ClientStreamGraph() {
    }
}
