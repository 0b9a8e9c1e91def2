// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire;

import org.jivesoftware.openfire.session.LocalClientSession;
import org.xmppcm.plugin.openfire.standin.StandIn;

public class SessionManager {
    private SessionManager() {
    }

    public static SessionManager getInstance() {
        return StandIn.sessionManager();
    }

    /** Records the call and hands out a fresh session, as Openfire registers one per connection. */
    public LocalClientSession createClientSession(Connection conn, StreamID id) {
        return StandIn.createClientSession(conn, id);
    }
}
