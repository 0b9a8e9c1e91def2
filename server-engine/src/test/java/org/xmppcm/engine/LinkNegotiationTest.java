package org.xmppcm.engine;

import org.dom4j.QName;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.Handshake;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.engine.testing.CmTestClient;

class LinkNegotiationTest extends EngineTestBase {
    @Test
    void headerIsAnsweredWithAFreshStreamIdAndTheLinkNameAsFrom() throws Exception {
        CmTestClient link = connect();
        StreamOpen header = link.open(CONN1);

        assertThat(header.defaultNamespace()).isEqualTo(Namespaces.CONNECTION_MANAGER);
        assertThat(header.attribute("from")).isEqualTo(CONN1);
        assertThat(header.attribute("id")).matches("[0-9a-z]{10}");
        assertThat(link.featuresBesidesAcks()).as("no STARTTLS offered yet").isEmpty();
        assertThat(link.features().element(QName.get("ack", org.xmppcm.protocol.ack.AckElements.NAMESPACE)))
                .as("acknowledgements offered").isNotNull();

        CmTestClient other = connect();
        assertThat(other.open(CONN2).attribute("id")).isNotEqualTo(header.attribute("id"));
    }

    @Test
    void correctHandshakeIsAcknowledgedAndFollowedByTheConfigurationPush() throws Exception {
        CmTestClient link = connect();
        link.open(CONN1);
        link.send("<handshake>" + Handshake.digest(link.streamId(), FakeHost.SECRET) + "</handshake>");

        Element ack = link.next();
        assertThat(ack.getName()).isEqualTo("handshake");
        assertThat(ack.getText()).isEmpty();
        Element iq = link.next();
        assertThat(iq.getName()).isEqualTo("iq");
        assertThat(iq.attributeValue("type")).isEqualTo("set");
        assertThat(iq.attributeValue("id")).isNotBlank();
        assertThat(CmElements.parseConfiguration(configurationOf(iq))).isEqualTo(host.clientConfiguration());

        // The CM's result needs no answer.
        link.send("<iq type='result' id='" + iq.attributeValue("id") + "'/>");
        link.expectSilence(Duration.ofMillis(300));
    }

    @Test
    void digestIsComparedCaseInsensitively() throws Exception {
        CmTestClient link = connect();
        link.open(CONN1);
        link.send("<handshake>" + Handshake.digest(link.streamId(), FakeHost.SECRET).toUpperCase() + "</handshake>");
        assertThat(link.next().getName()).isEqualTo("handshake");
    }

    @Test
    void wrongDigestIsRefusedWithNotAuthorizedAndTheLinkCloses() throws Exception {
        CmTestClient link = connect();
        link.open(CONN1);
        link.send("<handshake>" + Handshake.digest(link.streamId(), "wrong-secret") + "</handshake>");
        link.expectStreamErrorAndClose("not-authorized");
    }

    @Test
    void digestForAnotherStreamIdIsRefused() throws Exception {
        CmTestClient link = connect();
        link.open(CONN1);
        link.send("<handshake>" + Handshake.digest("0123456789", FakeHost.SECRET) + "</handshake>");
        link.expectStreamErrorAndClose("not-authorized");
    }

    @Test
    void headerWithoutToIsRefusedWithImproperAddressing() throws Exception {
        CmTestClient link = connect();
        link.send(String.format(CmTestClient.HEADER_TEMPLATE, Namespaces.CONNECTION_MANAGER, ""));
        link.awaitHeader();
        link.expectStreamErrorAndClose("improper-addressing");
    }

    @Test
    void headerInAnotherDefaultNamespaceIsRefusedWithInvalidNamespace() throws Exception {
        CmTestClient link = connect();
        link.send(String.format(CmTestClient.HEADER_TEMPLATE, Namespaces.CLIENT, "to='" + CONN1 + "' "));
        link.awaitHeader();
        link.expectStreamErrorAndClose("invalid-namespace");
    }

    @Test
    void unknownManagerIsRefusedWithHostUnknownAfterTheHeader() throws Exception {
        CmTestClient link = connect();
        assertThat(link.open("nosuchcm/conn1").attribute("from")).isEqualTo("nosuchcm/conn1");
        link.expectStreamErrorAndClose("host-unknown");
    }

    @Test
    void secondLinkWithAConnectedNameIsRefusedWithConflictAndTheFirstKeepsWorking() throws Exception {
        CmTestClient first = authenticatedLink(CONN1);
        FakeSession session = createSession(first, "s1");

        CmTestClient second = connect();
        second.open(CONN1);
        second.send("<handshake>" + Handshake.digest(second.streamId(), FakeHost.SECRET) + "</handshake>");
        second.expectStreamErrorAndClose("conflict");

        assertLinkAnswers(first);
        session.channel.deliver(RouteTest.message("hello"));
        assertThat(first.next().getName()).isEqualTo("route");
        assertThat(session.isClosed()).isFalse();
    }

    @Test
    void nameIsFreeAgainOnceItsLinkHasClosed() throws Exception {
        CmTestClient first = authenticatedLink(CONN1);
        first.send(CmElements.STREAM_CLOSE);
        first.expectStreamEndAndEof();

        CmTestClient second = authenticatedLink(CONN1);
        assertLinkAnswers(second);
    }

    @Test
    void anUnauthenticatedLinkDoesNotHoldItsName() throws Exception {
        CmTestClient squatter = connect();
        squatter.open(CONN1);

        CmTestClient real = authenticatedLink(CONN1);
        assertLinkAnswers(real);
    }

