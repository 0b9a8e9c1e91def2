package org.jivesoftware.openfire.net;

import org.xmpp.packet.StreamError;

/**
 * Compile-only mirror of Openfire's {@code VirtualConnection}: a connection without a socket. The real class
 * implements every {@code Connection} method except the address getters, delivery, {@code systemShutdown}, the TLS
 * names and {@code getConfiguration}; it implements {@code close(StreamError)} by notifying the close listeners and
 * then calling {@link #closeVirtualConnection(StreamError)}.
 */
public abstract class VirtualConnection extends AbstractConnection {

    @Override
    public void close(StreamError error) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public abstract void closeVirtualConnection(StreamError error);
}
