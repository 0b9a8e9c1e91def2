package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.transport.testing.TestTls;
import org.xmppcm.engine.testing.CmTestClient;

/**
 * STARTTLS (RFC 6120 5) and zlib (XEP-0138) on CM links: what the features offer per
 * {@link LinkSecurity}, the stream restarts with their new stream ids, and the refusals.
 */
class LinkSecurityTest extends EngineTestBase {
    private static final String COMPRESS_ZLIB = "<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL
            + "'><method>zlib</method></compress>";

    /** Read by the engine once per new link, so a test may change it between links. */
    private volatile Supplier<LinkSecurity> security = () -> LinkSecurity.NONE;

    @Override
    ConnectionManagerListener newEngine() {
        return new ConnectionManagerListener(new EngineSettings(new InetSocketAddress("127.0.0.1", 0), MAX_STANZA,
                () -> security.get()), host);
    }

    private void offer(TlsPolicy tls, boolean compression) {
        LinkSecurity offered = new LinkSecurity(tls == TlsPolicy.DISABLED ? null : TestTls.serverContext(), tls, compression);
        security = () -> offered;
    }

    /** {@code <compress>} zlib, {@code <compressed/>} back, and zlib on from the next byte. */
    private static void compress(CmTestClient link) throws IOException {
        link.send(COMPRESS_ZLIB);
        assertThat(link.next().getQName()).isEqualTo(QName.get("compressed", Namespaces.COMPRESS_PROTOCOL));
        link.startCompression();
    }

    /** {@code <starttls/>}, {@code <proceed/>} back, and the TLS handshake with the test certificate. */
    private static void startTls(CmTestClient link) throws IOException {
        link.send("<starttls xmlns='" + Namespaces.TLS + "'/>");
        assertThat(link.next().getQName()).isEqualTo(QName.get("proceed", Namespaces.TLS));
        link.startTls(TestTls.clientContext());
    }

    private static Element startTls(Element features) {
        return features.element(QName.get("starttls", Namespaces.TLS));
    }

    private static Element compression(Element features) {
        return features.element(QName.get("compression", Namespaces.COMPRESS_FEATURE));
    }

    @Test
    void nothingIsOfferedWithoutTlsOrCompression() throws Exception {
        CmTestClient link = connect();
        link.open(CONN1);
        assertThat(link.featuresBesidesAcks()).isEmpty();
    }

    @Test
    void optionalTlsIsOfferedWithoutRequiredAndZlibBesideIt() throws Exception {
        offer(TlsPolicy.OPTIONAL, true);
        CmTestClient link = connect();
        link.open(CONN1);
        assertThat(startTls(link.features())).isNotNull();
        assertThat(startTls(link.features()).elements()).isEmpty();
        assertThat(compression(link.features()).elementText("method")).isEqualTo("zlib");
    }

    @Test
    void requiredTlsIsOfferedWithRequiredAndZlibOnlyInsideTls() throws Exception {
        offer(TlsPolicy.REQUIRED, true);
        CmTestClient link = connect();
        link.open(CONN1);
        assertThat(startTls(link.features()).element("required")).isNotNull();
        assertThat(compression(link.features())).as("no compression in clear when TLS is required").isNull();
    }

    @Test
    void compressionAloneIsOfferedWithoutStartTls() throws Exception {
        offer(TlsPolicy.DISABLED, true);
        CmTestClient link = connect();
        link.open(CONN1);
        assertThat(startTls(link.features())).isNull();
        assertThat(compression(link.features()).elementText("method")).isEqualTo("zlib");
    }

    @Test
    void eachLinkGetsTheSecuritySettingsOfTheMomentItConnects() throws Exception {
        CmTestClient plain = connect();
        plain.open(CONN1);
        offer(TlsPolicy.OPTIONAL, false);
        CmTestClient offered = connect();
        offered.open(CONN2);
        assertThat(plain.featuresBesidesAcks()).isEmpty();
        assertThat(startTls(offered.features())).isNotNull();
    }

