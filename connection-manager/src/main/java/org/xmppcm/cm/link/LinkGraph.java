package org.xmppcm.cm.link;

import org.xmppcm.protocol.machine.StateGraph;

/**
 * The CM's side of one link to the server, declared as a graph ({@code docs/graphs/cm-link.dot}); {@link ServerLink}
 * moves through it only with a {@link org.xmppcm.protocol.machine.GraphPosition}.
 *
 * <pre>
 *  CONNECTING -&gt; AWAIT_HEADER -&gt; AWAIT_FEATURES                                    the first stream
 *    [link.tls=required]       -&gt; AWAIT_PROCEED -&gt; TLS_HANDSHAKE -&gt; TLS_RESTART       RFC 6120 5.4
 *    [zlib offered and wanted] -&gt; AWAIT_COMPRESSED -&gt; ZLIB_RESTART                     XEP-0138, inside TLS
 *  then the handshake, on one of two lanes:
 *    AWAIT_HANDSHAKE -&gt; AWAIT_CONFIGURATION -&gt; READY                                  the JEP (stock Openfire)
 *    AWAIT_ACK_HANDSHAKE -&gt; AWAIT_ACK_CONFIGURATION -&gt; ACKNOWLEDGED -&gt; AWAIT_TAKEOVER  ours (urn:xmppcm:ack:0)
 *  and from any open state -&gt; ENDING (our stream error or end written) -&gt; CLOSED, or TCP closed -&gt; CLOSED
 * </pre>
 *
 * The two lanes after the features are the two protocols a link can run: the JEP's, and ours with counted elements
 * (docs/link-extensions.md 2). The lane is chosen when the handshake is sent, by whether the server offered
 * {@code <ack/>} in the features of the stream the handshake goes on; from then on the lane says whether elements are
 * counted, so no flag does.
 */
final class LinkGraph {
    enum State {
        CONNECTING, AWAIT_HEADER, AWAIT_FEATURES, AWAIT_PROCEED, TLS_HANDSHAKE, TLS_RESTART, AWAIT_COMPRESSED,
        ZLIB_RESTART, AWAIT_HANDSHAKE, AWAIT_CONFIGURATION, READY, AWAIT_ACK_HANDSHAKE, AWAIT_ACK_CONFIGURATION,
        ACKNOWLEDGED, AWAIT_TAKEOVER, ENDING, CLOSED
    }

    private static final String STREAM_ENDS = "stream error or end, either side's";
    private static final String CM_STOPS = "CM stops: system-shutdown";
    private static final String TCP_CLOSED = "TCP closed";

    static final StateGraph<State> GRAPH;

