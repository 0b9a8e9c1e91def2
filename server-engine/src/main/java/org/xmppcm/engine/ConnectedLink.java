package org.xmppcm.engine;

import java.time.Instant;

/**
 * A read-only snapshot of one authenticated CM link.
 *
 * @param connection the link's full name as the CM sent it in {@code to}, e.g. {@code cmtest/conn1}
 * @param remoteAddress the CM's socket address as text
 * @param connectedSince when the TCP connection was accepted
 * @param routedSessions sessions whose traffic to the CM currently goes out on this link
 * @param secured whether TLS protects the link
 * @param compressed whether the link is zlib-compressed
 * @param traffic what the link has carried so far
 * @param inputPaused whether the link is not being read now, because the host or the engine is catching up
 */
public record ConnectedLink(String connection, String remoteAddress, Instant connectedSince, int routedSessions,
                            boolean secured, boolean compressed, LinkTraffic traffic, boolean inputPaused) {
    /** A link whose reads are not paused. */
    public ConnectedLink(String connection, String remoteAddress, Instant connectedSince, int routedSessions,
                         boolean secured, boolean compressed, LinkTraffic traffic) {
        this(connection, remoteAddress, connectedSince, routedSessions, secured, compressed, traffic, false);
    }

    /** A link without TLS or compression that has carried nothing yet. */
    public ConnectedLink(String connection, String remoteAddress, Instant connectedSince, int routedSessions) {
        this(connection, remoteAddress, connectedSince, routedSessions, false, false, LinkTraffic.NONE);
    }
}
