// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire;

import java.net.UnknownHostException;
import java.util.Optional;
import org.jivesoftware.openfire.auth.UnauthorizedException;
import org.jivesoftware.openfire.spi.ConnectionConfiguration;
import org.xmpp.packet.Packet;
import org.xmpp.packet.StreamError;

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

    enum CompressionPolicy {
        optional,
        disabled
    }

    enum TLSPolicy {
        required,
        optional,
        disabled,
        directTLS
    }
}
