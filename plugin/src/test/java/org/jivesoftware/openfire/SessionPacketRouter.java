// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire;

import org.dom4j.Element;
import org.jivesoftware.openfire.multiplex.UnknownStanzaException;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.xmppcm.plugin.openfire.standin.StandIn;

public class SessionPacketRouter {
    private final LocalClientSession session;

    public SessionPacketRouter(LocalClientSession session) {
        this.session = session;
    }

    /** Records stanzas; like Openfire, anything but iq, message and presence is an unknown stanza. */
    public void route(Element wrappedElement) throws UnknownStanzaException {
        String name = wrappedElement.getName();
        if (!name.equals("iq") && !name.equals("message") && !name.equals("presence")) {
            throw StandIn.instantiate(UnknownStanzaException.class);
        }
        StandIn.routed(session, wrappedElement);
    }
}
