package org.xmppcm.plugin.openfire;

import static org.assertj.core.api.Assertions.assertThat;

import org.jivesoftware.openfire.Connection;
import org.jivesoftware.openfire.spi.ConnectionType;
import org.junit.jupiter.api.Test;
import org.xmppcm.plugin.openfire.standin.StandIn;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;

/** {@link OpenfireClientSettings}: the configuration pushed to managers follows Openfire's own client settings. */
class ClientSettingsPushTest {
    @Test
    void thePushedConfigurationFollowsOpenfiresClientListenerAndHandlers() throws Exception {
        try (PluginHarness harness = PluginHarness.load(() -> {
            StandIn.setListener(ConnectionType.SOCKET_C2S, false, true, 5222, Connection.TLSPolicy.disabled,
                    Connection.CompressionPolicy.disabled);
            StandIn.saslMechanisms().add("SCRAM-SHA-1");
            StandIn.iqNamespaces().add("jabber:iq:auth");
            StandIn.setInbandRegistration(true);
        })) {
            ClientConfiguration pushed = harness.backend().pushedConfiguration();
            assertThat(pushed.tls()).isEqualTo(TlsPolicy.DISABLED);
            assertThat(pushed.mechanisms()).containsExactlyInAnyOrder("PLAIN", "SCRAM-SHA-1");
            assertThat(pushed.compressionMethods()).isEmpty();
            assertThat(pushed.iqAuth()).isTrue();
            assertThat(pushed.register()).isTrue();
        }
    }

    @Test
    void defaultsGiveOptionalTlsAndZlibWithoutIqAuthOrRegistration() throws Exception {
        try (PluginHarness harness = PluginHarness.load()) {
            ClientConfiguration pushed = harness.backend().pushedConfiguration();
            assertThat(pushed.tls()).isEqualTo(TlsPolicy.OPTIONAL);
            assertThat(pushed.compressionMethods()).containsExactly("zlib");
            assertThat(pushed.iqAuth()).isFalse();
            assertThat(pushed.register()).isFalse();
        }
    }
}
