package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.SmackConfiguration;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jxmpp.jid.impl.JidCreate;
import org.xmppcm.engine.ConnectedLink;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.engine.LinkSecurity;
import org.xmppcm.protocol.cm.TlsPolicy;

/**
 * Our CM against our own engine (as in {@code --demo}) with the engine requiring STARTTLS on links
 * and offering zlib: every link upgrades to TLS, then compresses inside it, then authenticates,
 * and two real Smack clients chat across them in both directions at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecuredLinksToEngineTest {
    private static final int LINKS = 4;
    private static final int MESSAGES = 200;

    private DemoMode demo;
    private DemoClients clients;

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.close();
        }
        if (demo != null) {
            demo.stop();
        }
    }

    @Test
    void clientsChatOverLinksThatRunTlsAndZlib() throws Exception {
        SmackConfiguration.DEBUG = false;
        // More links than the default two, so that the two clients' traffic likely crosses between links.
        demo = DemoMode.start(0, s -> s.withLinks(s.links().withCount(LINKS).withTls(FakeOpenfire.LINK_TLS).withCompression(true)),
                null, new LinkSecurity(LinkTlsMaterial.serverContext("server.p12"), TlsPolicy.REQUIRED, true));
        clients = new DemoClients(demo);
        clients.awaitLinks(LINKS);

        XMPPTCPConnection alice = clients.login("alice", "links");
        XMPPTCPConnection bob = clients.login("bob", "links");
        chat(alice, bob);

        List<ConnectedManager> managers = demo.server().managers();
        assertThat(managers).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo(DemoMode.MANAGER);
            assertThat(m.links()).hasSize(LINKS).allMatch(ConnectedLink::secured).allMatch(ConnectedLink::compressed);
        });
    }




    /** Both send {@value #MESSAGES} messages at the same time; each receives the other's, complete and in order. */
    private static void chat(XMPPTCPConnection alice, XMPPTCPConnection bob) throws Exception {
        DemoClients.awaitAvailable(alice, "bob@localhost");
        DemoClients.awaitAvailable(bob, "alice@localhost");
        List<String> aliceGot = Collections.synchronizedList(new ArrayList<>());
        List<String> bobGot = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch arrived = new CountDownLatch(2 * MESSAGES);
        alice.addSyncStanzaListener(s -> {
            aliceGot.add(((Message) s).getBody());
            arrived.countDown();
        }, MessageTypeFilter.CHAT);
        bob.addSyncStanzaListener(s -> {
            bobGot.add(((Message) s).getBody());
            arrived.countDown();
        }, MessageTypeFilter.CHAT);
        Thread toBob = new Thread(() -> send(alice, "bob@localhost", "to bob "));
        Thread toAlice = new Thread(() -> send(bob, "alice@localhost", "to alice "));
        toBob.start();
        toAlice.start();
        toBob.join();
        toAlice.join();
        assertThat(arrived.await(20, TimeUnit.SECONDS)).as("all messages arrived").isTrue();
        List<String> expectedByBob = new ArrayList<>();
        List<String> expectedByAlice = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            expectedByBob.add("to bob " + i + " <&> ü€");
            expectedByAlice.add("to alice " + i + " <&> ü€");
        }
        assertThat(bobGot).containsExactlyElementsOf(expectedByBob);
        assertThat(aliceGot).containsExactlyElementsOf(expectedByAlice);
    }

    private static void send(XMPPTCPConnection from, String to, String prefix) {
        try {
            for (int i = 0; i < MESSAGES; i++) {
                from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.entityBareFrom(to))
                        .ofType(Message.Type.chat).setBody(prefix + i + " <&> ü€").build());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
