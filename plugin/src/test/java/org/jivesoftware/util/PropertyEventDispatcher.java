// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.util;

import org.xmppcm.plugin.openfire.standin.StandIn;

public class PropertyEventDispatcher {
    private PropertyEventDispatcher() {
    }

    public static void addListener(PropertyEventListener listener) {
        StandIn.propertyListeners().add(listener);
    }

    public static void removeListener(PropertyEventListener listener) {
        StandIn.propertyListeners().remove(listener);
    }
}
