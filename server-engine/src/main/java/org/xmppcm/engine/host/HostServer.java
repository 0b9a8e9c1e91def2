package org.xmppcm.engine.host;

import java.util.Optional;
import org.xmppcm.protocol.cm.ClientConfiguration;

/**
 * The XMPP server behind the engine: everything the engine needs from it, and nothing more.
 * Openfire implements it in {@code plugin/}; the demo server in the {@code demo-server} module.
 * Implementations must be thread-safe: calls come from the engine's I/O threads.
 */
public interface HostServer {
    /** The XMPP domain clients log in to, e.g. {@code example.test}. */
    String domain();

    /** The client feature configuration pushed to every CM after its handshake. */
    ClientConfiguration clientConfiguration();

    /**
     * The shared secret a CM named {@code managerName} (the part of the link's {@code to} before
     * the '/') must prove in its handshake; empty when that manager may not connect.
     */
    Optional<String> managerSecret(String managerName);

    /**
     * A CM opened a client stream ({@code <session><create/>}). The returned session receives the
     * client's stanzas; {@code channel} sends stanzas to the client and ends it.
     */
    HostSession openSession(ClientDescriptor client, ClientChannel channel);

    /**
     * How long a manager's sessions are kept when its last link drops without a shutdown: stanzas
     * for them are held (bounded) and delivered in order if a link of the manager authenticates in
     * time; otherwise the held messages come back through {@link HostSession#deliveryFailed} and
     * the sessions end. Zero (the default) ends them at once. Push the same value to CMs as tuning
     * {@code link.grace.seconds}, so both ends wait equally long.
     */
    default java.time.Duration sessionGracePeriod() {
        return java.time.Duration.ZERO;
    }

    /**
     * How long an authenticated CM link may send nothing before it counts as lost and its sessions wait for the
     * manager to take it over (a half-open TCP connection, a frozen CM). A CM sends a keepalive or an
     * acknowledgement request at least every 30 s by default, so this should be well above that. Asked for each
     * new link.
     */
    default java.time.Duration linkIdleTimeout() {
        return java.time.Duration.ofSeconds(90);
    }

    /**
     * The CM reported {@code stanza} undeliverable ({@code <failed>}) for a session that had already ended (its close
     * crossed the report, as when a CM stops): the host stores a message for later delivery where it can. Nothing by
     * default.
     */
    default void deliveryFailedAfterSessionEnd(org.dom4j.Element stanza) {
    }
}
