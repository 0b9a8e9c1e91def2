package org.xmppcm.plugin.admin;

import java.util.Map;
import java.util.Optional;
import org.xmppcm.protocol.cm.TlsPolicy;

/**
 * One validated change from the settings page. Each kind of change is a form of its own, so one change touches one
 * group of settings.
 */
public sealed interface SettingsChange {
    /**
     * The listener: its port, what new links are offered, and the tuning values pushed over them.
     *
     * @param tuning every tuning parameter by name: a value, or empty to unset it (the default applies again)
     */
    record ListenerAndTuning(int port, TlsPolicy linkTls, boolean linkCompression,
                             Map<String, Optional<Integer>> tuning) implements SettingsChange {
        public ListenerAndTuning {
            tuning = Map.copyOf(tuning);
        }
    }

    /** @param secret the new default secret, or null to remove it */
    record DefaultSecret(String secret) implements SettingsChange {
    }

    /**
     * @param manager the manager's name, lower-cased
     * @param secret its new secret, or null to remove it (it then uses the default secret)
     */
    record ManagerSecret(String manager, String secret) implements SettingsChange {
    }
}
