package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.SmackConfiguration;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jxmpp.jid.impl.JidCreate;
import org.xmppcm.cm.link.ServerLink;

/**
 * Our CM and our engine (as in {@code --demo}) with acknowledged links: links are cut under two real Smack clients
 * that send each other numbered messages the whole time, and each receives every message of the other exactly once
 * and in order, while the clients never notice.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LinkTakeoverTest {
    private static final int MESSAGES = 3000;

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
    void cuttingLinksUnderTrafficLosesDuplicatesAndReordersNothing() throws Exception {
        SmackConfiguration.DEBUG = false;
        demo = DemoMode.start(0, s -> s.withLinks(s.links().withCount(2)));
        clients = new DemoClients(demo);
        clients.awaitLinks(2);
        assertThat(demo.connectionManager().readyLinks()).allMatch(ServerLink::isAcknowledged);
        XMPPTCPConnection alice = clients.login("alice", "takeover");
        XMPPTCPConnection bob = clients.login("bob", "takeover");
        DemoClients.awaitAvailable(alice, "bob@localhost");
        DemoClients.awaitAvailable(bob, "alice@localhost");
        List<String> aliceGot = Collections.synchronizedList(new ArrayList<>());
        List<String> bobGot = Collections.synchronizedList(new ArrayList<>());
        alice.addSyncStanzaListener(s -> aliceGot.add(((Message) s).getBody()), MessageTypeFilter.CHAT);
        bob.addSyncStanzaListener(s -> bobGot.add(((Message) s).getBody()), MessageTypeFilter.CHAT);

        Thread toBob = sender(alice, "bob@localhost");
        Thread toAlice = sender(bob, "alice@localhost");
        int cuts = 0;
        while (toBob.isAlive() || toAlice.isAlive()) {
            Thread.sleep(400);
            List<ServerLink> ready = demo.connectionManager().readyLinks();
            if (ready.size() == 2) {
                ready.get(cuts++ % 2).session().closeNow(); // the TCP connection goes, with what was in flight
            }
        }
        toBob.join();
        toAlice.join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((aliceGot.size() < MESSAGES || bobGot.size() < MESSAGES) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(300); // a duplicate would arrive after the last one

        assertThat(cuts).as("links cut under traffic").isGreaterThanOrEqualTo(3);
        assertThat(bobGot).containsExactlyElementsOf(expected());
        assertThat(aliceGot).containsExactlyElementsOf(expected());
        assertThat(alice.isConnected() && bob.isConnected()).as("the clients noticed nothing").isTrue();
    }

    private static List<String> expected() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            all.add("n" + i);
        }
        return all;
    }

    private static Thread sender(XMPPTCPConnection from, String to) {
        Thread thread = new Thread(() -> {
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.entityBareFrom(to))
                            .ofType(Message.Type.chat).setBody("n" + i).build());
                    if (i % 10 == 0) {
                        Thread.sleep(10); // a few seconds of traffic, so the cuts fall in the middle of it
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        return thread;
    }
}
