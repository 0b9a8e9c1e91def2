package org.xmppcm.cm.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;

/** Verifies the features a client is offered for a pushed configuration. */
class StreamFeaturesTest {
    /** Stock Openfire's pushed configuration, 01-link-setup.txt. */
    private static final ClientConfiguration STOCK = new ClientConfiguration(TlsPolicy.OPTIONAL,
            List.of("PLAIN", "SCRAM-SHA-1", "EXTERNAL", "SCRAM-SHA-1-PLUS"), List.of("zlib"), false, true, Map.of());

    @Test
    void offersOnlyMechanismsThatWorkWithoutTlsBetweenClientAndCm() {
        String features = StreamFeatures.beforeAuthentication(STOCK);
        assertThat(features).contains("<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms>")
                .doesNotContain("EXTERNAL", "-PLUS");
    }

    @Test
    void offersRegistrationAndIqAuthOnlyWhenPushed() {
        assertThat(StreamFeatures.beforeAuthentication(STOCK))
                .contains("<register xmlns='http://jabber.org/features/iq-register'/>")
                .doesNotContain("iq-auth");
        ClientConfiguration iqAuthOnly = new ClientConfiguration(TlsPolicy.DISABLED, List.of(), List.of(), true, false, Map.of());
        assertThat(StreamFeatures.beforeAuthentication(iqAuthOnly))
                .isEqualTo("<stream:features><auth xmlns='http://jabber.org/features/iq-auth'/></stream:features>");
    }

    @Test
    void offersBindAndAnOptionalSessionAfterAuthentication() {
        assertThat(StreamFeatures.afterAuthentication())
                .contains("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>")
                .contains("<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>");
    }

    @Test
    void refusesMechanismNamesThatWouldInjectMarkup() {
        ClientConfiguration hostile = new ClientConfiguration(TlsPolicy.DISABLED,
                List.of("PLAIN</mechanism><x/>"), List.of(), false, false, Map.of());
        assertThat(StreamFeatures.beforeAuthentication(hostile)).doesNotContain("<x/>");
    }
}
