package org.xmppcm.plugin.openfire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.dom4j.Element;
import org.jivesoftware.util.JiveGlobals;
import org.junit.jupiter.api.Test;
import org.xmppcm.plugin.admin.ConsoleSettings;
import org.xmppcm.plugin.admin.SettingsChange;
import org.xmppcm.plugin.core.ManagerSecrets;
import org.xmppcm.plugin.openfire.standin.StandIn;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.cm.TuningParameter;
import org.xmppcm.engine.testing.CmTestClient;

/** Changes made through the admin console's backend take effect on the running plugin, without a reload. */
class LiveSettingsTest {
    @Test
    void aNewPortRebindsTheListener() throws Exception {
        try (PluginHarness harness = PluginHarness.load()) {
            int newPort = PluginHarness.freePort();
            harness.backend().apply(new SettingsChange.ListenerAndTuning(newPort, TlsPolicy.DISABLED, true, Map.of()));

            assertThat(JiveGlobals.getProperty(ConnectionManagerProperties.PORT.getKey()))
                    .isEqualTo(Integer.toString(newPort));
            assertThat(harness.plugin.listenerStatus().port()).isEqualTo(newPort);
            assertThat(harness.plugin.listenerStatus().listening()).isTrue();
            assertThat(PluginHarness.accepts(harness.port)).isFalse();
            try (CmTestClient link = CmLinks.authenticated(newPort, PluginHarness.DOMAIN, PluginHarness.SECRET)) {
                assertThat(harness.plugin.managers()).hasSize(1);
            }
            harness.destroy();
            assertThat(PluginHarness.accepts(newPort)).isFalse();
        }
    }

    @Test
    void aTuningChangeIsPushedToAConnectedManagerWithinASecond() throws Exception {
        try (PluginHarness harness = PluginHarness.load();
             CmTestClient link = CmLinks.authenticated(harness.port, PluginHarness.DOMAIN, PluginHarness.SECRET)) {
            long start = System.nanoTime();
            harness.backend().apply(new SettingsChange.ListenerAndTuning(harness.port, TlsPolicy.DISABLED, true,
                    Map.of(TuningParameter.CLIENT_MAX.wireName(), Optional.of(4321))));

            assertThat(link.heardWithin(Duration.ofSeconds(1))).isTrue();
            Element push = link.next();
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(push.getName()).isEqualTo("iq");
            assertThat(push.asXML()).contains(TuningParameter.CLIENT_MAX.wireName()).contains("4321");
            assertThat(elapsedMillis).isLessThan(1000);
            CmLinks.ackConfiguration(link, push);
            // Same listener: the port did not change, so nothing was rebound.
            assertThat(harness.plugin.managers()).hasSize(1);
            assertThat(harness.backend().settings().tuning(TuningParameter.CLIENT_MAX.wireName())).contains(4321);
        }
    }

    @Test
    void secretsAreStoredEncryptedAndListedWithoutTheirValues() throws Exception {
        try (PluginHarness harness = PluginHarness.load()) {
            OpenfireConsoleBackend backend = harness.backend();
            backend.apply(new SettingsChange.DefaultSecret("new-default-secret"));
            backend.apply(new SettingsChange.ManagerSecret("cm-one", "own-secret-of-cm-one"));

            String defaultKey = ConnectionManagerProperties.DEFAULT_SECRET.getKey();
            String ownKey = ManagerSecrets.PER_MANAGER_PREFIX + "cm-one";
            assertThat(JiveGlobals.getProperty(defaultKey)).isEqualTo("new-default-secret");
            assertThat(JiveGlobals.getProperty(ownKey)).isEqualTo("own-secret-of-cm-one");
            assertThat(StandIn.encryptedKeys()).contains(defaultKey, ownKey);

            ConsoleSettings settings = backend.settings();
            assertThat(settings.defaultSecretSet()).isTrue();
            assertThat(settings.managersWithOwnSecret()).containsExactly("cm-one");
            assertThat(settings.toString()).doesNotContain("new-default-secret").doesNotContain("own-secret-of-cm-one");

            // Secrets are read at each handshake: the new default secret works at once, without a reload.
            try (CmTestClient link = CmLinks.authenticated(harness.port, PluginHarness.DOMAIN, "new-default-secret")) {
                assertThat(harness.plugin.managers()).hasSize(1);
            }

            backend.apply(new SettingsChange.ManagerSecret("cm-one", null));
            assertThat(JiveGlobals.getProperty(ownKey)).isNull();
            assertThat(backend.settings().managersWithOwnSecret()).isEmpty();
        }
    }
}
