package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmppcm.cm.limits.ClientLimitTuning;
import org.xmppcm.protocol.cm.TuningParameter;

/** Verifies how the CM reads its settings file and lets environment variables override it. */
class SettingsLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFileAndLetsTheEnvironmentOverrideIt() throws Exception {
        Path file = dir.resolve("cm.properties");
        Files.writeString(file, """
                server.host=10.0.0.5
                server.port=5263
                manager.name=edge1
                manager.secret=from-file
                xmpp.domain=example.org
                """);
        CmSettings settings = SettingsLoader.load(file, Map.of("XMPPCM_MANAGER_SECRET", "from-env"), -1);
        assertThat(settings.serverAddress().getHostString()).isEqualTo("10.0.0.5");
        assertThat(settings.serverAddress().getPort()).isEqualTo(5263);
        assertThat(settings.managerName()).isEqualTo("edge1");
        assertThat(settings.secret()).isEqualTo("from-env");
        assertThat(settings.clientAddress().getPort()).isEqualTo(5222);
        assertThat(settings.maxStanzaBytes()).isEqualTo(CmSettings.DEFAULT_MAX_STANZA_BYTES);
    }

    @Test
    void readsTheClientAuthenticationTimeout() throws Exception {
        Path file = dir.resolve("cm.properties");
        Files.writeString(file, "manager.name=edge1\nmanager.secret=s\nxmpp.domain=example.org\n"
                + "client.auth.timeout.seconds=20\n");
        assertThat(SettingsLoader.load(file, Map.of(), -1).limits().authTimeout()).hasSeconds(20);
        assertThatThrownBy(() -> SettingsLoader.load(file, Map.of("XMPPCM_CLIENT_AUTH_TIMEOUT_SECONDS", "0"), -1))
                .hasMessage("client.auth.timeout.seconds=0: not a whole number of seconds from 5 to 3600");
    }

    @Test
    void readsWhatTheServerMayPushUnderTheSameNameAndInTheSameRange() throws Exception {
        Path file = dir.resolve("cm.properties");
        StringBuilder lines = new StringBuilder("manager.name=edge1\nmanager.secret=s\nxmpp.domain=example.org\n");
        for (TuningParameter parameter : TuningParameter.values()) {
            lines.append(parameter.wireName()).append('=').append(parameter.max()).append('\n');
        }
        Files.writeString(file, lines);

        CmSettings settings = SettingsLoader.load(file, Map.of(), -1);
        assertThat(settings.links().gracePeriod()).hasSeconds(TuningParameter.GRACE_SECONDS.max());
        for (TuningParameter parameter : ClientLimitTuning.parameters()) {
            assertThat(ClientLimitTuning.read(settings.limits(), parameter)).as(parameter.wireName())
                    .isEqualTo(parameter.max());
        }
        assertThatThrownBy(() -> SettingsLoader.load(file, Map.of("XMPPCM_LINK_GRACE_SECONDS", "3601"), -1))
                .hasMessage("link.grace.seconds=3601: not a whole number of seconds from 0 to 3600");
        assertThatThrownBy(() -> SettingsLoader.load(file, Map.of("XMPPCM_CLIENT_MAX", "1e6"), -1))
                .hasMessageContaining("client.max=1e6");
    }

    @Test
    void refusesToStartWithoutASecret() throws Exception {
        Path file = dir.resolve("cm.properties");
        Files.writeString(file, "manager.name=edge1\nxmpp.domain=example.org\n");
        assertThatThrownBy(() -> SettingsLoader.load(file, Map.of(), -1))
                .hasMessageContaining("secret is required");
    }

    @Test
    void namesAMissingSettingsFile() {
        assertThatThrownBy(() -> SettingsLoader.load(dir.resolve("nope.properties"), Map.of(), -1))
                .hasMessageContaining("no such settings file");
    }
}
