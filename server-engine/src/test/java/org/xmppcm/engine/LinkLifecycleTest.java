package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.engine.testing.CmTestClient;

class LinkLifecycleTest extends EngineTestBase {
    @Test
    void losingTheLastLinkEndsEverySessionOfTheManager() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession alice = createSession(link, "a11ce009");
        FakeSession bob = createSession(link, "b0b00009");

        link.close(); // FIN without </stream:stream>

        assertThat(alice.awaitClosed()).isTrue();
        assertThat(bob.awaitClosed()).isTrue();
        awaitNoManagers();
    }

    @Test
    void gracefulCloseOfTheLastLinkAlsoEndsTheSessions() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession alice = createSession(link, "a11ce009g");
        link.send(CmElements.STREAM_CLOSE);
        link.expectStreamEndAndEof();
        assertThat(alice.awaitClosed()).isTrue();
        assertThat(alice.closedCalls).hasValue(1);
    }

    @Test
    void sessionsOfALostLinkMoveToTheManagersRemainingLink() throws Exception {
        CmTestClient one = authenticatedLink(CONN1);
        CmTestClient two = authenticatedLink(CONN2);
        FakeSession alice = createSession(one, "a11ce007");

        one.send(CmElements.STREAM_CLOSE);
        one.expectStreamEndAndEof();
        awaitLinkCount(1);

        assertThat(alice.isClosed()).isFalse();
        alice.channel.deliver(RouteTest.message("still here"));
        Element route = two.next();
        assertThat(route.attributeValue("streamid")).isEqualTo("a11ce007");
        two.send("<route streamid='a11ce007'><presence xmlns='jabber:client'/></route>");
        assertThat(alice.awaitReceived().getName()).isEqualTo("presence");
    }

    @Test
    void deliveriesStickToTheLinkChosenByTheStreamIdHash() throws Exception {
        CmTestClient one = authenticatedLink(CONN1);
        CmTestClient two = authenticatedLink(CONN2);
        List<CmTestClient> links = List.of(one, two); // authentication order
        for (int i = 1; i <= 6; i++) {
            String sid = "s7-000" + i;
            FakeSession session = createSession(one, sid);
            CmTestClient expected = links.get(Math.floorMod(sid.hashCode(), 2));
            CmTestClient other = expected == one ? two : one;
            for (int n = 0; n < 3; n++) {
                session.channel.deliver(RouteTest.message(sid + "#" + n));
                assertThat(expected.next().attributeValue("streamid")).isEqualTo(sid);
            }
            other.expectSilence(Duration.ofMillis(50));
        }
    }

    @Test
    void systemShutdownFromTheManagerEndsItsSessionsAndIsAnsweredWithStreamClose() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession alice = createSession(link, "a11ce010");
        link.send("<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
        link.expectStreamEndAndEof();
        assertThat(alice.awaitClosed()).isTrue();
    }

    @Test
    void systemShutdownOnOneOfTwoLinksLeavesTheSessionsOnTheOther() throws Exception {
        CmTestClient one = authenticatedLink(CONN1);
        CmTestClient two = authenticatedLink(CONN2);
        FakeSession alice = createSession(one, "a11ce011");
        one.send("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
        one.expectStreamEndAndEof();
        awaitLinkCount(1);
        assertThat(alice.isClosed()).isFalse();
        assertLinkAnswers(two);
    }

    @Test
    void stopSaysSystemShutdownOnEveryLinkAndEndsEverySession() throws Exception {
        CmTestClient one = authenticatedLink(CONN1);
        CmTestClient two = authenticatedLink(CONN2);
        CmTestClient pending = connect();
        pending.open(CONN1 + "x");
        FakeSession alice = createSession(one, "a11ce012");
        FakeSession bob = createSession(two, "b0b00012");

        engine.stop();

        one.expectStreamErrorAndClose("system-shutdown");
        two.expectStreamErrorAndClose("system-shutdown");
        pending.expectStreamErrorAndClose("system-shutdown");
        assertThat(alice.awaitClosed()).isTrue();
        assertThat(bob.awaitClosed()).isTrue();
        assertThat(alice.closedCalls).hasValue(1);
        assertThat(engine.managers()).isEmpty();
    }

    @Test
    void pushConfigurationSendsTheCurrentConfigurationToEveryAuthenticatedLink() throws Exception {
        CmTestClient one = authenticatedLink(CONN1);
        CmTestClient two = authenticatedLink(CONN2);
        CmTestClient pending = connect();
        pending.open(CONN1 + "x");
        ClientConfiguration changed = new ClientConfiguration(TlsPolicy.REQUIRED, List.of("SCRAM-SHA-256"), List.of(),
                true, false, Map.of("max-clients", "5"));
        host.configuration.set(changed);

        engine.pushConfiguration();

        for (CmTestClient link : List.of(one, two)) {
            Element iq = link.next();
            assertThat(iq.attributeValue("type")).isEqualTo("set");
            assertThat(CmElements.parseConfiguration(configurationOf(iq))).isEqualTo(changed);
        }
        pending.expectSilence(Duration.ofMillis(200));
    }

    @Test
    void managersViewListsLinksAndSessionCounts() throws Exception {
        CmTestClient one = authenticatedLink(CONN1);
        authenticatedLink(CONN2);
        createSession(one, "v1");
        createSession(one, "v2");
        createSession(one, "v3");

        List<ConnectedManager> managers = engine.managers();
        assertThat(managers).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo(FakeHost.MANAGER);
            assertThat(m.sessionCount()).isEqualTo(3);
            assertThat(m.links()).extracting(ConnectedLink::connection).containsExactly(CONN1, CONN2);
            assertThat(m.links()).allSatisfy(l -> {
                assertThat(l.remoteAddress()).contains("127.0.0.1");
                assertThat(l.connectedSince()).isNotNull();
            });
            assertThat(m.links().stream().mapToInt(ConnectedLink::routedSessions).sum()).isEqualTo(3);
            assertThat(m.links()).allSatisfy(l -> assertThat(l.secured() || l.compressed()).isFalse());
            // conn1 sent its handshake and three session creates, and got an answer to each.
            LinkTraffic first = m.links().get(0).traffic();
            assertThat(first.elementsIn()).isGreaterThanOrEqualTo(4);
            assertThat(first.elementsOut()).isGreaterThanOrEqualTo(4);
            assertThat(first.bytesIn()).isGreaterThan(first.elementsIn() * 20);
            assertThat(first.bytesOut()).isGreaterThan(0);
            assertThat(m.links().get(1).traffic().elementsIn()).isLessThan(first.elementsIn());
        });
    }

    @Test
    void aBurstBeyondTheHardQueueCapDisconnectsTheManagerWithPolicyViolation() throws Exception {
        restartEngine(new LinkLimits(64 * 1024, 256 * 1024, 60_000, 5, 60, 30, 5, 60, 60));
        CmTestClient link = connect();
        link.authenticate(CONN1, FakeHost.SECRET);
        FakeSession session = createSession(link, "flood1");

        // Far faster than any socket drains: the queue passes the 256 KiB cap although the CM reads.
        String big = "y".repeat(32 * 1024);
        for (int i = 0; i < 1280 && !session.isClosed(); i++) {
            session.channel.deliver(RouteTest.message(big));
        }

        link.expectStreamErrorAndClose("policy-violation");
        assertThat(session.awaitClosed()).as("the dropped link's sessions end with it").isTrue();
    }

    @Test
    void aManagerThatStopsReadingIsDroppedAndItsSocketCutAfterTheDrainTime() throws Exception {
        restartEngine(new LinkLimits(64 * 1024, 512 * LinkLimits.MIB, 300, 1, 60, 30, 5, 60, 60));
        CmTestClient stuck = connect(4096);
        stuck.authenticate(CONN1, FakeHost.SECRET);
        FakeSession session = createSession(stuck, "stuck1");

        // A steady stream the CM never reads: socket buffers fill, then the queue sits above the
        // limit with nothing written (the hard cap is out of reach here).
        String big = "z".repeat(16 * 1024);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!session.isClosed() && System.nanoTime() < deadline) {
            session.channel.deliver(RouteTest.message(big));
            Thread.sleep(1);
        }

        assertThat(session.isClosed()).as("session ended although the CM never read").isTrue();
        awaitNoManagers();
    }

    @Test
    void aBurstToAnIdleManagerThatKeepsReadingIsNotMistakenForAStall() throws Exception {
        restartEngine(new LinkLimits(64 * 1024, 256 * 1024, 1_000, 5, 60, 30, 5, 60, 60));
        CmTestClient link = connect();
        link.authenticate(CONN1, FakeHost.SECRET);
        FakeSession session = createSession(link, "burst1");
        Thread.sleep(1_200); // idle for longer than the stall time

        String body = "b".repeat(8 * 1024);
        for (int i = 0; i < 24; i++) { // 192 KiB: above the limit, below the hard cap
            session.channel.deliver(RouteTest.message(body));
        }
        for (int i = 0; i < 24; i++) {
            assertThat(link.next().attributeValue("streamid")).isEqualTo("burst1");
        }
        assertThat(session.isClosed()).isFalse();
        assertLinkAnswers(link);
    }

    private void awaitNoManagers() throws InterruptedException {
        long deadline = System.nanoTime() + CmTestClient.TIMEOUT.toNanos();
        while (!engine.managers().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(engine.managers()).isEmpty();
    }

    private void awaitLinkCount(int count) throws InterruptedException {
        long deadline = System.nanoTime() + CmTestClient.TIMEOUT.toNanos();
        while (linkCount() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(linkCount()).isEqualTo(count);
    }

    private int linkCount() {
        return engine.managers().stream().mapToInt(m -> m.links().size()).sum();
    }
}
