package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;

class ClientConfigurationsTest {

    /** Verifies that the settings of the stock Openfire in the transcripts map to what a manager can use. */
    @Test
    void mapsTheTranscriptServersSettings() {
        // Setup test fixture: 01-link-setup.txt (TLS optional, zlib, registration, no iq-auth).
        final ClientSettings settings = new ClientSettings("optional", "optional",
                List.of("PLAIN", "SCRAM-SHA-1", "EXTERNAL", "SCRAM-SHA-1-PLUS"), false, true,
                Map.of("link.grace.seconds", 30));

        // Execute system under test.
        final ClientConfiguration configuration = ClientConfigurations.from(settings);

        // Verify results.
        assertThat(configuration.tls()).isEqualTo(TlsPolicy.OPTIONAL);
        assertThat(configuration.mechanisms()).containsExactly("SCRAM-SHA-1", "PLAIN");
        assertThat(configuration.compressionMethods()).containsExactly("zlib");
        assertThat(configuration.iqAuth()).isFalse();
        assertThat(configuration.register()).isTrue();
        assertThat(configuration.tuning()).isEqualTo(Map.of("link.grace.seconds", "30"));
    }

    /** Verifies that each TLS policy Openfire names maps, and that unknown ones never weaken to optional. */
    @Test
    void tlsPoliciesMapAndUnknownOnesRequireTls() {
        assertThat(ClientConfigurations.tlsPolicy("required")).isEqualTo(TlsPolicy.REQUIRED);
        assertThat(ClientConfigurations.tlsPolicy("optional")).isEqualTo(TlsPolicy.OPTIONAL);
        assertThat(ClientConfigurations.tlsPolicy("disabled")).isEqualTo(TlsPolicy.DISABLED);
        assertThat(ClientConfigurations.tlsPolicy("directTLS")).isEqualTo(TlsPolicy.REQUIRED);
        assertThat(ClientConfigurations.tlsPolicy("legacyMode")).isEqualTo(TlsPolicy.REQUIRED);
        assertThat(ClientConfigurations.tlsPolicy(null)).isEqualTo(TlsPolicy.REQUIRED);
    }

    /** Verifies that compression is offered only when Openfire's policy is optional. */
    @Test
    void compressionOnlyWhenOptional() {
        assertThat(ClientConfigurations.from(settings("disabled")).compressionMethods()).isEmpty();
        assertThat(ClientConfigurations.from(settings(null)).compressionMethods()).isEmpty();
        assertThat(ClientConfigurations.from(settings("optional")).compressionMethods()).containsExactly("zlib");
    }

    /**
     * Verifies that mechanisms a client cannot complete through a manager (channel binding, client certificates)
     * are left out, and that the rest are normalised, de-duplicated and ordered strongest first.
     */
    @Test
    void mechanismsAreFilteredNormalisedAndOrdered() {
        // Execute system under test.
        final List<String> mechanisms = ClientConfigurations.routableMechanisms(List.of("plain", "ANONYMOUS",
                "SCRAM-SHA-1", "SCRAM-SHA-256-PLUS", "EXTERNAL", "scram-sha-256", "JIVE-SHAREDSECRET", "PLAIN", " ",
                "SCRAM-SHA-512", "DIGEST-MD5", "external"));

        // Verify results.
        assertThat(mechanisms).containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "DIGEST-MD5",
                "JIVE-SHAREDSECRET", "PLAIN", "ANONYMOUS");
    }

    /** Verifies that no mechanism at all gives an empty list rather than failing. */
    @Test
    void noMechanismsIsAnEmptyList() {
        assertThat(ClientConfigurations.from(new ClientSettings("optional", "disabled", null, false, false, Map.of()))
                .mechanisms()).isEmpty();
    }

    /** Verifies that the grace period is pushed as whole seconds under the key the connection manager reads. */
    @Test
    void tuningValuesArePushedAsDecimalText() {
        assertThat(ClientConfigurations.from(new ClientSettings("disabled", "disabled", List.of(), true, false,
                Map.of("link.grace.seconds", 0, "client.max", 25_000))).tuning())
                .containsExactlyInAnyOrderEntriesOf(Map.of("link.grace.seconds", "0", "client.max", "25000"));
    }

    private static ClientSettings settings(String compression) {
        return new ClientSettings("optional", compression, List.of("PLAIN"), false, false, Map.of("link.grace.seconds", 30));
    }
}
