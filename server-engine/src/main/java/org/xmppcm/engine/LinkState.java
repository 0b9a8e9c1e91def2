package org.xmppcm.engine;

import org.xmppcm.protocol.machine.StateGraph;

/**
 * Where one CM link is in its life, declared as {@link #GRAPH}: every move of a {@link CmLink} is checked against it.
 * The JEP sections are those of {@code shared/connection-manager-jep.txt}; the extension sections those of
 * {@code docs/link-extensions.md}. Diagram: {@code docs/graphs/engine-link.dot}.
 *
 * <p>What the link offers in its features is not a state: it follows from its {@link LinkSecurity} and the layers it
 * runs (STARTTLS while it has neither TLS nor zlib, zlib while it has no zlib and TLS is not required in clear), which
 * change only on the way into a restart state.
 */
public enum LinkState {
    /** TCP accepted; nothing sent yet. */
    AWAIT_HEADER,
    /** Our header (stream id, features) is sent; {@code <handshake>}, {@code <starttls/>} or {@code <compress>}. */
    AWAIT_HANDSHAKE,
    /** {@code <proceed/>} sent and TLS under the stream: the CM's header of the new stream is awaited. */
    TLS_RESTART,
    /** {@code <compressed/>} sent and zlib under the stream: the CM's header of the new stream is awaited. */
    ZLIB_RESTART,
    /** The CM proved the secret on a plain link; session IQs and routes flow. */
    AUTHENTICATED,
    /** Authenticated, and the CM took our {@code <ack/>}: both ends count, what we send stays until acknowledged. */
    ACKNOWLEDGED,
    /**
     * An acknowledged link that closed before its fate was decided: its sessions hold their stanzas, and what is still
     * sent to it stays in its ledger, until another link takes it over or the resumption window closes.
     */
    LOST,
    /** A lost link taken over or given up: its sessions have moved on. */
    SETTLED,
    /** Closing or closed: input is ignored and nothing more is written. */
    CLOSED;

    private static final String NEGOTIATION_ENDS = "refusal, deadline, error or loss";
    private static final String LINK_ENDS = "stream end, error, overflow, idle or loss";

    /** The link's states, the specification section each implements, and the events between them. */
    public static final StateGraph<LinkState> GRAPH = StateGraph.of("engine-link", LinkState.class, AWAIT_HEADER)
            .state(AWAIT_HEADER, "JEP Opening Connection ex. 1; RFC 6120 4.2", "TCP accepted; nothing sent yet")
            .on("CM header: our header, id, features", AWAIT_HANDSHAKE)
            .on(NEGOTIATION_ENDS, CLOSED)
            .state(AWAIT_HANDSHAKE, "JEP Opening Connection ex. 2-3; RFC 6120 4.3.2; link-extensions 2 Negotiation",
                    "our header and features sent; the handshake awaited")
            .on("<starttls/> offered: <proceed/>", TLS_RESTART)
            .on("<compress> zlib offered: <compressed/>", ZLIB_RESTART)
            .on("handshake: <handshake/>, configuration IQ", AUTHENTICATED)
            .on("handshake with ack:enable", ACKNOWLEDGED)
            .on(NEGOTIATION_ENDS, CLOSED)
            .state(TLS_RESTART, "JEP TLS Negotiation ex. 5-8; RFC 6120 5.4.3.3",
                    "TLS under the stream; the CM's new header awaited")
            .on("CM header: our header, new id", AWAIT_HANDSHAKE)
            .on(NEGOTIATION_ENDS, CLOSED)
            .state(ZLIB_RESTART, "JEP Compression Negotiation ex. 9-12; XEP-0138 2",
                    "zlib under the stream; the CM's new header awaited")
            .on("CM header: our header, new id", AWAIT_HANDSHAKE)
            .on(NEGOTIATION_ENDS, CLOSED)
            .state(AUTHENTICATED, "JEP Connection Manager Authentication ex. 13-16",
                    "the CM proved the secret; session IQs and routes flow")
            .on(LINK_ENDS, CLOSED)
            .state(ACKNOWLEDGED, "link-extensions 2 Counting and acknowledging",
                    "authenticated; routes and IQs counted and kept until acknowledged")
            .on(LINK_ENDS, LOST)
            .state(LOST, "link-extensions 2 Takeover of a lost link",
                    "closed, fate undecided: sessions hold, the ledger keeps what is sent")
            .on("<resume/> on another link, or the window passed", SETTLED)
            .state(SETTLED, "link-extensions 2 When nobody takes a link over", "taken over or given up")
            .state(CLOSED, "RFC 6120 4.4, 4.9", "closing or closed: nothing more is read or written")
            .build();
}
