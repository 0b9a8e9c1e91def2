package org.xmppcm.plugin.core;

import java.util.List;
import java.util.Set;

/**
 * Which Openfire property changes can change the configuration pushed to connection managers, so that only those
 * trigger a push. The keys are Openfire's client listener policies ({@code xmpp.client.tls.policy},
 * {@code xmpp.client.compression.policy}), SASL ({@code sasl.*}, and {@code xmpp.auth.*}, where anonymous login and
 * non-SASL authentication live), in-band registration ({@code register.*}) and the plugin's own pushed settings.
 * Secrets never are: a changed secret takes effect at the next handshake and changes nothing already pushed.
 */
public final class WatchedProperties {
    private static final Set<String> OPENFIRE_KEYS = Set.of("xmpp.client.tls.policy", "xmpp.client.compression.policy");
    private static final List<String> OPENFIRE_PREFIXES = List.of("sasl.", "xmpp.auth.", "register.");

    /**
     * Openfire's own connection-manager listeners (the built-in one the plugin must not clash with) and where the
     * plugin binds: a change may let a listener that could not start start now.
     */
    private static final Set<String> LISTENER_KEYS = Set.of("xmpp.multiplex.socket.active", "xmpp.multiplex.socket.port",
            "xmpp.multiplex.ssl.active", "xmpp.multiplex.ssl.port", PropertyKeys.BIND_ADDRESS);

    private final Set<String> pluginKeys;

    /** @param pluginKeys the plugin's properties whose values are pushed (tuning) */
    public WatchedProperties(Set<String> pluginKeys) {
        this.pluginKeys = Set.copyOf(pluginKeys);
    }

    /** Whether a change of {@code key} can decide whether, or where, the plugin's listener can run. */
    public boolean affectsListener(String key) {
        return key != null && LISTENER_KEYS.contains(key);
    }

    public boolean affectsClientConfiguration(String key) {
        if (key == null) {
            return false;
        }
        if (pluginKeys.contains(key) || OPENFIRE_KEYS.contains(key)) {
            return true;
        }
        for (String prefix : OPENFIRE_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
