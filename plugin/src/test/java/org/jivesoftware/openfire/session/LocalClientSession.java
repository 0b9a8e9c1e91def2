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

    /** What Openfire's SessionPacketRouter counted for this session (the stand-in router counts as it does). */
    public long getNumClientPackets() {
        return StandIn.routed().stream().filter(r -> r.session() == this).count();
    }

    private volatile org.xmpp.packet.JID address;

    /** Set by {@link StandIn#bind}; before that, as in Openfire before resource binding, the server's domain. */
    public org.xmpp.packet.JID getAddress() {
        org.xmpp.packet.JID bound = address;
        return bound != null ? bound : new org.xmpp.packet.JID(null, StandIn.domain(), null, true);
    }

    /** Test-only (not in the stub): what resource binding does to the address. */
    void bind(org.xmpp.packet.JID full) {
        address = full;
    }
}
