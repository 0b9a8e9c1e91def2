package org.xmppcm.plugin.openfire;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.openfire.ConnectionManager;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.spi.ConnectionListener;
import org.jivesoftware.openfire.spi.ConnectionType;
import org.xmppcm.plugin.core.PortConflicts.BuiltInListener;

/** Reads how Openfire's own connection-manager listeners (plain/StartTLS and Direct TLS) are configured. */
final class BuiltInListeners {
    private BuiltInListeners() {
    }

    /** Where Openfire binds its listeners (its {@code network.interface}); null for every interface. */
    static InetAddress bindAddress() {
        ConnectionListener sibling = XMPPServer.getInstance().getConnectionManager()
                .getListener(ConnectionType.CONNECTION_MANAGER, false);
        return sibling == null ? null : sibling.getBindAddress();
    }

    static List<BuiltInListener> read() {
        ConnectionManager connections = XMPPServer.getInstance().getConnectionManager();
        List<BuiltInListener> result = new ArrayList<>(2);
        add(result, connections.getListener(ConnectionType.CONNECTION_MANAGER, false), "plain/StartTLS",
                "xmpp.multiplex.socket.active");
        add(result, connections.getListener(ConnectionType.CONNECTION_MANAGER, true), "Direct TLS",
                "xmpp.multiplex.ssl.active");
        return result;
    }

    private static void add(List<BuiltInListener> into, ConnectionListener listener, String description,
                            String enabledProperty) {
        if (listener != null) {
            into.add(new BuiltInListener(description, listener.isEnabled(), listener.getPort(), enabledProperty));
        }
    }
}
