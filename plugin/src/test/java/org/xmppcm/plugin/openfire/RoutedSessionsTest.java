package org.xmppcm.plugin.openfire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.Message;
import org.xmpp.packet.StreamError;
import org.xmppcm.plugin.openfire.standin.StandIn;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.engine.testing.CmTestClient;

/**
 * {@link OpenfireHost}, {@link RoutedConnection} and {@link OpenfireClientSession} against the Openfire stand-in: a
 * client a manager announces becomes an Openfire client session, and stanzas and closes travel both ways.
 */
class RoutedSessionsTest {
    private static final String STREAM = "c1ient0001";

    private PluginHarness harness;
    private CmTestClient link;

    @BeforeEach
    void connect() throws Exception {
        harness = PluginHarness.load();
        link = CmLinks.authenticated(harness.port, PluginHarness.DOMAIN, PluginHarness.SECRET);
    }

    @AfterEach
    void disconnect() throws Exception {
        link.close();
        harness.close();
    }

    @Test
    void aCreatedClientBecomesAnOpenfireSessionWithTheManagersStreamId() throws Exception {
        StandIn.CreatedSession created = create(STREAM);

        assertThat(created.streamId()).isEqualTo(STREAM);
        assertThat(created.connection()).isInstanceOf(RoutedConnection.class);
        RoutedConnection connection = (RoutedConnection) created.connection();
        assertThat(connection.client().streamId()).isEqualTo(STREAM);
        assertThat(connection.getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(connection.getHostName()).isEqualTo("localhost");
        // Openfire's IP allow/block lists were consulted with that very connection.
        assertThat(StandIn.allowChecks()).containsExactly(connection);
    }

    @Test
    void aClientWhoseAddressOpenfireBlocksGetsNoSession() throws Exception {
        StandIn.setAllowed(connection -> false);
        link.send(CmLinks.sessionIq("create-1", STREAM, "<create><host name='localhost' address='127.0.0.1'/></create>"));

        Element close = link.nextNamed("iq");
        while (close.element("session") == null) {
            close = link.nextNamed("iq"); // skip the create's result
        }
        assertThat(close.element("session").attributeValue("id")).isEqualTo(STREAM);
        assertThat(close.element("session").element("close")).isNotNull();
        assertThat(StandIn.createdSessions()).isEmpty();
    }

    @Test
    void whatOpenfireDeliversReachesTheManagerAsARouteInJabberClient() throws Exception {
        RoutedConnection connection = (RoutedConnection) create(STREAM).connection();
        Message message = new Message();
        message.getElement().addAttribute("to", "alice@example.test/phone");
        message.getElement().addAttribute("from", "bob@example.test/desk");
        message.setBody("hello from Openfire");

        connection.deliver(message);

        Element route = link.nextNamed("route");
        assertThat(StandIn.createdSessions().get(0).session().getNumServerPackets())
                .as("counted as sent, as Openfire's own connections count").isEqualTo(1);
        assertThat(route.attributeValue("streamid")).isEqualTo(STREAM);
        Element stanza = route.elements().get(0);
        assertThat(stanza.getName()).isEqualTo("message");
        assertThat(stanza.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(stanza.elementText("body")).isEqualTo("hello from Openfire");
    }

    @Test
    void whatTheClientSendsGoesThroughOpenfiresSessionPacketRouter() throws Exception {
        StandIn.CreatedSession created = create(STREAM);
        link.send("<route streamid='" + STREAM + "'><message xmlns='jabber:client' to='bob@example.test'>"
                + "<body>hi</body></message></route>");

        await(() -> !StandIn.routed().isEmpty());
        List<StandIn.Routed> routed = StandIn.routed();
        assertThat(routed).hasSize(1);
        assertThat(routed.get(0).session()).isSameAs(created.session());
        assertThat(routed.get(0).element().getName()).isEqualTo("message");
        assertThat(routed.get(0).element().elementText("body")).isEqualTo("hi");
    }

    @Test
    void aBurstFasterThanOpenfirePausesTheLinkInsteadOfEndingTheClientAndLosesNothing() throws Exception {
        create(STREAM);
        java.util.concurrent.CountDownLatch openfireBusy = new java.util.concurrent.CountDownLatch(1);
        StandIn.holdRouting(openfireBusy);
        int burst = OpenfireHost.PAUSE_INPUT_AT * 4;
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < burst; i++) {
            routes.append("<route streamid='").append(STREAM).append("'><message xmlns='jabber:client'")
                    .append(" to='bob@example.test'><body>").append(i).append("</body></message></route>");
        }
        link.send(routes.toString());

        await(() -> harness.plugin.managers().get(0).links().get(0).inputPaused());
        openfireBusy.countDown();

        await(() -> StandIn.routed().size() == burst, Duration.ofSeconds(20));
        assertThat(StandIn.routed()).extracting(r -> r.element().elementText("body"))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, burst).mapToObj(Integer::toString)
                        .toList());
        assertThat(StandIn.closed()).as("the client was slowed down, not ended").isEmpty();
        await(() -> !harness.plugin.managers().get(0).links().get(0).inputPaused());
        link.expectSilence(Duration.ofMillis(200)); // no close IQ, no error
    }

    @Test
    void theManagersPageListsEachClientWithItsUserAddressLinkAndCountsAndClosesOne() throws Exception {
        StandIn.CreatedSession alice = create(STREAM);
        StandIn.bind(alice.session(), "alice", "phone");
        link.send("<route streamid='" + STREAM + "'><message xmlns='jabber:client' to='bob@example.test'>"
                + "<body>hi</body></message></route>");
        await(() -> StandIn.routed().size() == 1);
        ((RoutedConnection) alice.connection()).deliver(new Message());

        OpenfireConsoleBackend backend = harness.backend();
        org.xmppcm.plugin.admin.ConsoleBackend.Clients clients = backend.clients(PluginHarness.DOMAIN, null, 10);
        assertThat(clients.matching()).isEqualTo(1);
        org.xmppcm.plugin.admin.ClientView view = clients.shown().get(0);
        assertThat(view.user()).isEqualTo("alice@example.test/phone");
        assertThat(view.address()).isEqualTo("127.0.0.1");
        assertThat(view.link()).isEqualTo(PluginHarness.DOMAIN);
        assertThat(view.packetsReceived()).isEqualTo(1);
        assertThat(view.packetsSent()).isEqualTo(1);
        assertThat(backend.clients(PluginHarness.DOMAIN, "ALICE", 10).matching()).isEqualTo(1);
        assertThat(backend.clients(PluginHarness.DOMAIN, "bob", 10).matching()).isZero();
        link.nextNamed("route"); // the delivered message

        assertThat(backend.closeClient(PluginHarness.DOMAIN, STREAM)).isTrue();

        Element close = link.nextNamed("iq");
        assertThat(close.element("session").attributeValue("id")).isEqualTo(STREAM);
        assertThat(close.element("session").element("close").asXML()).contains("policy-violation");
        assertThat(StandIn.closed()).extracting(StandIn.Closed::connection).containsExactly(alice.connection());
        assertThat(backend.closeClient(PluginHarness.DOMAIN, STREAM)).as("gone already").isFalse();
        assertThat(backend.closeClient("another-manager", STREAM)).isFalse();
    }

    @Test
    void aServerSideCloseSendsTheManagerACloseSessionIq() throws Exception {
        RoutedConnection connection = (RoutedConnection) create(STREAM).connection();

        connection.close(new StreamError(StreamError.Condition.conflict));

        Element iq = link.nextNamed("iq");
        assertThat(iq.attributeValue("type")).isEqualTo("set");
        Element session = iq.element("session");
        assertThat(session.getNamespaceURI()).isEqualTo(Namespaces.CM_PROTOCOL);
        assertThat(session.attributeValue("id")).isEqualTo(STREAM);
        assertThat(session.element("close")).isNotNull();
        assertThat(session.element("close").asXML()).contains("conflict");
        assertThat(StandIn.closed()).extracting(StandIn.Closed::connection).containsExactly(connection);
    }

    @Test
    void theManagerClosingTheClientClosesTheOpenfireConnection() throws Exception {
        RoutedConnection connection = (RoutedConnection) create(STREAM).connection();

        link.send(CmLinks.sessionIq("close-1", STREAM, "<close/>"));

        await(() -> !StandIn.closed().isEmpty());
        assertThat(StandIn.closed()).extracting(StandIn.Closed::connection).containsExactly(connection);
    }

    @Test
    void aMessageTheManagerCouldNotDeliverGoesToOpenfiresOfflineStore() throws Exception {
        create(STREAM);
        // No to/from: Tinder's JID parsing needs libidn and Caffeine, which are not on this module's test class path
        // (Openfire ships them). The path under test, <failed> to storeOffline, does not depend on the addresses.
        link.send(CmLinks.sessionIq("failed-1", STREAM, "<failed><message xmlns='jabber:client' type='chat' id='f1'>"
                + "<body>undeliverable</body></message></failed>"));

        await(() -> !StandIn.storedOffline().isEmpty());
        assertThat(StandIn.storedOffline()).hasSize(1);
        assertThat(StandIn.storedOffline().get(0).getBody()).isEqualTo("undeliverable");
        assertThat(StandIn.closed()).as("a failed delivery does not end the session").isEmpty();
    }

    @Test
    void aMessageReportedAfterItsSessionEndedStillGoesToOpenfiresOfflineStore() throws Exception {
        create(STREAM);
        link.send(CmLinks.sessionIq("close-2", STREAM, "<close/>"));
        await(() -> !StandIn.closed().isEmpty());
        // Stock Openfire answers item-not-found and drops it; the plugin keeps it.
        link.send(CmLinks.sessionIq("failed-3", STREAM, "<failed><message xmlns='jabber:client' type='chat' id='f2'>"
                + "<body>late</body></message></failed>"));

        await(() -> !StandIn.storedOffline().isEmpty());
        assertThat(StandIn.storedOffline().get(0).getBody()).isEqualTo("late");
    }

    @Test
    void unloadingThePluginClosesTheOpenfireConnectionsOfItsClients() throws Exception {
        RoutedConnection connection = (RoutedConnection) create(STREAM).connection();

        harness.destroy();

        assertThat(StandIn.closed()).extracting(StandIn.Closed::connection).containsExactly(connection);
        assertThat(link.endedWithin(Duration.ofSeconds(2))).isTrue();
    }

    /** Announces a client and returns what Openfire's SessionManager was asked to create. */
    private StandIn.CreatedSession create(String streamId) throws Exception {
        link.send(CmLinks.sessionIq("create-" + streamId, streamId,
                "<create><host name='localhost' address='127.0.0.1'/></create>"));
        Element result = link.nextNamed("iq");
        assertThat(result.attributeValue("type")).isEqualTo("result");
        assertThat(result.attributeValue("id")).isEqualTo("create-" + streamId);
        assertThat(StandIn.createdSessions()).hasSize(1);
        return StandIn.createdSessions().get(0);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        await(condition, Duration.ofSeconds(2));
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(10);
        }
    }
}