    @Test
    void aLinkThatStartsTlsGetsANewStreamIdAuthenticatesWithItAndCarriesTraffic() throws Exception {
        offer(TlsPolicy.REQUIRED, false);
        CmTestClient link = connect();
        String plainId = link.open(CONN1).attribute("id");
        startTls(link);
        String secureId = link.open(CONN1).attribute("id");
        assertThat(secureId).isNotEqualTo(plainId).matches("[0-9a-z]{10}");
        assertThat(link.featuresBesidesAcks()).as("nothing left to offer").isEmpty();

        link.handshake(FakeHost.SECRET); // the digest over the id of the TLS stream
        FakeSession session = createSession(link, "a11ce0t1");
        session.channel.deliver(RouteTest.message("over TLS"));
        assertThat(link.next().getName()).isEqualTo("route");
        assertLink(true, false);
    }

    @Test
    void requiredTlsRefusesAHandshakeInClearWithPolicyViolation() throws Exception {
        offer(TlsPolicy.REQUIRED, true);
        CmTestClient link = connect();
        link.open(CONN1);
        link.send("<handshake>" + org.xmppcm.protocol.cm.Handshake.digest(link.streamId(), FakeHost.SECRET)
                + "</handshake>");
        link.expectStreamErrorAndClose("policy-violation");
        assertThat(engine.managers()).isEmpty();
    }

    @Test
    void optionalTlsLetsAHandshakeInClearThrough() throws Exception {
        offer(TlsPolicy.OPTIONAL, true);
        CmTestClient link = connect();
        link.authenticate(CONN1, FakeHost.SECRET);
        assertLinkAnswers(link);
        assertLink(false, false);
    }

    @Test
    void aCompressedLinkAuthenticatesWithTheNewStreamIdAndCarriesTraffic() throws Exception {
        offer(TlsPolicy.DISABLED, true);
        CmTestClient link = connect();
        String plainId = link.open(CONN1).attribute("id");
        compress(link);
        assertThat(link.open(CONN1).attribute("id")).isNotEqualTo(plainId);
        assertThat(link.featuresBesidesAcks()).isEmpty();
        link.handshake(FakeHost.SECRET);
        FakeSession session = createSession(link, "a11ce0z1");
        session.channel.deliver(RouteTest.message("compressed " + "x".repeat(5000)));
        assertThat(link.next().getName()).isEqualTo("route");
        assertLink(false, true);
    }

    @Test
    void tlsThenZlibInsideItThenTheHandshake() throws Exception {
        offer(TlsPolicy.REQUIRED, true);
        CmTestClient link = connect();
        link.open(CONN1);
        startTls(link);
        link.open(CONN1);
        assertThat(startTls(link.features())).isNull();
        assertThat(compression(link.features())).as("zlib, now inside TLS").isNotNull();

        compress(link);
        String id = link.open(CONN1).attribute("id");
        assertThat(link.featuresBesidesAcks()).isEmpty();
        link.handshake(FakeHost.SECRET);
        assertThat(link.streamId()).isEqualTo(id);
        assertLinkAnswers(link);
        assertLink(true, true);
    }

    @Test
    void anUnknownCompressionMethodIsRefusedAndTheStreamGoesOn() throws Exception {
        offer(TlsPolicy.DISABLED, true);
        CmTestClient link = connect();
        link.open(CONN1);
        link.send("<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'><method>lzw</method></compress>");
        Element failure = link.next();
        assertThat(failure.getQName()).isEqualTo(QName.get("failure", Namespaces.COMPRESS_PROTOCOL));
        assertThat(failure.element("unsupported-method")).isNotNull();

        link.handshake(FakeHost.SECRET);
        assertLinkAnswers(link);
        assertLink(false, false);
    }

