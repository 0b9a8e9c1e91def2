package org.jivesoftware.openfire.spi;

import org.jivesoftware.openfire.Connection;

/** Compile-only mirror: the settings of one of Openfire's own listeners (port, enabled, TLS, compression). */
public class ConnectionListener {

    private ConnectionListener() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public boolean isEnabled() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public int getPort() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    /** Where Openfire binds its listeners ({@code network.interface}); null for every interface. */
    public java.net.InetAddress getBindAddress() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public Connection.TLSPolicy getTLSPolicy() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public Connection.CompressionPolicy getCompressionPolicy() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public ConnectionConfiguration generateConnectionConfiguration() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
