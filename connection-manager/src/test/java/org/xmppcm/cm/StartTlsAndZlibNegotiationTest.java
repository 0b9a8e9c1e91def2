package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Verifies STARTTLS between client and CM when the server pushes TLS REQUIRED and the CM has a
 * certificate: what is offered before and after TLS, how the CM answers a client that does not
 * start TLS first, and that streams, SASL and zlib work over it. Raw sockets, so every byte is
 * the test's choice.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartTlsAndZlibNegotiationTest {
    private static DemoMode demo;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoMode.start(0, s -> s.withClientSecurity(TestCertificates.keystoreWithDirectTls()),
                TestCertificates.pushed(TlsPolicy.REQUIRED));
    }

    @AfterAll
    static void stop() {
        demo.stop();
    }

    private static SteppedXmppPeer connect() throws Exception {
        return SteppedXmppPeer.connect(demo.connectionManager().clientPort());
    }

    private static void assertStreamError(SteppedXmppPeer peer, String condition) throws Exception {
        StanzaFrame error = peer.nextFrame();
        assertThat(error.is("error", Namespaces.STREAMS)).as(error.asString()).isTrue();
        assertThat(error.asString()).contains("<" + condition + " xmlns='" + Namespaces.STREAM_ERRORS + "'");
        assertThat(peer.awaitClose()).as("stream closed before the socket").isTrue();
    }

    @Test
    void beforeTlsTheFeaturesOfferOnlyStartTlsMarkedRequired() throws Exception {
        try (SteppedXmppPeer peer = connect()) {
            assertThat(peer.openStream().asString()).isEqualTo("<stream:features><starttls xmlns='"
                    + Namespaces.TLS + "'><required/></starttls></stream:features>");
        }
    }

    @Test
    void authenticationBeforeTlsGetsEncryptionRequiredAndTheClientCanStillStartTls() throws Exception {
        try (SteppedXmppPeer peer = connect()) {
            peer.openStream();
            peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>");
            StanzaFrame failure = peer.nextFrame();
            assertThat(failure.is("failure", Namespaces.SASL)).as(failure.asString()).isTrue();
            assertThat(failure.asString()).contains("<encryption-required/>");
            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            assertThat(peer.nextFrame().is("proceed", Namespaces.TLS)).isTrue();
            assertThat(peer.startTls(TestCertificates.trustingTestCertificate()).asString()).contains("<mechanisms");
        }
    }

    @Test
    void repeatedAuthenticationBeforeTlsEndsInPolicyViolation() throws Exception {
        try (SteppedXmppPeer peer = connect()) {
            peer.openStream();
            for (int i = 0; i < 3; i++) {
                peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>");
                assertThat(peer.nextFrame().asString()).contains("<encryption-required/>");
            }
            peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>");
            assertStreamError(peer, "policy-violation");
        }
    }

    @Test
    void aStanzaBeforeTlsGetsPolicyViolation() throws Exception {
        try (SteppedXmppPeer peer = connect()) {
            peer.openStream();
            peer.send("<iq type='get' id='r1'><query xmlns='jabber:iq:register'/></iq>");
            assertStreamError(peer, "policy-violation");
        }
    }

    @Test
    void afterStartTlsTheFeaturesOfferTheMechanismsExceptExternalAndPlusAndNoStartTls() throws Exception {
        try (SteppedXmppPeer peer = connect()) {
            peer.openStream();
            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            assertThat(peer.nextFrame().asString()).isEqualTo("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            String features = peer.startTls(TestCertificates.trustingTestCertificate()).asString();
            assertThat(features)
                    .contains("<mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms>")
                    .doesNotContain("starttls", "EXTERNAL", "-PLUS", "compression");
        }
    }

    @Test
    void aClientLogsInOverStartTlsAndIsOfferedZlibAfterAuthentication() throws Exception {
        try (SteppedXmppPeer peer = connect()) {
            peer.openStream();
            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            peer.nextFrame();
            peer.startTls(TestCertificates.trustingTestCertificate());
            peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>");
            assertThat(peer.nextFrame().localName()).isEqualTo("success");
            // The SASL restart, by hand this time, to see the features.
            StanzaFrame features = reopenAfterSuccess(peer);
            assertThat(features.asString()).startsWith("<stream:features><compression xmlns='"
                    + Namespaces.COMPRESS_FEATURE + "'><method>zlib</method></compression><bind ");
        }
    }

    @Test
    void compressWithAnUnknownMethodFailsAndTheStreamGoesOnUntilZlibIsAsked() throws Exception {
        try (SteppedXmppPeer peer = connect()) {
            peer.openStream();
            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            peer.nextFrame();
            peer.startTls(TestCertificates.trustingTestCertificate());
            peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>");
            peer.nextFrame();
            reopenAfterSuccess(peer);

            peer.send("<compress xmlns='http://jabber.org/protocol/compress'><method>lzw</method></compress>");
            assertThat(peer.nextFrame().asString()).isEqualTo("<failure xmlns='http://jabber.org/protocol/compress'>"
                    + "<unsupported-method/></failure>");

            peer.send("<compress xmlns='http://jabber.org/protocol/compress'><method>zlib</method></compress>");
            assertThat(peer.nextFrame().asString()).isEqualTo("<compressed xmlns='http://jabber.org/protocol/compress'/>");
            String features = peer.startCompression().asString();
            assertThat(features).contains("<bind ").doesNotContain("compression");
            peer.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>z</resource></bind></iq>");
            assertThat(peer.nextFrame().attribute("type")).isEqualTo("result");
            peer.send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
            StanzaFrame roster = peer.nextFrame();
            assertThat(roster.attribute("type")).isEqualTo("result");
            assertThat(roster.asString()).contains("bob@localhost");
        }
    }

    @Test
    void brokenCompressedDataEndsTheStreamWithProcessingFailed() throws Exception {
        try (SteppedXmppPeer peer = connect()) {
            peer.openStream();
            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            peer.nextFrame();
            peer.startTls(TestCertificates.trustingTestCertificate());
            peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>");
            peer.nextFrame();
            peer.restartStream();
            peer.send("<compress xmlns='http://jabber.org/protocol/compress'><method>zlib</method></compress>");
            peer.nextFrame();
            peer.startCompression();
            // Past the deflater, straight into TLS: not zlib data.
            peer.socket().getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, 0x00, 0x00, 0x12, 0x34});
            peer.socket().getOutputStream().flush();
            StanzaFrame error = peer.nextFrame();
            assertThat(error.asString()).contains("<undefined-condition xmlns='" + Namespaces.STREAM_ERRORS + "'/>")
                    .contains("<processing-failed xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'/>");
            assertThat(peer.awaitClose()).isTrue();
        }
    }

    @Test
    void compressBeforeAuthenticationIsNotOfferedAndFailsWithSetupFailed() throws Exception {
        try (SteppedXmppPeer peer = connect()) {
            peer.openStream();
            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            peer.nextFrame();
            peer.startTls(TestCertificates.trustingTestCertificate());
            peer.send("<compress xmlns='http://jabber.org/protocol/compress'><method>zlib</method></compress>");
            assertThat(peer.nextFrame().asString()).contains("<setup-failed/>");
            peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>");
            assertThat(peer.nextFrame().localName()).isEqualTo("success");
        }
    }

    @Test
    void aSecondStartTlsAfterTlsIsRefused() throws Exception {
        try (SteppedXmppPeer peer = connect()) {
            peer.openStream();
            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            peer.nextFrame();
            peer.startTls(TestCertificates.trustingTestCertificate());
            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            assertThat(peer.nextFrame().is("failure", Namespaces.TLS)).isTrue();
            assertThat(peer.awaitClose()).isTrue();
        }
    }

    @Test
    void theDirectTlsPortServesTheSameStreamWithoutStartTls() throws Exception {
        int port = demo.connectionManager().directTlsPort();
        assertThat(port).isPositive();
        try (SteppedXmppPeer peer = SteppedXmppPeer.connectTls(port, TestCertificates.trustingTestCertificate())) {
            String features = peer.openStream().asString();
            assertThat(features).contains("<mechanism>SCRAM-SHA-1</mechanism>").doesNotContain("starttls", "EXTERNAL");
            peer.login("alice", "alice", "direct");
        }
    }

    private static StanzaFrame reopenAfterSuccess(SteppedXmppPeer peer) throws Exception {
        return peer.restartStream();
    }
}
