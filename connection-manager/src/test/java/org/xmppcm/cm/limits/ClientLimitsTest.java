package org.xmppcm.cm.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.cm.DemoMode;
import org.xmppcm.cm.RawXmppPeer;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.xml.StanzaFrame;

/** Verifies that each client limit is enforced with its stream error, and only on the client that reached it. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClientLimitsTest {
    private static final String HEADER = "<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

    private DemoMode demo;

    private void start(UnaryOperator<ClientLimits> limits) throws Exception {
        demo = DemoMode.start(0, settings -> settings.withLimits(limits.apply(ClientLimits.DEFAULTS)));
    }

    @AfterEach
    void stop() {
        if (demo != null) {
            demo.stop();
        }
    }

    private RawXmppPeer open() throws Exception {
        RawXmppPeer peer = RawXmppPeer.connect(demo.connectionManager().clientPort());
        peer.send(HEADER);
        return peer;
    }

    /** Opens a stream and waits until it has its features: admitted. */
    private RawXmppPeer admitted() throws Exception {
        RawXmppPeer peer = open();
        peer.nextOpen();
        assertThat(peer.nextFrame().localName()).isEqualTo("features");
        return peer;
    }

    private static void assertRefused(RawXmppPeer peer, String condition) throws Exception {
        peer.nextOpen();
        StanzaFrame error = peer.nextFrame();
        assertThat(error.is("error", Namespaces.STREAMS)).as(error.asString()).isTrue();
        assertThat(error.asString()).contains("<" + condition + " ");
        assertThat(peer.awaitClose()).isTrue();
    }

    @Test
    void aClientBeyondTheMaximumIsRefusedWithResourceConstraint() throws Exception {
        start(l -> l.withMaxClients(2));
        // One at a time: sessions are registered on several I/O threads, so "the third" must come third.
        try (RawXmppPeer first = admitted(); RawXmppPeer second = admitted(); RawXmppPeer third = open()) {
            assertRefused(third, "resource-constraint");
        }
    }

    @Test
    void anAddressOpeningConnectionsTooFastIsRefusedWithPolicyViolation() throws Exception {
        start(l -> l.withConnectionRate(1, 2, true));
        try (RawXmppPeer first = admitted(); RawXmppPeer second = admitted(); RawXmppPeer third = open()) {
            assertRefused(third, "policy-violation");
        }
    }

    @Test
    void anIdleClientIsPingedAndKeptAliveByAnsweringThenTimedOut() throws Exception {
        start(l -> l.withIdle(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        try (RawXmppPeer peer = open()) {
            peer.nextOpen();
            peer.nextFrame();
            StanzaFrame ping = peer.nextFrame();
            assertThat(ping.asString()).contains("<ping xmlns='urn:xmpp:ping'/>");
            peer.send("<iq type='result' id='" + ping.attribute("id") + "'/>");
            StanzaFrame secondPing = peer.nextFrame();
            assertThat(secondPing.asString()).as("the answer kept it alive: it is pinged again, not cut off")
                    .contains("urn:xmpp:ping");
            StanzaFrame timeout = peer.nextFrame();
            assertThat(timeout.asString()).contains("<connection-timeout ");
            assertThat(peer.awaitClose()).isTrue();
            assertThat(peer.whitespaceRuns()).as("whitespace keepalives were sent").isPositive();
        }
    }

    @Test
    void aStreamThatWentQuietAndGaveBackItsParserIsUnderstoodWhenItSpeaksAgain() throws Exception {
        start(l -> l.withIdle(Duration.ofSeconds(60), Duration.ofSeconds(1)));
        try (RawXmppPeer peer = open()) {
            peer.nextOpen();
            peer.nextFrame();
            Thread.sleep(2500); // silent past the trim delay: the framer's parser is released
            peer.send("<iq type='get' id='after-trim'><query xmlns='jabber:iq:roster'/></iq>");
            StanzaFrame reply = peer.nextFrame();
            assertThat(reply.attribute("id")).isEqualTo("after-trim");
            assertThat(reply.asString()).as("the server understood a jabber:client IQ").contains("not-authorized");
        }
    }

    @Test
    void aClientThatDoesNotReadIsClosedAndOthersAreUnaffected() throws Exception {
        start(l -> l.withMaxPendingWriteBytes(64 * 1024));
        Socket slow = new Socket();
        slow.setReceiveBufferSize(4096);
        slow.connect(new InetSocketAddress("127.0.0.1", demo.connectionManager().clientPort()));
        try (slow; RawXmppPeer bob = open()) {
            loginBlocking(slow, "alice", "slow");
            bob.nextOpen();
            bob.nextFrame();
            bob.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain("bob") + "</auth>");
            assertThat(bob.nextFrame().localName()).isEqualTo("success");
            bob.restart();
            bob.send(HEADER);
            bob.nextOpen();
            bob.nextFrame();
            bob.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>");
            assertThat(bob.nextFrame().attribute("type")).isEqualTo("result");

            int clientsBefore = demo.connectionManager().clientCount();
            // Alice floods herself and never reads; nothing of it comes back to bob.
            String body = "y".repeat(2048);
            OutputStream aliceOut = slow.getOutputStream();
            try {
                for (int i = 0; i < 6000 && demo.connectionManager().clientCount() == clientsBefore; i++) {
                    aliceOut.write(("<message to='alice@localhost/slow' type='chat'><body>" + i + body + "</body></message>")
                            .getBytes(StandardCharsets.UTF_8));
                }
            } catch (java.io.IOException closedUnderUs) {
                // The CM closed her while she was still writing: the expected outcome.
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (demo.connectionManager().clientCount() == clientsBefore && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(demo.connectionManager().clientCount()).as("the slow reader was closed").isEqualTo(clientsBefore - 1);

            bob.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
            StanzaFrame pong;
            do {
                pong = bob.nextFrame();
            } while (!"p1".equals(pong.attribute("id")));
            assertThat(pong.attribute("type")).as("bob is served as before").isEqualTo("result");
        }
    }

    @Test
    void aClientTricklingWhitespaceWithoutLoggingInIsClosedAtTheAuthenticationDeadline() throws Exception {
        start(l -> l.withAuthTimeout(Duration.ofSeconds(2)));
        // Alongside, one that never even sends its header: it goes at the same deadline.
        try (RawXmppPeer headerless = RawXmppPeer.connect(demo.connectionManager().clientPort());
             RawXmppPeer peer = open()) {
            long accepted = System.nanoTime();
            peer.nextOpen();
            assertThat(peer.nextFrame().localName()).isEqualTo("features");
            awaitServerSessions(1);
            // A space every 200 ms: never idle for the reader, so only an absolute deadline ends it.
            RawXmppPeer.Event event;
            while ((event = peer.pollEvent(200)) == null) {
                assertThat(Duration.ofNanos(System.nanoTime() - accepted)).as("still open past the deadline")
                        .isLessThan(Duration.ofSeconds(6));
                peer.send(" ");
            }
            long closedAfterMillis = Duration.ofNanos(System.nanoTime() - accepted).toMillis();
            assertThat(event.frame()).as(event.toString()).isNotNull();
            assertThat(event.frame().is("error", Namespaces.STREAMS)).as(event.toString()).isTrue();
            assertThat(event.frame().asString()).contains("<connection-timeout ");
            assertThat(peer.awaitClose()).isTrue();
            // Deadline 2 s; swept every second.
            assertThat(closedAfterMillis).as("ms from connecting to the stream error").isBetween(1_900L, 3_800L);
            awaitServerSessions(0);
            headerless.nextOpen();
            assertThat(headerless.nextFrame().asString()).contains("<connection-timeout ");
            assertThat(headerless.awaitClose()).isTrue();
        }
    }

    @Test
    void aClientThatLogsInInTimeStaysConnectedPastTheAuthenticationDeadline() throws Exception {
        start(l -> l.withAuthTimeout(Duration.ofSeconds(2)));
        try (RawXmppPeer peer = open()) {
            peer.nextOpen();
            peer.nextFrame();
            peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain("alice") + "</auth>");
            assertThat(peer.nextFrame().localName()).isEqualTo("success");
            peer.restart();
            peer.send(HEADER);
            peer.nextOpen();
            peer.nextFrame();
            peer.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>");
            assertThat(peer.nextFrame().attribute("type")).isEqualTo("result");

            assertThat(peer.pollEvent(3_000)).as("nothing but keepalives past the deadline").isNull();
            peer.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
            StanzaFrame pong = peer.nextFrame();
            assertThat(pong.attribute("id")).isEqualTo("p1");
            assertThat(pong.attribute("type")).isEqualTo("result");
            assertThat(serverSessions()).isEqualTo(1);
        }
    }

    /** Client sessions the demo server holds for this CM. */
    private int serverSessions() {
        return demo.server().managers().stream().mapToInt(ConnectedManager::sessionCount).sum();
    }

    private void awaitServerSessions(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (serverSessions() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(serverSessions()).as("client sessions on the server").isEqualTo(expected);
    }

    private static String plain(String user) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + user).getBytes(StandardCharsets.UTF_8));
    }

    /** Logs in over a plain socket with blocking reads, so the test decides when reading stops. */
    private static void loginBlocking(Socket socket, String user, String resource) throws Exception {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(HEADER.getBytes(StandardCharsets.UTF_8));
        RawXmppPeer.readUntil(in, "</stream:features>");
        out.write(("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain(user) + "</auth>")
                .getBytes(StandardCharsets.UTF_8));
        RawXmppPeer.readUntil(in, "<success");
        out.write(HEADER.getBytes(StandardCharsets.UTF_8));
        RawXmppPeer.readUntil(in, "</stream:features>");
        out.write(("<iq type='set' id='s1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
                + "</resource></bind></iq>").getBytes(StandardCharsets.UTF_8));
        RawXmppPeer.readUntil(in, "</iq>");
    }

}
