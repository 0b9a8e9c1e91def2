// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire;

import org.jivesoftware.openfire.handler.IQRegisterHandler;
import org.xmppcm.plugin.openfire.standin.StandIn;

public class XMPPServer {
    private XMPPServer() {
    }

    /** The instance StandIn.reset() installed. */
    public static XMPPServer getInstance() {
        return StandIn.server();
    }

    public XMPPServerInfo getServerInfo() {
        return StandIn::domain;
    }

    public ConnectionManager getConnectionManager() {
        return StandIn::listener;
    }

    public IQRouter getIQRouter() {
        return StandIn.instantiate(IQRouter.class);
    }

    public IQRegisterHandler getIQRegisterHandler() {
        return StandIn.instantiate(IQRegisterHandler.class);
    }

    public OfflineMessageStrategy getOfflineMessageStrategy() {
        return StandIn.instantiate(OfflineMessageStrategy.class);
    }
}
