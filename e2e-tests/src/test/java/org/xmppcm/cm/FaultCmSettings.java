package org.xmppcm.cm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Test-scope bridge to the CM's own settings loader (package-private), for the fault suite: the in-process CM is
 * configured from exactly the properties a CM process would read from its file, so the two cannot drift apart and a
 * new link setting (such as a liveness timeout) reaches both as soon as {@link SettingsLoader} knows its key.
 */
public final class FaultCmSettings {
    private FaultCmSettings() {
    }

    /** Settings as {@code connection-manager --config FILE} would load them, without environment overrides. */
    public static CmSettings fromProperties(Properties properties) throws IOException {
        Path file = Files.createTempFile("fault-cm-", ".properties");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                properties.store(out, "fault suite");
            }
            return SettingsLoader.load(file, Map.of(), -1);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
