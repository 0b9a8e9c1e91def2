package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmppcm.cm.client.StreamFeatures;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;

/** Verifies the STARTTLS and compression features a client is offered. */
class TlsAndCompressionFeaturesTest {
    private static final ClientConfiguration REQUIRED = new ClientConfiguration(TlsPolicy.REQUIRED,
            List.of("PLAIN", "EXTERNAL"), List.of("zlib"), true, true, Map.of());
    private static final ClientConfiguration OPTIONAL = new ClientConfiguration(TlsPolicy.OPTIONAL,
            List.of("PLAIN", "SCRAM-SHA-1-PLUS"), List.of("zlib"), true, true, Map.of());

    @Test
    void requiredTlsNotYetInPlaceOffersStartTlsAlone() {
        assertThat(StreamFeatures.beforeAuthentication(REQUIRED, true, true)).isEqualTo(
                "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>");
    }

    @Test
    void optionalTlsIsOfferedNextToTheMechanismsRegistrationAndIqAuth() {
        assertThat(StreamFeatures.beforeAuthentication(OPTIONAL, true, false))
                .startsWith("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><mechanisms ")
                .contains("<mechanism>PLAIN</mechanism>", "iq-auth", "iq-register")
                .doesNotContain("required", "-PLUS");
    }

    @Test
    void onceSecuredTheMechanismsAreOfferedWithoutStartTlsAndStillWithoutExternal() {
        assertThat(StreamFeatures.beforeAuthentication(REQUIRED, false, false))
                .contains("<mechanism>PLAIN</mechanism>").doesNotContain("starttls", "EXTERNAL");
    }

    @Test
    void compressionIsOfferedAfterAuthenticationOnlyWhenAsked() {
        assertThat(StreamFeatures.afterAuthentication(true)).isEqualTo("<stream:features>"
                + "<compression xmlns='http://jabber.org/features/compress'><method>zlib</method></compression>"
                + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
                + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session></stream:features>");
        assertThat(StreamFeatures.afterAuthentication(false)).doesNotContain("compression");
    }
}
