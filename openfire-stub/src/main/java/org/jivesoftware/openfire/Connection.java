package org.jivesoftware.openfire;

import java.net.UnknownHostException;
import java.util.Optional;
import org.jivesoftware.openfire.auth.UnauthorizedException;
import org.jivesoftware.openfire.spi.ConnectionConfiguration;
import org.xmpp.packet.Packet;
import org.xmpp.packet.StreamError;

/**
 * Compile-only mirror of Openfire's {@code org.jivesoftware.openfire.Connection} (an interface). Only the abstract
 * methods that a {@code VirtualConnection} subclass has to implement, plus {@code close(StreamError)}, are mirrored;
 * the real interface has many more (implemented by {@code AbstractConnection} and {@code VirtualConnection}), and
 * extends {@code Closeable}.
 */
public interface Connection {

    byte[] getAddress() throws UnknownHostException;

    String getHostAddress() throws UnknownHostException;

    String getHostName() throws UnknownHostException;

    void close(StreamError error);

    void systemShutdown();

    void deliver(Packet packet) throws UnauthorizedException;

    void deliverRawText(String text);

    Optional<String> getTLSProtocolName();

    Optional<String> getCipherSuiteName();

    ConnectionConfiguration getConfiguration();

    /** Nested in {@code Connection}; the plugin maps its constants by {@code name()}. */
    enum CompressionPolicy {
        optional,
        disabled
    }

    /** Nested in {@code Connection}; the plugin maps its constants by {@code name()}. */
    enum TLSPolicy {
        required,
        optional,
        disabled,
        directTLS
    }
}
