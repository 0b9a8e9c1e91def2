// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire.spi;

import org.jivesoftware.openfire.Connection;
import org.xmppcm.plugin.openfire.standin.StandIn;

public class ConnectionListener {
    private final boolean enabled;
    private final int port;
    private final Connection.TLSPolicy tlsPolicy;
    private final Connection.CompressionPolicy compressionPolicy;
    /** Like Openfire's, enabled state and port live in properties when it has names for them (null: fixed). */
    private final String enabledProperty;
    private final String portProperty;

    /** Built by StandIn.listener(...) through reflection: the stub's constructor is private too. */
    private ConnectionListener(boolean enabled, int port, Connection.TLSPolicy tlsPolicy,
                               Connection.CompressionPolicy compressionPolicy, String enabledProperty,
                               String portProperty) {
        this.enabled = enabled;
        this.port = port;
        this.tlsPolicy = tlsPolicy;
        this.compressionPolicy = compressionPolicy;
        this.enabledProperty = enabledProperty;
        this.portProperty = portProperty;
    }

    /** As Openfire: the property when set (the admin console's Connection Managers page sets it), else the default. */
    public boolean isEnabled() {
        String value = enabledProperty == null ? null : StandIn.properties().get(enabledProperty);
        return value == null ? enabled : Boolean.parseBoolean(value);
    }

    public int getPort() {
        String value = portProperty == null ? null : StandIn.properties().get(portProperty);
        return value == null ? port : Integer.parseInt(value);
    }

    public java.net.InetAddress getBindAddress() {
        return StandIn.networkInterface();
    }

    public Connection.TLSPolicy getTLSPolicy() {
        return tlsPolicy;
    }

    public Connection.CompressionPolicy getCompressionPolicy() {
        return compressionPolicy;
    }

    public ConnectionConfiguration generateConnectionConfiguration() {
        return StandIn.instantiate(ConnectionConfiguration.class);
    }
}
