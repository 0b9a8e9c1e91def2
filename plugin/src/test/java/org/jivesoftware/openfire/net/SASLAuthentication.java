// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire.net;

import java.util.Set;
import org.xmppcm.plugin.openfire.standin.StandIn;

public class SASLAuthentication {
    private SASLAuthentication() {
    }

    public static Set<String> getSupportedMechanisms() {
        return Set.copyOf(StandIn.saslMechanisms());
    }
}
