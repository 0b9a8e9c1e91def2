// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire.session;

import org.jivesoftware.openfire.Connection;
import org.xmppcm.plugin.openfire.standin.StandIn;

public class LocalClientSession {
    private LocalClientSession() {
    }

    /** Openfire's IP allow/block lists, here whatever the test configured; every call is recorded. */
    public static boolean isAllowed(Connection connection) {
        return StandIn.isAllowed(connection);
    }

    private final java.util.concurrent.atomic.AtomicLong serverPackets = new java.util.concurrent.atomic.AtomicLong();

    /** Openfire's own connections count what they deliver; a connection of a plugin has to do the same. */
    public void incrementServerPacketCount() {
        serverPackets.incrementAndGet();
    }

    public long getNumServerPackets() {
        return serverPackets.get();
    }
}
