package org.xmppcm.engine;

import java.time.Instant;

/**
 * A read-only snapshot of one client session a manager carries, for admin pages.
 *
 * @param streamId the stream id the manager gave the client
 * @param hostAddress the client's IP address as the manager reported it, or null
 * @param link the link our traffic to the client goes out on now ({@code cm1/conn2}), or null while the manager has
 *        none (the grace period)
 * @param since when the manager announced the client
 */
public record ConnectedClient(String streamId, String hostAddress, String link, Instant since) {
}
