package org.xmppcm.engine.host;

import org.dom4j.Element;

/** The host's side of one client session, fed by the engine in the order the client sent. */
public interface HostSession {
    /**
     * One element the client sent: SASL ({@code auth}, {@code response}, {@code abort}, in
     * {@code urn:ietf:params:xml:ns:xmpp-sasl}) or a stanza in {@code jabber:client}. The element is the host's
     * from now on: the engine parsed it for this call and keeps nothing of it.
     */
    void received(Element stanza);

    /**
     * The client is gone (the CM sent {@code <close/>}, or its last link ended). Called once;
     * the host ends the session (unavailable presence to contacts) and forgets it.
     */
    void closed();

    /**
     * {@code stanza} could not be delivered to the client: the CM reported it in {@code <failed>} (a message for a
     * client that had gone), or the client's link was lost before the CM acknowledged it, or it was held while the
     * manager was away and the session ended. The host stores a message for later delivery where it can, and answers
     * an IQ request's sender with an error; other stanzas have nobody waiting for them.
     */
    void deliveryFailed(Element stanza);
}
