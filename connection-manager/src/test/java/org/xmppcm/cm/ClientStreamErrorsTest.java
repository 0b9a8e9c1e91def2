package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;

/**
 * Verifies that a client that breaks the rules gets the RFC 6120 stream error it earned, after a
 * stream header when it had none yet, and that the connection then closes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientStreamErrorsTest {
    private static DemoMode demo;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoMode.start(0);
    }

    @AfterAll
    static void stop() {
        demo.stop();
    }

    private static String header(String to, String ns) {
        return "<?xml version='1.0'?><stream:stream xmlns='" + ns + "' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='" + to + "' version='1.0'>";
    }

    private static RawXmppPeer connect() throws Exception {
        return RawXmppPeer.connect(demo.connectionManager().clientPort());
    }

    private static void assertStreamErrorThenClose(RawXmppPeer peer, String condition) throws Exception {
        StanzaFrame error = peer.nextFrame();
        assertThat(error.is("error", Namespaces.STREAMS)).as(error.asString()).isTrue();
        assertThat(error.asString()).contains("<" + condition + " xmlns='" + Namespaces.STREAM_ERRORS + "'");
        assertThat(peer.awaitClose()).as("stream closed before the socket").isTrue();
    }

    @Test
    void aClientOpeningAStreamGetsAHeaderWithAStreamIdAndTheSaslMechanismsThePushedConfigurationAllows() throws Exception {
        try (RawXmppPeer peer = connect()) {
            peer.send(header("localhost", "jabber:client"));
            StreamOpen open = peer.nextOpen();
            assertThat(open.attribute("from")).isEqualTo("localhost");
            assertThat(open.attribute("id")).hasSize(16);
            assertThat(open.attribute("version")).isEqualTo("1.0");
            StanzaFrame features = peer.nextFrame();
            assertThat(features.is("features", Namespaces.STREAMS)).isTrue();
            assertThat(features.asString()).contains("<mechanism>SCRAM-SHA-1</mechanism>", "<mechanism>PLAIN</mechanism>")
                    .doesNotContain("starttls");
        }
    }

    @Test
    void aStreamToAnotherDomainIsRefusedWithHostUnknown() throws Exception {
        try (RawXmppPeer peer = connect()) {
            peer.send(header("elsewhere.example", "jabber:client"));
            assertThat(peer.nextOpen().attribute("from")).isEqualTo("localhost");
            assertStreamErrorThenClose(peer, "host-unknown");
        }
    }

    @Test
    void aStreamInTheServerNamespaceIsRefusedWithInvalidNamespace() throws Exception {
        try (RawXmppPeer peer = connect()) {
            peer.send(header("localhost", "jabber:server"));
            peer.nextOpen();
            assertStreamErrorThenClose(peer, "invalid-namespace");
        }
    }

    @Test
    void malformedXmlGetsNotWellFormed() throws Exception {
        try (RawXmppPeer peer = connect()) {
            peer.send(header("localhost", "jabber:client"));
            peer.nextOpen();
            peer.nextFrame();
            peer.send("<message><body>oops</message>");
            StanzaFrame error = peer.nextFrame();
            assertThat(error.asString()).contains("<not-well-formed xmlns='" + Namespaces.STREAM_ERRORS + "'")
                    .as("the parser's own message stays in our log").doesNotContain("<text");
            assertThat(peer.awaitClose()).isTrue();
        }
    }

    @Test
    void aCommentGetsRestrictedXml() throws Exception {
        try (RawXmppPeer peer = connect()) {
            peer.send(header("localhost", "jabber:client"));
            peer.nextOpen();
            peer.nextFrame();
            peer.send("<!-- hello -->");
            assertStreamErrorThenClose(peer, "restricted-xml");
        }
    }

    @Test
    void aStanzaOverTheSizeLimitGetsPolicyViolationBeforeItEnds() throws Exception {
        try (RawXmppPeer peer = connect()) {
            peer.send(header("localhost", "jabber:client"));
            peer.nextOpen();
            peer.nextFrame();
            peer.send("<message to='bob@localhost'><body>");
            peer.send("x".repeat(CmSettings.DEFAULT_MAX_STANZA_BYTES + 1));
            assertStreamErrorThenClose(peer, "policy-violation");
        }
    }

    @Test
    void aStanzaBeforeAuthenticationIsRefusedByTheServer() throws Exception {
        try (RawXmppPeer peer = connect()) {
            peer.send(header("localhost", "jabber:client"));
            peer.nextOpen();
            peer.nextFrame();
            peer.send("<iq type='get' id='q1'><query xmlns='jabber:iq:roster'/></iq>");
            StanzaFrame reply = peer.nextFrame();
            assertThat(reply.localName()).isEqualTo("iq");
            assertThat(reply.attribute("type")).isEqualTo("error");
            assertThat(reply.asString()).contains("not-authorized");
        }
    }

    @Test
    void startTlsThatWasNotOfferedFailsAndClosesTheStream() throws Exception {
        try (RawXmppPeer peer = connect()) {
            peer.send(header("localhost", "jabber:client"));
            peer.nextOpen();
            peer.nextFrame();
            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            assertThat(peer.nextFrame().is("failure", Namespaces.TLS)).isTrue();
            assertThat(peer.awaitClose()).isTrue();
        }
    }

    @Test
    void aClientClosingItsStreamGetsTheCloseBackAndItsServerSessionEnds() throws Exception {
        try (RawXmppPeer peer = connect()) {
            peer.send(header("localhost", "jabber:client"));
            peer.nextOpen();
            peer.nextFrame();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (demo.connectionManager().clientCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int before = demo.connectionManager().clientCount();
            peer.send("</stream:stream>");
            assertThat(peer.awaitClose()).isTrue();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (demo.connectionManager().clientCount() >= before && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(demo.connectionManager().clientCount()).isLessThan(before);
        }
    }
}
