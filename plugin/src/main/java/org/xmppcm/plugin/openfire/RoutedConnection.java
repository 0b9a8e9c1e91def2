package org.xmppcm.plugin.openfire;

import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Consumer;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.net.VirtualConnection;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.jivesoftware.openfire.spi.ConnectionConfiguration;
import org.jivesoftware.openfire.spi.ConnectionType;
import org.xmpp.packet.Packet;
import org.xmpp.packet.StreamError;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.plugin.core.ClientOutput;
import org.xmppcm.plugin.core.IpLiterals;

/**
 * The Openfire connection of one client behind a connection manager: what Openfire writes to it goes to the client
 * through the engine's {@link ClientChannel}, always as elements, and closing it ends the client's stream at the
 * manager. It has no socket, like Openfire's own multiplexer connection, hence a {@link VirtualConnection}.
 *
 * <p>Unlike stock Openfire ({@link ClientOutput} does the work): raw text (SASL replies, stream errors) is parsed
 * back into elements; stanzas carry {@code jabber:client}; and a session the server ends always reaches the manager as
 * a {@code <close/>} with a stream error ({@link ClientChannel#close}), so the manager closes the client's socket
 * instead of keeping a ghost.
 *
 * <p>TLS and compression happen between client and manager, so this connection reports neither, and no TLS names.
 */
final class RoutedConnection extends VirtualConnection {
    private final ClientDescriptor client;
    private final ClientOutput output;
    private final Consumer<RoutedConnection> onClosed;
    private volatile ConnectionConfiguration configuration;
    /** The Openfire session this connection carries, once created; its sent-packet count is ours to keep. */
    private volatile LocalClientSession session;

    /** @param onClosed called once Openfire has closed this connection, whoever started it */
    RoutedConnection(ClientDescriptor client, ClientChannel channel, Consumer<RoutedConnection> onClosed) {
        this.client = client;
        this.output = new ClientOutput(channel, this);
        this.onClosed = onClosed;
    }

    ClientDescriptor client() {
        return client;
    }

    /** The Openfire session of this client, or null before Openfire created it. */
    LocalClientSession session() {
        return session;
    }

    /** The session Openfire created for this connection. */
    void carries(LocalClientSession created) {
        this.session = created;
    }

    /** The engine's side of this client: to slow its input down while Openfire catches up. */
    ClientChannel channel() {
        return output.channel();
    }

    /** The way to the client, for what the plugin sends itself. */
    ClientOutput output() {
        return output;
    }

    @Override
    public void deliver(Packet packet) {
        output.deliverStanza(packet.getElement());
        LocalClientSession carried = session;
        if (carried != null) {
            // Openfire's own connections count what they deliver (the Sessions page's "sent" column); so do we.
            carried.incrementServerPacketCount();
        }
    }

    @Override
    public void deliverRawText(String text) {
        output.deliverRawText(text);
    }

    @Override
    public void closeVirtualConnection(StreamError error) {
        try {
            output.serverClosed(error == null ? null : error.getElement());
        } finally {
            onClosed.accept(this);
        }
    }

    @Override
    public void systemShutdown() {
        // Unlike stock Openfire (which relies on the link closing), end the session now, with the right condition.
        close(new StreamError(StreamError.Condition.system_shutdown));
    }

    @Override
    public byte[] getAddress() throws UnknownHostException {
        return IpLiterals.parse(client.hostAddress()).orElseThrow(() -> new UnknownHostException(
                "connection manager " + client.managerName() + " reported no IP address for " + client.streamId()));
    }

    @Override
    public String getHostAddress() throws UnknownHostException {
        String address = client.hostAddress();
        if (address == null || address.isBlank()) {
            throw new UnknownHostException("connection manager " + client.managerName()
                    + " reported no address for " + client.streamId());
        }
        return address.strip();
    }

    @Override
    public String getHostName() throws UnknownHostException {
        String name = client.hostName();
        return name == null || name.isBlank() ? getHostAddress() : name.strip();
    }

    @Override
    public Optional<String> getTLSProtocolName() {
        return Optional.empty();
    }

    @Override
    public Optional<String> getCipherSuiteName() {
        return Optional.empty();
    }

    /** The client listener's configuration, as for Openfire's own multiplexed clients (its policies apply to them). */
    @Override
    public ConnectionConfiguration getConfiguration() {
        ConnectionConfiguration current = configuration;
        if (current == null) {
            current = XMPPServer.getInstance().getConnectionManager()
                    .getListener(ConnectionType.SOCKET_C2S, false).generateConnectionConfiguration();
            configuration = current;
        }
        return current;
    }

    @Override
    public String toString() {
        return "routed client " + client.streamId() + " of " + client.managerName();
    }
}
