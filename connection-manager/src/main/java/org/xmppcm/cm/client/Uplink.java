package org.xmppcm.cm.client;

import java.net.SocketAddress;
import org.xmppcm.protocol.cm.ClientConfiguration;

/**
 * How a client stream reaches the server: whichever link it is pinned to, or a bounded hold
 * buffer while no link is up (the grace period). Client streams never see links themselves.
 */
public interface Uplink {
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

    /**
     * After a route: when the link it went on has more unsent than it should hold (the server reads slowly, or pauses
     * reading while it catches up), stops reading {@code client} until that link has drained. The CM's memory stays
     * bounded and TCP slows the client down; nothing is dropped.
     */
    void slowDownIfCongested(String streamId, org.apache.mina.core.session.IoSession client);

    void closeSession(String streamId);
}
