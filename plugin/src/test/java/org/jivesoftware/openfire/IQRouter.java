// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire;

import org.xmppcm.plugin.openfire.standin.StandIn;

public class IQRouter {
    private IQRouter() {
    }

    public void route(org.xmpp.packet.IQ packet) {
        StandIn.routedIqs().add(packet);
    }

    public boolean supports(String namespace) {
        return StandIn.iqNamespaces().contains(namespace);
    }
}
