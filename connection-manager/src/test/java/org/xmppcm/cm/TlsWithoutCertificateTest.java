package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.xml.StanzaFrame;

/** Verifies what clients get when the server wants TLS but this CM has no certificate. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsWithoutCertificateTest {
    @Test
    void tlsRequiredWithoutACertificateRefusesEveryClientWithPolicyViolation() throws Exception {
        DemoMode demo = DemoMode.start(0, UnaryOperator.identity(), TestCertificates.pushed(TlsPolicy.REQUIRED));
        try (SteppedXmppPeer first = SteppedXmppPeer.connect(demo.connectionManager().clientPort());
             SteppedXmppPeer second = SteppedXmppPeer.connect(demo.connectionManager().clientPort())) {
            for (SteppedXmppPeer peer : new SteppedXmppPeer[] {first, second}) {
                StanzaFrame error = peer.openStream();
                assertThat(error.is("error", Namespaces.STREAMS)).as(error.asString()).isTrue();
                assertThat(error.asString()).contains("<policy-violation ");
                assertThat(peer.awaitClose()).isTrue();
            }
            assertThat(demo.connectionManager().directTlsPort()).isEqualTo(-1);
        } finally {
            demo.stop();
        }
    }

    @Test
    void tlsOptionalWithoutACertificateGivesPlainStreamsWithoutStartTls() throws Exception {
        DemoMode demo = DemoMode.start(0, UnaryOperator.identity(), TestCertificates.pushed(TlsPolicy.OPTIONAL));
        try (SteppedXmppPeer peer = SteppedXmppPeer.connect(demo.connectionManager().clientPort())) {
            assertThat(peer.openStream().asString()).doesNotContain("starttls").contains("<mechanism>PLAIN</mechanism>");
            peer.login("bob", "bob", "plain");
        } finally {
            demo.stop();
        }
    }
}
