package org.xmppcm.cm;

import java.net.SocketAddress;
import org.xmppcm.protocol.cm.ClientConfiguration;

/**
 * How a client stream reaches the server: whichever link it is pinned to, or a bounded hold
 * buffer while no link is up (the grace period). Client streams never see links themselves.
 */
interface Uplink {
    /** True when a new client can be served now: a link is ready. */
    boolean acceptsNewClients();

    /** The client configuration the server pushed last; null before any link was ready. */
    ClientConfiguration configuration();

    void createSession(String streamId, SocketAddress clientAddress);

    /**
     * Sends one routed stanza for {@code streamId}, or holds it while the links are down.
     *
     * @return false when it can be neither sent nor held (hold buffer full, or no grace period):
     *         the client must be closed
     */
    boolean route(String streamId, byte[] route);

    void closeSession(String streamId);
}
