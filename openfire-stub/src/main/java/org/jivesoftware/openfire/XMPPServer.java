package org.jivesoftware.openfire;

import org.jivesoftware.openfire.handler.IQRegisterHandler;

/** Compile-only mirror: Openfire's singleton and the modules the plugin reads. */
public class XMPPServer {

    private XMPPServer() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static XMPPServer getInstance() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public XMPPServerInfo getServerInfo() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public ConnectionManager getConnectionManager() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public IQRouter getIQRouter() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public IQRegisterHandler getIQRegisterHandler() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public OfflineMessageStrategy getOfflineMessageStrategy() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
