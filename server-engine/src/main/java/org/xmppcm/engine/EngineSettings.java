package org.xmppcm.engine;

import java.net.InetSocketAddress;

/**
 * How the engine listens for CM links.
 *
 * @param bindAddress where to listen; port 0 picks a free port (tests, demo)
 * @param maxStanzaBytes the largest element accepted on a link (a route carries a whole client stanza)
 */
public record EngineSettings(InetSocketAddress bindAddress, int maxStanzaBytes) {
    public static final int DEFAULT_PORT = 5262;

    public EngineSettings {
        if (maxStanzaBytes < 1024) {
            throw new IllegalArgumentException("maxStanzaBytes too small: " + maxStanzaBytes);
        }
    }
}