    @Test
    void linksOfOneManagerWithDifferentConnectionNamesAreAllAccepted() throws Exception {
        CmTestClient one = authenticatedLink(CONN1);
        CmTestClient two = authenticatedLink(CONN2);
        assertLinkAnswers(one);
        assertLinkAnswers(two);
        assertThat(engine.managers()).singleElement().satisfies(m -> assertThat(m.links()).hasSize(2));
    }

    @Test
    void sessionIqBeforeTheHandshakeGetsNotAuthorized() throws Exception {
        CmTestClient link = connect();
        link.open(CONN1);
        link.send(create("pre-cr", "e000006f"));
        assertIqError(link.next(), "pre-cr", "not-authorized", null);
        assertThat(host.byStreamId).isEmpty();
    }

    @Test
    void routeBeforeTheHandshakeGetsNotAuthorizedAndTheHandshakeStillWorks() throws Exception {
        CmTestClient link = connect();
        link.open(CONN1);
        link.send("<route streamid='e000006f'><presence xmlns='jabber:client'/></route>");
        assertRouteError(link.next(), "e000006f", "not-authorized", null);

        link.send("<handshake>" + Handshake.digest(link.streamId(), FakeHost.SECRET) + "</handshake>");
        assertThat(link.next().getName()).isEqualTo("handshake");
    }

    @Test
    void repeatedHandshakeIsAnsweredLikeTheFirst() throws Exception {
        CmTestClient link = connect();
        link.authenticate(CONN1, FakeHost.SECRET);
        link.send("<handshake>" + Handshake.digest(link.streamId(), FakeHost.SECRET) + "</handshake>");
        assertThat(link.next().getName()).isEqualTo("handshake");
        assertThat(configurationOf(link.next())).isNotNull();
    }

    @Test
    void streamCloseFromTheManagerIsAnsweredAndTheLinkCloses() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        link.send(CmElements.STREAM_CLOSE);
        link.expectStreamEndAndEof();
    }

    @Test
    void malformedXmlGetsTheFramersStreamErrorAndTheLinkCloses() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        link.send("<iq type='set' id='x'><a></b></iq>");
        link.expectStreamErrorAndClose("not-well-formed");
    }

    @Test
    void elementAboveTheSizeLimitGetsPolicyViolation() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        createSession(link, "big");
        link.send("<route streamid='big'><message xmlns='jabber:client'><body>"
                + "x".repeat(MAX_STANZA + 1) + "</body></message></route>");
        link.expectStreamErrorAndClose("policy-violation");
    }

    @Test
    void unwrappedStanzaOnAnAuthenticatedLinkGetsUnsupportedStanzaType() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        link.send("<message to='bob@example.test' type='chat'><body>not wrapped</body></message>");
        link.expectStreamErrorAndClose("unsupported-stanza-type");
    }

    @Test
    void connectionThatDoesNotAuthenticateInTimeIsDroppedWithConnectionTimeout() throws Exception {
        restartEngine(new LinkLimits(LinkLimits.MIB, 4 * LinkLimits.MIB, 5_000, 1, 60, 1, 5, 60, 60));
        CmTestClient silent = connect();
        silent.awaitHeader();
        silent.expectStreamErrorAndClose("connection-timeout");

        CmTestClient noHandshake = connect();
        noHandshake.open(CONN2);
        noHandshake.expectStreamErrorAndClose("connection-timeout");
    }

    @Test
    void aLinkTricklingWhitespaceWithoutHandshakingIsClosedAtTheNegotiationDeadline() throws Exception {
        restartEngine(negotiationWithin(2));
        CmTestClient link = connect();
        long accepted = System.nanoTime();
        link.open(CONN1);
        // Never idle for the reader: a space every 200 ms. Only an absolute deadline ends it.
        while (!link.heardWithin(Duration.ofMillis(200))) {
            assertThat(Duration.ofNanos(System.nanoTime() - accepted)).as("still open past the deadline")
                    .isLessThan(Duration.ofSeconds(5));
            link.send(" ");
        }
        long closedAfterMillis = Duration.ofNanos(System.nanoTime() - accepted).toMillis();
        link.expectStreamErrorAndClose("connection-timeout");
        assertThat(closedAfterMillis).as("ms from accept to the stream error").isBetween(1_900L, 3_500L);
    }

    @Test
    void aLinkThatAuthenticatesInTimeOutlivesTheNegotiationDeadline() throws Exception {
        restartEngine(negotiationWithin(2));
        CmTestClient link = connect();
        link.open(CONN1);
        for (int i = 0; i < 5; i++) { // a second of trickling first, then the handshake well within the deadline
            link.send(" ");
            link.expectSilence(Duration.ofMillis(200));
        }
        link.handshake(FakeHost.SECRET);
        link.expectSilence(Duration.ofMillis(2_000)); // now about 3 s from accept
        assertLinkAnswers(link);
    }

    private static LinkLimits negotiationWithin(int seconds) {
        return new LinkLimits(LinkLimits.MIB, 4 * LinkLimits.MIB, 5_000, 1, 60, seconds, 5, 60, 60);
    }

    @Test
    void authenticatedLinkMayStayQuietBeyondTheNegotiationTimeout() throws Exception {
        restartEngine(new LinkLimits(LinkLimits.MIB, 4 * LinkLimits.MIB, 5_000, 1, 60, 1, 5, 60, 60));
        CmTestClient link = authenticatedLink(CONN1);
        link.expectSilence(Duration.ofMillis(2_500));
        assertLinkAnswers(link);
    }
}
