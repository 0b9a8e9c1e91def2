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

    /** Built by StandIn.listener(...) through reflection: the stub's constructor is private too. */
    private ConnectionListener(boolean enabled, int port, Connection.TLSPolicy tlsPolicy,
                               Connection.CompressionPolicy compressionPolicy) {
        this.enabled = enabled;
        this.port = port;
        this.tlsPolicy = tlsPolicy;
        this.compressionPolicy = compressionPolicy;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public int getPort() {
        return port;
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
