package org.xmppcm.engine;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How the engine listens for CM links.
 *
 * @param bindAddress where to listen; port 0 picks a free port (tests, demo)
 * @param maxStanzaBytes the largest element accepted on a link (a route carries a whole client stanza)
 * @param linkSecurity what each new link is offered (TLS, compression); asked once per link, so it may change
 */
public record EngineSettings(InetSocketAddress bindAddress, int maxStanzaBytes, Supplier<LinkSecurity> linkSecurity) {
    public static final int DEFAULT_PORT = 5262;

    public EngineSettings {
        if (maxStanzaBytes < 1024) {
            throw new IllegalArgumentException("maxStanzaBytes too small: " + maxStanzaBytes);
        }
        Objects.requireNonNull(linkSecurity, "linkSecurity");
    }

    /** Links without TLS or compression. */
    public EngineSettings(InetSocketAddress bindAddress, int maxStanzaBytes) {
        this(bindAddress, maxStanzaBytes, () -> LinkSecurity.NONE);
    }
}