    static {
        StateGraph.Builder<State> graph = StateGraph.of("cm-link", State.class, State.CONNECTING);
        graph.state(State.CONNECTING, "JEP ex. 1", "TCP connected, nothing written yet")
                .on("our header", State.AWAIT_HEADER)
                .on(CM_STOPS, State.ENDING).on(TCP_CLOSED, State.CLOSED);
        ends(graph.state(State.AWAIT_HEADER, "RFC 6120 4.2; JEP ex. 1-2", "our header written; the server's awaited")
                .on("1.0 header (or TLS, zlib to ask for)", State.AWAIT_FEATURES)
                .on("pre-1.0 header: nothing to negotiate", State.AWAIT_HANDSHAKE));
        ends(handshakes(graph.state(State.AWAIT_FEATURES, "RFC 6120 4.3.2; JEP ex. 3",
                        "the server's header read; its features awaited (no starttls with link.tls=required:"
                                + " policy-violation)")
                .on("starttls offered, link.tls=required", State.AWAIT_PROCEED)
                .on("zlib offered and wanted", State.AWAIT_COMPRESSED)));
        ends(graph.state(State.AWAIT_PROCEED, "RFC 6120 5.4.2; JEP ex. 4-5",
                        "<starttls/> written; <proceed/> awaited (<failure/>: policy-violation)")
                .on("<proceed/>: TLS layer added", State.TLS_HANDSHAKE));
        ends(graph.state(State.TLS_HANDSHAKE, "RFC 6120 5.4.3.1-2; JEP ex. 6", "TLS handshake running; nothing written")
                .on("TLS done: our new header", State.TLS_RESTART));
        ends(handshakes(graph.state(State.TLS_RESTART, "RFC 6120 5.4.3.3; JEP ex. 7-8",
                        "new stream inside TLS: the server's header and features awaited")
                .on("zlib offered and wanted", State.AWAIT_COMPRESSED)));
        ends(graph.state(State.AWAIT_COMPRESSED, "XEP-0138 2; JEP ex. 9-10", "<compress/> written; <compressed/> awaited")
                .on("<compressed/>: zlib layer added, our new header", State.ZLIB_RESTART)
                .on("<failure/>: stays uncompressed, our handshake", State.AWAIT_HANDSHAKE));
        ends(handshakes(graph.state(State.ZLIB_RESTART, "XEP-0138 2; JEP ex. 11-12",
                "new compressed stream: the server's header and features awaited")));
        ends(graph.state(State.AWAIT_HANDSHAKE, "JEP ex. 13-14 (XEP-0114 handshake)",
                        "<handshake>SHA-1(id + secret)</handshake> written; the server's empty one awaited")
                .on("<handshake/>", State.AWAIT_CONFIGURATION));
        ends(graph.state(State.AWAIT_CONFIGURATION, "JEP ex. 15-16",
                        "authenticated; the client configuration IQ awaited")
                .on("configuration IQ answered", State.READY));
        ends(graph.state(State.READY, "JEP Client Connection Handling",
                "carries clients' routes and session IQs, nothing counted (stock Openfire); closed when silent for"
                        + " link.timeout"));
        ends(graph.state(State.AWAIT_ACK_HANDSHAKE, "docs/link-extensions.md 2 Negotiation; JEP ex. 13-14",
                        "handshake with ack:enable written; what we send is counted from here on")
                .on("<handshake/>", State.AWAIT_ACK_CONFIGURATION));
        ends(graph.state(State.AWAIT_ACK_CONFIGURATION, "docs/link-extensions.md 2 Counting; JEP ex. 15-16",
                        "authenticated; both directions counted; the configuration IQ awaited")
                .on("configuration IQ answered", State.ACKNOWLEDGED));
        graph.state(State.ACKNOWLEDGED, "docs/link-extensions.md 2 Counting and acknowledging",
                        "carries traffic; what we send stays in the ledger until the server's <a h/>")
                .on(STREAM_ENDS + " (not system-shutdown)", State.AWAIT_TAKEOVER)
                .on(TCP_CLOSED + " or silent for link.timeout", State.AWAIT_TAKEOVER)
                .on(CM_STOPS + ", after our <a h/>", State.ENDING)
                .on("the server's system-shutdown (JEP ex. 28)", State.ENDING);
        graph.state(State.AWAIT_TAKEOVER, "docs/link-extensions.md 2 Takeover of a lost link",
                        "lost: writes nothing; what it is given joins its ledger; its clients hold")
                .on("taken over (<resumed/> on another link), or given up (<failed/>, h too high, grace over, stop)",
                        State.CLOSED);
        graph.state(State.ENDING, "RFC 6120 4.4, 4.9.1.1; JEP ex. 25",
                        "our stream error or end written: nothing more goes out; the TCP close awaited")
                .on(TCP_CLOSED, State.CLOSED);
        graph.state(State.CLOSED, "RFC 6120 4.4", "the connection is gone");
        GRAPH = graph.build();
    }

    /** The features read, the handshake goes on the JEP's lane, or on ours when the server offered acknowledgements. */
    private static StateGraph.Builder<State> handshakes(StateGraph.Builder<State> graph) {
        return graph.on("our handshake", State.AWAIT_HANDSHAKE)
                .on("our handshake taking the ack offer", State.AWAIT_ACK_HANDSHAKE);
    }

    /** The ways out of every state of a stream that is still open: its end, the CM's stop, the connection's loss. */
    private static void ends(StateGraph.Builder<State> graph) {
        graph.on(STREAM_ENDS, State.ENDING).on(CM_STOPS, State.ENDING).on(TCP_CLOSED, State.CLOSED);
    }

    private LinkGraph() {
    }

    /** Whether what we write is numbered (from our handshake taking the offer on, docs/link-extensions.md 2). */
    static boolean countsSent(State state) {
        return state == State.AWAIT_ACK_HANDSHAKE || countsReceived(state);
    }

    /** Whether what the server sends is counted (from the element after its {@code <handshake/>}). */
    static boolean countsReceived(State state) {
        return state == State.AWAIT_ACK_CONFIGURATION || state == State.ACKNOWLEDGED || state == State.AWAIT_TAKEOVER;
    }

    /** Whether our side of the stream is over: nothing may be written (RFC 6120 4.4). */
    static boolean hasEnded(State state) {
        return state == State.AWAIT_TAKEOVER || state == State.ENDING || state == State.CLOSED;
    }

    /** Whether the link carries clients' traffic. */
    static boolean carriesTraffic(State state) {
        return state == State.READY || state == State.ACKNOWLEDGED;
    }
}
