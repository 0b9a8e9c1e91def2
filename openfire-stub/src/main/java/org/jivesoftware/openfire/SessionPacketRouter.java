package org.jivesoftware.openfire;

import org.dom4j.Element;
import org.jivesoftware.openfire.multiplex.UnknownStanzaException;
import org.jivesoftware.openfire.session.LocalClientSession;

/**
 * Compile-only mirror of the router Openfire's own multiplexer feeds client input through: SASL {@code auth} and
 * {@code response} go to SASL authentication, stanzas to packet routing with {@code from} set by the server. The
 * real class also implements {@code PacketRouter}.
 */
public class SessionPacketRouter {

    public SessionPacketRouter(LocalClientSession session) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void route(Element wrappedElement) throws UnknownStanzaException {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
