package org.jivesoftware.openfire.session;

import org.jivesoftware.openfire.Connection;

/**
 * Compile-only mirror: the plugin holds client sessions and checks Openfire's IP allow and block lists. The real
 * class extends {@code LocalSession} and implements {@code ClientSession}.
 */
public class LocalClientSession {

    private LocalClientSession() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static boolean isAllowed(Connection connection) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    /** Declared by {@code LocalSession}: the "packets sent" count of the admin console's Sessions page. */
    public void incrementServerPacketCount() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    /** Declared by {@code LocalSession}. */
    public long getNumServerPackets() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    /** Declared by {@code LocalSession}: packets the client sent (counted by {@code SessionPacketRouter}). */
    public long getNumClientPackets() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    /** Declared by {@code LocalSession}: the session's address, the full JID once the client has bound a resource. */
    public org.xmpp.packet.JID getAddress() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
