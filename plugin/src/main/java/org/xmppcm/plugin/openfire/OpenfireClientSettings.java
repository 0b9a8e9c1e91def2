package org.xmppcm.plugin.openfire;

import org.jivesoftware.openfire.Connection;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.net.SASLAuthentication;
import org.jivesoftware.openfire.spi.ConnectionListener;
import org.jivesoftware.openfire.spi.ConnectionType;
import org.jivesoftware.util.JiveGlobals;
import org.xmppcm.plugin.core.ClientSettings;
import org.xmppcm.plugin.core.PushedTuning;

/**
 * Reads Openfire's current client settings, from the same sources Openfire's own multiplexer uses for its
 * configuration push: the plain client listener's TLS and compression policies, the supported SASL mechanisms,
 * whether an IQ handler serves {@code jabber:iq:auth}, and in-band registration; plus our tuning values. Mapping them is
 * {@link org.xmppcm.plugin.core.ClientConfigurations}' job.
 */
final class OpenfireClientSettings {
    private static final String IQ_AUTH = "jabber:iq:auth";

    ClientSettings read() {
        XMPPServer server = XMPPServer.getInstance();
        ConnectionListener clients = server.getConnectionManager().getListener(ConnectionType.SOCKET_C2S, false);
        String tls = clients == null ? null : name(clients.getTLSPolicy());
        String compression = clients == null ? null : name(clients.getCompressionPolicy());
        return new ClientSettings(tls, compression, SASLAuthentication.getSupportedMechanisms(),
                server.getIQRouter().supports(IQ_AUTH), server.getIQRegisterHandler().isInbandRegEnabled(),
                PushedTuning.read(JiveGlobals::getProperty));
    }

    private static String name(Connection.TLSPolicy policy) {
        return policy == null ? null : policy.name();
    }

    private static String name(Connection.CompressionPolicy policy) {
        return policy == null ? null : policy.name();
    }
}