    @Test
    void compressionThatWasNotOfferedFailsWithSetupFailedAndTheStreamGoesOn() throws Exception {
        offer(TlsPolicy.OPTIONAL, false);
        CmTestClient link = connect();
        link.open(CONN1);
        link.send(COMPRESS_ZLIB);
        Element failure = link.next();
        assertThat(failure.getQName()).isEqualTo(QName.get("failure", Namespaces.COMPRESS_PROTOCOL));
        assertThat(failure.element("setup-failed")).isNotNull();

        link.handshake(FakeHost.SECRET);
        assertLinkAnswers(link);
    }

    @Test
    void startTlsThatWasNotOfferedFailsAndTheLinkCloses() throws Exception {
        offer(TlsPolicy.DISABLED, true);
        CmTestClient link = connect();
        link.open(CONN1);
        link.send("<starttls xmlns='" + Namespaces.TLS + "'/>");
        assertThat(link.next().getQName()).isEqualTo(QName.get("failure", Namespaces.TLS));
        link.expectStreamEndAndEof();
    }

    @Test
    void brokenCompressedDataEndsTheLinkWithProcessingFailed() throws Exception {
        offer(TlsPolicy.DISABLED, true);
        CmTestClient link = connect();
        link.open(CONN1);
        compress(link);
        link.sendRaw("this is not zlib at all".getBytes(StandardCharsets.US_ASCII));

        // The error comes compressed, after a header for the restarted stream.
        link.awaitHeader();
        assertThat(link.next().getName()).isEqualTo("features");
        Element error = link.next();
        assertThat(error.getQName()).isEqualTo(QName.get("error", Namespaces.STREAMS));
        assertThat(error.element(QName.get("undefined-condition", Namespaces.STREAM_ERRORS))).isNotNull();
        assertThat(error.element(QName.get("processing-failed", Namespaces.COMPRESS_PROTOCOL))).isNotNull();
        link.expectStreamEndAndEof();
    }

    @Test
    void theRestartedStreamMustAddressTheSameLink() throws Exception {
        offer(TlsPolicy.DISABLED, true);
        CmTestClient link = connect();
        link.open(CONN1);
        compress(link);
        link.send(String.format(CmTestClient.HEADER_TEMPLATE, Namespaces.CONNECTION_MANAGER, "to='" + CONN2 + "' "));
        link.awaitHeader();
        link.expectStreamErrorAndClose("improper-addressing");
    }

    @Test
    void aLinkSilentAfterProceedIsDroppedByTheNegotiationTimeout() throws Exception {
        engine.stop();
        offer(TlsPolicy.REQUIRED, false);
        engine = new ConnectionManagerListener(new EngineSettings(new InetSocketAddress("127.0.0.1", 0), MAX_STANZA,
                () -> security.get()), host, new LinkLimits(LinkLimits.MIB, 4 * LinkLimits.MIB, 5_000, 1, 60, 1, 5, 60, 60));
        engine.start();
        CmTestClient link = connect();
        link.open(CONN1);
        link.send("<starttls xmlns='" + Namespaces.TLS + "'/>");
        assertThat(link.next().getName()).isEqualTo("proceed");
        // No ClientHello: the negotiation deadline that bounds every unauthenticated state closes the socket.
        link.expectEof();
    }

    @Test
    void aLinkIsRefusedWhenItsSecuritySettingsCannotBeRead() throws Exception {
        security = () -> {
            throw new IllegalStateException("settings unavailable");
        };
        CmTestClient link = connect();
        link.awaitHeader();
        link.expectStreamErrorAndClose("internal-server-error");
    }

    /** The one link of the test manager as the admin page sees it. */
    private void assertLink(boolean secured, boolean compressed) {
        ConnectedLink shown = engine.managers().get(0).links().get(0);
        assertThat(shown.secured()).as("secured").isEqualTo(secured);
        assertThat(shown.compressed()).as("compressed").isEqualTo(compressed);
    }
}
