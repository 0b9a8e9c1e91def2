package org.xmppcm.plugin.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xmppcm.protocol.cm.TlsPolicy;

/**
 * The stored settings as the settings page shows them.
 *
 * @param port the listener's port
 * @param defaultSecretSet whether a default secret is set (its value is never shown)
 * @param managersWithOwnSecret the names of managers that have a secret of their own, sorted
 * @param tuning the tuning values an administrator set, by parameter name; a parameter missing here uses its default
 * @param linkTls STARTTLS on manager links
 * @param linkCompression whether zlib is offered on manager links
 */
public record ConsoleSettings(int port, boolean defaultSecretSet, List<String> managersWithOwnSecret,
                              Map<String, Integer> tuning, TlsPolicy linkTls, boolean linkCompression) {
    public ConsoleSettings {
        managersWithOwnSecret = List.copyOf(managersWithOwnSecret);
        tuning = Map.copyOf(tuning);
    }

    public Optional<Integer> tuning(String name) {
        return Optional.ofNullable(tuning.get(name));
    }
}
