package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.mina.core.session.IoSession;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmppcm.cm.client.StreamIds;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.transport.ReadPause;

/**
 * A link whose stanzas cannot be handled as fast as the server sends them: its reads pause at the bound instead of
 * the queue growing (or, over TLS, the I/O thread blocking with the TLS lock held, which deadlocked against a
 * link-event thread writing to the link), and once the backlog drains everything arrives in order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkBacklogTest extends FakeOpenfireTestBase {
    /** Small, so that a test reaches it with little traffic. */
    private static final long BOUND = 64 * 1024;
    /** What one read can add past the bound before the pause takes effect: MINA reads up to 64 KB at a time, doubled for slack. */
    private static final long ONE_READ = 128 * 1024;
    private static final int ROUTES = 3000;
    /** Every so many routes, a session IQ whose result the link-event thread writes to the link. */
    private static final int IQ_EVERY = 100;
    private static final String PADDING = "x".repeat(1000);

    private static String route(String sid, int n) {
        return "<route streamid=\"" + sid + "\" from=\"example.test\" to=\"cmtest\"><message to=\"alice@example.test/x\""
                + " from=\"bob@example.test/y\"><body>" + n + " " + PADDING + "</body></message></route>";
    }

    /** The server ends a session the CM does not know: the link-event thread answers with a result on the link. */
    private static String closeIq(int n) {
        return "<iq type=\"set\" id=\"end" + n + "\"><session xmlns=\"" + Namespaces.CM_PROTOCOL + "\" id=\"nobody" + n
                + "\"><close/></session></iq>";
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @ParameterizedTest(name = "link TLS: {0}")
    @ValueSource(booleans = {false, true})
    void readsPauseAtTheBoundAndResumeWithEveryStanzaInOrder(boolean tls) throws Exception {
        // The reading client may fall behind when the backlog is released: only the link is under test here.
        CmSettings settings = openfire.settings(l -> tls ? l.withTls(FakeOpenfire.LINK_TLS) : l)
                .withLimits(ClientLimits.DEFAULTS.withMaxPendingWriteBytes(64 * 1024 * 1024));
        cm = new ConnectionManager(settings, new StreamIds(), BOUND);
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                cm.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        FakeOpenfire.Link link = tls ? openfire.acceptTlsLink(FakeOpenfire.STOCK_CONFIGURATION)
                : openfire.acceptLink(FakeOpenfire.STOCK_CONFIGURATION);
        closeables.add(link);
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer reader = FakeOpenfire.client(cm);
        closeables.add(reader);
        String sid = link.expectCreate();
        RawXmppPeer other = FakeOpenfire.client(cm);
        closeables.add(other);
        String otherSid = link.expectCreate();

        IoSession linkSession = cm.readyLinks().get(0).session();
        assertThat(linkSession.getFilterChain().contains("tls")).isEqualTo(tls);
        ReadPause pause = cm.linkReadPause();
        CompletableFuture<Void> flood;
        // Keeping the reader's lane busy stalls the link-event thread at the first route for it, as a busy
        // TLS client's I/O thread would: everything after it queues.
        CountDownLatch laneBusy = new CountDownLatch(1);
        CountDownLatch releaseLane = new CountDownLatch(1);
        Thread laneHolder = new Thread(() -> cm.registry().get(sid).runInLane(() -> {
            laneBusy.countDown();
            try {
                releaseLane.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "lane-holder");
        laneHolder.start();
        assertThat(laneBusy.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            flood = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < ROUTES; i++) {
                        link.send(route(sid, i));
                        if (i % IQ_EVERY == 0) {
                            link.send(closeIq(i));
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await(linkSession::isReadSuspended, "the link's reads pause");
            Thread.sleep(100); // the rest of the read that crossed the bound
            long queued = pause.queuedBytes(linkSession);
            // Above the resume level (the route the stalled thread took off the queue may bring it just under the
            // bound) and at most one read beyond the bound.
            assertThat(queued).isGreaterThan(BOUND / 2).isLessThanOrEqualTo(BOUND + ONE_READ);
            Thread.sleep(300);
            assertThat(linkSession.isReadSuspended()).isTrue();
            assertThat(pause.queuedBytes(linkSession)).as("nothing more read while paused").isEqualTo(queued);
            assertThat(ROUTES * (long) PADDING.length()).as("far more was sent").isGreaterThan(10 * (BOUND + ONE_READ));

            // Paused reads do not stop writes: another client's stanza still reaches the server.
            other.send("<message to='bob@example.test' type='chat'><body>while paused</body></message>");
            RoutedStanza routed = link.expectRoute();
            assertThat(routed.streamId()).isEqualTo(otherSid);
            assertThat(routed.asString()).contains("<body>while paused</body>");
        } finally {
            releaseLane.countDown();
        }

        for (int i = 0; i < ROUTES; i++) {
            StanzaFrame message = reader.nextFrame();
            assertThat(message.asString()).as("stanza %d", i).contains("<body>" + i + " ");
        }
        flood.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < ROUTES; i += IQ_EVERY) {
            StanzaFrame result = link.next();
            assertThat(result.attribute("type")).as(result.asString()).isEqualTo("result");
            assertThat(result.attribute("id")).isEqualTo("end" + i);
        }
        // The I/O thread counts an event just after queueing it, so the count may lag what was handled.
        await(() -> pause.queuedBytes(linkSession) == 0, "nothing left queued");
        assertThat(linkSession.isReadSuspended()).isFalse();
        assertThat(cm.readyLinkCount()).isEqualTo(1);
    }
}
