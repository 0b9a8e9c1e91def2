package org.xmppcm.engine.host;

import org.dom4j.Element;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/** The engine's side of one client session: how the host reaches the client through its CM. */
public interface ClientChannel {
    /**
     * Sends one element to the client: a stanza in {@code jabber:client}, or a SASL element
     * ({@code challenge}, {@code success}, {@code failure}). Never blocks; the element is
     * serialized before the call returns, so the caller may reuse it.
     */
    void deliver(Element stanza);

    /**
     * Ends the client's stream from the server side (conflict, kick, shutdown): the CM gets a
     * {@code <session><close/>} IQ carrying the stream error and closes the client's socket.
     * The host session receives no {@link HostSession#closed()} for it afterwards.
     */
    void close(StreamErrorCondition condition);

    /** The client's stream id. */
    String streamId();

    /**
     * The host has more of this client's input waiting than it wants to hold: the engine stops reading the link that
     * input arrives on (TCP then slows the manager, which slows its clients) until {@link #resumeInput()}. Nothing is
     * dropped: what is already on its way still arrives. Idempotent; safe from any thread, also with the host's own
     * locks held.
     */
    void pauseInput();

    /** The host has caught up with this client's input: reading resumes, unless something else still pauses it. */
    void resumeInput();
}
