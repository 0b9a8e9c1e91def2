package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.cm.link.ServerLink;
import org.xmppcm.protocol.cm.ManagerInstance;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Verifies how the CM keeps its links: pinning, moving clients off a lost link, the grace period
 * with held stanzas and resume, failover, keepalives, live reconfiguration and failed delivery,
 * against a server scripted as stock Openfire behaves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkPoolTest extends FakeOpenfireTestBase {

    private CompletableFuture<Void> start(CmSettings settings) {
        cm = new ConnectionManager(settings);
        return CompletableFuture.runAsync(() -> {
            try {
                cm.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private FakeOpenfire.Link accept() throws Exception {
        return accept(FakeOpenfire.STOCK_CONFIGURATION);
    }

    private FakeOpenfire.Link accept(String configuration) throws Exception {
        FakeOpenfire.Link link = openfire.acceptLink(configuration);
        closeables.add(link);
        return link;
    }

    private RawXmppPeer client() throws Exception {
        RawXmppPeer client = FakeOpenfire.client(cm);
        closeables.add(client);
        return client;
    }

    private static String message(String body) {
        return "<message to='bob@example.test' type='chat'><body>" + body + "</body></message>";
    }

    private static void assertBody(RoutedStanza routed, String sid, String body) {
        assertThat(routed.streamId()).isEqualTo(sid);
        assertThat(routed.asString()).contains("<body>" + body + "</body>");
    }

    private void awaitNoReadyLink() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cm.readyLinkCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(cm.readyLinkCount()).isZero();
    }

    private static void assertStreamError(RawXmppPeer client, String condition) throws Exception {
        StanzaFrame error = client.nextFrame();
        assertThat(error.is("error", Namespaces.STREAMS)).as(error.asString()).isTrue();
        assertThat(error.asString()).contains("<" + condition + " ");
        assertThat(client.awaitClose()).isTrue();
    }

    @Test
    void aLinkBackWithinTheGracePeriodResumesTheSessionAndSendsHeldStanzasInOrder() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withGracePeriod(Duration.ofSeconds(20))));
        FakeOpenfire.Link first = accept();
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer client = client();
        String sid = first.expectCreate();
        client.send(message("before"));
        assertBody(first.expectRoute(), sid, "before");

        first.close();
        awaitNoReadyLink();
        client.send(message("held 1"));
        client.send(message("held 2"));

        FakeOpenfire.Link second = accept();
        second.answerProbe(sid, true);
        assertBody(second.expectRoute(), sid, "held 1");
        assertBody(second.expectRoute(), sid, "held 2");
        client.send(message("after"));
        assertBody(second.expectRoute(), sid, "after");
        assertThat(client.pollFrame(200)).as("the client saw no error").isNull();
    }

    @Test
    void aSessionTheServerLostDuringTheOutageGetsWhatItHeldBackAsErrorsAndIsClosed() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withGracePeriod(Duration.ofSeconds(20))));
        FakeOpenfire.Link first = accept();
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer client = client();
        String sid = first.expectCreate();
        first.close();
        awaitNoReadyLink();
        client.send(message("held"));

        accept().answerProbe(sid, false);
        StanzaFrame bounced = client.nextFrame();
        assertThat(bounced.is("message", Namespaces.CLIENT)).as(bounced.asString()).isTrue();
        assertThat(bounced.attribute("type")).isEqualTo("error");
        assertThat(bounced.asString()).contains("<body>held</body>").contains("internal-server-error");
        assertStreamError(client, "connection-timeout");
    }

    @Test
    void clientsAreClosedWithRemoteConnectionFailedWhenNoLinkComesBackInTime() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withGracePeriod(Duration.ofSeconds(1))));
        FakeOpenfire.Link first = accept();
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer client = client();
        first.expectCreate();
        openfire.close(); // nobody listens any more
        first.close();
        assertStreamError(client, "remote-connection-failed");
    }

    @Test
    void everyLinkOfAProcessNamesTheSameProcessAndARestartNamesANewerOne() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withCount(2)));
        FakeOpenfire.Link first = accept();
        FakeOpenfire.Link second = accept();
        started.get(10, TimeUnit.SECONDS);
        ManagerInstance process = ManagerInstance.parse(first.instance()).orElseThrow();
        assertThat(second.instance()).isEqualTo(first.instance());
        cm.stop();

        started = start(openfire.settings(l -> l));
        FakeOpenfire.Link afterRestart = accept();
        started.get(10, TimeUnit.SECONDS);
        ManagerInstance restarted = ManagerInstance.parse(afterRestart.instance()).orElseThrow();
        assertThat(restarted.isNewerThan(process)).isTrue();
    }

    @Test
    void aServerThatFallsBehindSlowsTheSendingClientDownInsteadOfFillingTheCmsMemory() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l));
        FakeOpenfire.Link link = accept();
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer client = client();
        String sid = link.expectCreate();
        link.peer().pauseReading(); // the server is busy: it reads nothing for a while
        int count = 30_000;
        String padding = "p".repeat(300); // about 10 MB in all
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    client.send(message(i + " " + padding));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long peak = 0;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); System.nanoTime() < end; ) {
            peak = Math.max(peak, cm.linkWriteBacklog());
            Thread.sleep(20);
        }
        assertThat(sending).as("TCP pushes back on the client").isNotDone();
        assertThat(peak).as("queued for the link at most").isLessThan(ServerLink.CONGESTED_BYTES + (1 << 20));

        link.peer().resumeReading();
        for (int i = 0; i < count; i++) {
            RoutedStanza routed = link.expectRoute();
            assertThat(routed.streamId()).isEqualTo(sid);
            assertThat(routed.asString()).contains("<body>" + i + " ");
        }
        sending.get(30, TimeUnit.SECONDS);
        assertThat(client.pollFrame(200)).as("the client saw no error").isNull();
    }

    @Test
    void aTakenClientPortFailsTheStartBeforeAnyLinkNamingTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CmSettings base = openfire.settings(l -> l);
            CmSettings settings = new CmSettings(new InetSocketAddress("127.0.0.1", taken.getLocalPort()),
                    base.managerName(), base.secret(), base.xmppDomain(), base.maxStanzaBytes(), base.links(),
                    base.limits(), null);
            CompletableFuture<Void> started = start(settings);
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> started.get(5, TimeUnit.SECONDS));
            assertThat(Main.describe(failure)).contains("the client port 127.0.0.1:" + taken.getLocalPort()
                    + " is already in use").contains("client.port (or --client-port N)");
            // It never took its manager's links (and sessions) from a process that can serve clients.
            assertThat(openfire.noLinkWithin(1000)).isTrue();
        }
    }

    @Test
    void aStartRefusedForItsSecretFailsAtOnceAndNamesTheCause() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l));
        long begin = System.nanoTime();
        openfire.refuseNextLink("not-authorized");
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> started.get(10, TimeUnit.SECONDS));
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
        assertThat(Main.describe(failure))
                .contains("refused connection manager 'cmtest': not-authorized")
                .contains("manager.secret");
        assertThat(openfire.noLinkWithin(2000)).as("no retry right away").isTrue();
    }

    @Test
    void aRefusedReconnectStopsHoldingClientsAndBacksOffLong() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withGracePeriod(Duration.ofSeconds(30))));
        FakeOpenfire.Link first = accept();
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer client = client();
        first.expectCreate();
        first.close();
        // The secret was changed on the server meanwhile: the reconnect is refused.
        long begin = System.nanoTime();
        openfire.refuseNextLink("not-authorized");
        assertStreamError(client, "remote-connection-failed");
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("not held for the 30 s grace period")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(openfire.noLinkWithin(3000)).as("backs off instead of retrying at once").isTrue();
    }

    @Test
    void aClientWhoseHeldStanzasReachTheLimitIsSlowedDownAndLosesNothing() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withGracePeriod(Duration.ofSeconds(20))
                .withHoldLimits(1024, 1 << 20)));
        FakeOpenfire.Link first = accept();
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer client = client();
        String sid = first.expectCreate();
        first.close();
        awaitNoReadyLink();
        String padding = "x".repeat(300);
        int count = 40; // 12 KB: far past the 1 KB hold, which stops reading the client instead of closing it
        for (int i = 0; i < count; i++) {
            client.send(message(i + " " + padding));
        }
        assertThat(client.pollFrame(500)).as("no error while held").isNull();

        FakeOpenfire.Link second = accept();
        second.answerProbe(sid, true);
        for (int i = 0; i < count; i++) {
            assertBody(second.expectRoute(), sid, i + " " + padding);
        }
        assertThat(client.pollFrame(200)).as("the client saw no error").isNull();
    }

    @Test
    void aGracePeriodPushedByTheServerWinsOverTheLocalOne() throws Exception {
        String noGrace = FakeOpenfire.STOCK_CONFIGURATION.replace("</configuration>",
                "<tuning xmlns='urn:xmppcm:tuning:0'><param name='link.grace.seconds' value='0'/></tuning></configuration>");
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withGracePeriod(Duration.ofSeconds(30))));
        FakeOpenfire.Link first = accept(noGrace);
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer client = client();
        first.expectCreate();
        first.close();
        assertStreamError(client, "remote-connection-failed");
    }

    @Test
    void systemShutdownFromTheServerClosesEveryClientAtOnce() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withGracePeriod(Duration.ofSeconds(30))));
        FakeOpenfire.Link first = accept();
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer client = client();
        first.expectCreate();
        first.send("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
        assertStreamError(client, "system-shutdown");
    }

    @Test
    void aClientPinnedToALostLinkMovesToAnotherAndKeepsItsSession() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withCount(2)));
        FakeOpenfire.Link a = accept();
        FakeOpenfire.Link b = accept();
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer client = client();
        StanzaFrame create = a.peer().pollFrame(2000);
        FakeOpenfire.Link pinned = create != null ? a : b;
        FakeOpenfire.Link other = create != null ? b : a;
        if (create == null) {
            create = b.next();
        }
        assertThat(create.asString()).contains("<create");
        client.send(message("on the pinned link"));
        assertThat(pinned.expectRoute().asString()).contains("on the pinned link");

        pinned.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cm.readyLinkCount() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        client.send(message("on the other link"));
        assertThat(other.expectRoute().asString()).contains("on the other link");
    }

    @Test
    void linksFailOverToTheNextServerAddressWhenTheFirstRefuses() throws Exception {
        InetSocketAddress refusing;
        try (ServerSocket closed = new ServerSocket(0)) {
            refusing = new InetSocketAddress("127.0.0.1", closed.getLocalPort());
        }
        CompletableFuture<Void> started = start(openfire.settings(l -> new LinkSettings(
                List.of(refusing, openfire.address()), 1, l.keepalive(), l.gracePeriod(),
                l.holdBytesPerClient(), l.holdBytesTotal(), l.tls(), l.compression())));
        accept();
        started.get(10, TimeUnit.SECONDS);
        assertThat(cm.readyLinkCount()).isEqualTo(1);
    }

    @Test
    void anIdleLinkCarriesWhitespaceKeepalives() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withKeepalive(Duration.ofSeconds(1))));
        FakeOpenfire.Link link = accept();
        started.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // Back-to-back keepalives with nothing between them are one run of whitespace to the framer.
        while (link.peer().whitespaceRuns() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(link.peer().whitespaceRuns()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aServerThatReadsButNeverAcknowledgesSlowsTheSendingClientDown() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l));
        FakeOpenfire.Link link = openfire.acceptAcknowledgedLink(FakeOpenfire.STOCK_CONFIGURATION);
        closeables.add(link);
        started.get(10, TimeUnit.SECONDS);
        assertThat(cm.readyLinks()).allMatch(ServerLink::isAcknowledged);
        RawXmppPeer client = client();
        link.expectCreate();
        String padding = "p".repeat(300);
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 30_000; i++) { // about 10 MB: the fake reads it all, but acknowledges none
                    client.send(message(i + " " + padding));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long peak = 0;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); System.nanoTime() < end; ) {
            peak = Math.max(peak, cm.readyLinks().get(0).unacknowledgedBytes());
            Thread.sleep(20);
        }
        assertThat(sending).as("the client is no longer read").isNotDone();
        assertThat(peak).as("kept for the server at most").isLessThan(ServerLink.CONGESTED_BYTES + (1 << 20));
        sending.cancel(true);
    }

    @Test
    void aQuietServerIsPingedAndAnsweringKeepsTheLink() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withKeepalive(Duration.ofSeconds(1))
                .withTimeout(Duration.ofSeconds(3))));
        FakeOpenfire.Link link = accept();
        started.get(10, TimeUnit.SECONDS);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int pings = 0;
        while (System.nanoTime() < until) {
            StanzaFrame ping = link.peer().pollFrame(200);
            if (ping != null) {
                assertThat(ping.asString()).contains("<ping xmlns='urn:xmpp:ping'/>");
                // What stock Openfire answers any IQ get on the link: an error, and a sign of life.
                link.send("<iq type=\"error\" id=\"" + ping.attribute("id") + "\"><ping xmlns=\"urn:xmpp:ping\"/>"
                        + "<error code=\"400\" type=\"modify\"><bad-request xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/>"
                        + "</error></iq>");
                pings++;
            }
        }
        assertThat(pings).as("pinged about once a second").isGreaterThanOrEqualTo(2);
        assertThat(cm.readyLinkCount()).as("an answering server keeps its link past the timeout").isEqualTo(1);
    }

    @Test
    void aServerThatSaysNothingLosesTheLinkAfterTheTimeoutAndTheCmConnectsAgain() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l.withKeepalive(Duration.ofSeconds(1))
                .withTimeout(Duration.ofSeconds(3)).withGracePeriod(Duration.ofSeconds(20))));
        FakeOpenfire.Link frozen = accept();
        started.get(10, TimeUnit.SECONDS);
        long since = System.nanoTime();
        awaitNoReadyLink();
        long detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        assertThat(detectedMillis).as("detected within the timeout and a keepalive").isBetween(2_500L, 5_000L);
        accept(); // a new link, to a server that answers
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cm.readyLinkCount() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(cm.readyLinkCount()).isEqualTo(1);
        frozen.close();
    }

    @Test
    void aConfigurationPushedAgainChangesWhatNewClientsAreOffered() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l));
        FakeOpenfire.Link link = accept();
        started.get(10, TimeUnit.SECONDS);
        link.send("<iq type=\"set\" id=\"again\"><configuration xmlns=\"http://jabber.org/protocol/connectionmanager\">"
                + "<mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><mechanism>PLAIN</mechanism></mechanisms>"
                + "<register xmlns=\"http://jabber.org/features/iq-register\"/></configuration></iq>");
        assertThat(link.next().attribute("id")).isEqualTo("again");

        RawXmppPeer client = RawXmppPeer.connect(cm.clientPort());
        closeables.add(client);
        client.send("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='example.test' version='1.0'>");
        client.nextOpen();
        assertThat(client.nextFrame().asString()).contains("<mechanism>PLAIN</mechanism>", "iq-register")
                .doesNotContain("SCRAM-SHA-1");
    }

    @Test
    void aMessageForADepartedClientIsReportedFailedAndAnIqRequestGetsUnexpectedRequest() throws Exception {
        CompletableFuture<Void> started = start(openfire.settings(l -> l));
        FakeOpenfire.Link link = accept();
        started.get(10, TimeUnit.SECONDS);
        link.send("<route streamid=\"gone1\" from=\"example.test\" to=\"cmtest\"><message to=\"alice@example.test/x\""
                + " from=\"bob@example.test/y\"><body>too late</body></message></route>");
        String failed = link.next().asString();
        assertThat(failed).contains("<failed>", "too late", "id='gone1'");

        link.send("<route streamid=\"gone1\" from=\"example.test\" to=\"cmtest\"><iq type=\"get\" id=\"v1\""
                + " to=\"alice@example.test/x\" from=\"bob@example.test/y\"><query xmlns=\"jabber:iq:version\"/></iq></route>");
        RoutedStanza bounced = link.expectRoute();
        assertThat(bounced.streamId()).isEqualTo("gone1");
        assertThat(bounced.asString()).contains("type=\"error\"", "unexpected-request", "to=\"bob@example.test/y\"");
    }
}
