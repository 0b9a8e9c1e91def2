// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire.spi;

import org.jivesoftware.openfire.StreamID;
import org.xmppcm.plugin.openfire.standin.StandIn;

public class BasicStreamIDFactory {
    private BasicStreamIDFactory() {
    }

    public static StreamID createStreamID(String name) {
        return new StandIn.Id(name);
    }
}
