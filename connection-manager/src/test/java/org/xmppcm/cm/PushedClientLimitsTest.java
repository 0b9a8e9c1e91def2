package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.cm.metrics.PrometheusText;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.TuningParameter;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Client limits the server pushes in its tuning, applied live over real sockets: a server
 * scripted as in {@link LinkPoolTest} pushes, clients of the CM see the effect.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PushedClientLimitsTest extends FakeOpenfireTestBase {

    /** Starts a CM with {@code own} limits in its settings; its one link gets {@code tuning} with the handshake. */
    private FakeOpenfire.Link start(ClientLimits own, Map<String, String> tuning) throws Exception {
        cm = new ConnectionManager(openfire.settings(l -> l).withLimits(own));
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                cm.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        FakeOpenfire.Link link = openfire.acceptLink(configuration("first", tuning));
        closeables.add(link);
        started.get(10, TimeUnit.SECONDS);
        return link;
    }

    /** Stock Openfire's configuration IQ with our tuning element, when there is something to tune. */
    private static String configuration(String id, Map<String, String> tuning) {
        StringBuilder params = new StringBuilder();
        new TreeMap<>(tuning).forEach((name, value) ->
                params.append("<param name='").append(name).append("' value='").append(value).append("'/>"));
        return FakeOpenfire.STOCK_CONFIGURATION.replace("id=\"726-2\"", "id=\"" + id + "\"")
                .replace("</configuration>", (tuning.isEmpty() ? ""
                        : "<tuning xmlns='urn:xmppcm:tuning:0'>" + params + "</tuning>") + "</configuration>");
    }

    /** The server pushes its configuration again; returns once the CM's limits satisfy {@code applied}. */
    private void push(FakeOpenfire.Link link, String id, Map<String, String> tuning, Predicate<ClientLimits> applied)
            throws Exception {
        link.send(configuration(id, tuning));
        assertThat(link.next().attribute("id")).isEqualTo(id);
        // The link answers before it hands the configuration on: wait for the CM, not for the answer.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!applied.test(cm.clientLimits()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(cm.clientLimits()).matches(applied);
    }

    /** A client that got its stream features: admitted. Its server session is created on {@code link}. */
    private RawXmppPeer admitted(FakeOpenfire.Link link) throws Exception {
        RawXmppPeer client = FakeOpenfire.client(cm);
        closeables.add(client);
        link.expectCreate();
        return client;
    }

    /** A client that opens its stream and should be turned away at the door. */
    private RawXmppPeer opening() throws Exception {
        RawXmppPeer client = RawXmppPeer.connect(cm.clientPort());
        closeables.add(client);
        client.send("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='example.test' version='1.0'>");
        return client;
    }

    private static void assertStreamErrorAndClose(RawXmppPeer client, String condition) throws Exception {
        StanzaFrame error = client.nextFrame();
        assertThat(error.is("error", Namespaces.STREAMS)).as(error.asString()).isTrue();
        assertThat(error.asString()).contains("<" + condition + " ");
        assertThat(client.awaitClose()).isTrue();
    }

    @Test
    void aPushedMaximumRefusesTheSecondClientUntilAPushWithoutItRestoresTheCmsOwn() throws Exception {
        FakeOpenfire.Link link = start(ClientLimits.DEFAULTS, Map.of(TuningParameter.CLIENT_MAX.wireName(), "1"));
        assertThat(cm.clientLimits().maxClients()).as("in effect before the client port opened").isEqualTo(1);
        assertThat(PrometheusText.render(cm.metrics())).contains("xmppcm_client_limit{name=\"client.max\"} 1\n");

        admitted(link);
        RawXmppPeer second = opening();
        second.nextOpen();
        assertStreamErrorAndClose(second, "resource-constraint"); // as client.max=1 in the settings file gives

        push(link, "again", Map.of(), l -> l.maxClients() == ClientLimits.DEFAULTS.maxClients());
        admitted(link);
        assertThat(cm.clientCount()).isEqualTo(2);
    }

    @Test
    void aLoweredMaximumKicksNoOneAndOnlyRefusesNewcomers() throws Exception {
        FakeOpenfire.Link link = start(ClientLimits.DEFAULTS, Map.of());
        RawXmppPeer first = admitted(link);
        RawXmppPeer second = admitted(link);

        push(link, "lower", Map.of(TuningParameter.CLIENT_MAX.wireName(), "1"), l -> l.maxClients() == 1);
        RawXmppPeer third = opening();
        third.nextOpen();
        assertStreamErrorAndClose(third, "resource-constraint");

        assertThat(cm.clientCount()).isEqualTo(2);
        for (RawXmppPeer client : List.of(first, second)) {
            assertThat(client.pollFrame(100)).as("no stream error for a client already in").isNull();
            client.send("<message to='bob@example.test' type='chat'><body>still here</body></message>");
            assertThat(link.expectRoute().asString()).contains("still here");
        }
    }

    @Test
    void aPushedIdleTimeoutShorterThanTheCmsOwnClosesSilentClientsOldAndNew() throws Exception {
        // Its own timeout is far beyond the test's; its 1 s keepalive gives the connected client an idle
        // event within a second, which is where it takes the pushed timeout.
        ClientLimits own = ClientLimits.DEFAULTS.withIdle(Duration.ofSeconds(60), Duration.ofSeconds(1));
        FakeOpenfire.Link link = start(own, Map.of());
        RawXmppPeer before = admitted(link);

        push(link, "idle", Map.of(TuningParameter.CLIENT_IDLE_TIMEOUT_SECONDS.wireName(), "2"), // the least ClientLimits allows
                l -> l.idleTimeout().equals(Duration.ofSeconds(2)));
        RawXmppPeer after = admitted(link);

        long start = System.nanoTime();
        for (RawXmppPeer silent : List.of(after, before)) {
            StanzaFrame ping = silent.nextFrame();
            assertThat(ping.asString()).as("pinged half way, and left unanswered").contains("urn:xmpp:ping");
            assertStreamErrorAndClose(silent, "connection-timeout");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }
}
