package org.jivesoftware.openfire;

import org.jivesoftware.openfire.session.LocalClientSession;

/** Compile-only mirror: creating a client session over a connection of the caller's making. */
public class SessionManager {

    private SessionManager() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static SessionManager getInstance() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public LocalClientSession createClientSession(Connection conn, StreamID id) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
