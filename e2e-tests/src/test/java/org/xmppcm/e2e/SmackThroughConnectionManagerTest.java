package org.xmppcm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackConfiguration;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterListener;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.xmppcm.cm.DemoMode;

/**
 * Two real Smack 4.4 clients log in through the connection manager, in front of the engine with
 * its demo server, and talk as they would through any XMPP server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmackThroughConnectionManagerTest {
    private static final int MESSAGES = 1_000;

    private DemoMode demo;
    private final List<XMPPTCPConnection> connections = new ArrayList<>();

    @BeforeEach
    void startDemo() throws Exception {
        SmackConfiguration.DEBUG = false;
        demo = DemoMode.start(0);
    }

    @AfterEach
    void stopAll() {
        connections.forEach(XMPPTCPConnection::instantShutdown);
        if (demo != null) {
            demo.stop();
        }
    }

    private XMPPTCPConnection login(String user) throws Exception {
        XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(DemoMode.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(demo.connectionManager().clientPort())
                .setSecurityMode(SecurityMode.disabled)
                .addEnabledSaslMechanism("SCRAM-SHA-1")
                .setUsernameAndPassword(user, user)
                .setResource("e2e")
                .setConnectTimeout(10_000)
                .build();
        XMPPTCPConnection connection = new XMPPTCPConnection(config);
        connection.setReplyTimeout(10_000);
        connections.add(connection);
        connection.connect().login();
        return connection;
    }

    private static EntityBareJid bare(String user) throws Exception {
        return JidCreate.entityBareFrom(user + "@" + DemoMode.DOMAIN);
    }

    @Test
    void twoClientsLogInWithScramAndExchangeAThousandMessagesEachWayInOrder() throws Exception {
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection bob = login("bob");
        assertThat(alice.getUsedSaslMechansism()).isEqualTo("SCRAM-SHA-1");
        assertThat(bob.getUser().toString()).isEqualTo("bob@localhost/e2e");

        List<String> aliceGot = new ArrayList<>();
        List<String> bobGot = new ArrayList<>();
        CountDownLatch allArrived = new CountDownLatch(2 * MESSAGES);
        // Synchronous listeners run in stanza order, so the lists show the order of arrival.
        alice.addSyncStanzaListener(stanza -> {
            aliceGot.add(((Message) stanza).getBody());
            allArrived.countDown();
        }, MessageTypeFilter.CHAT);
        bob.addSyncStanzaListener(stanza -> {
            bobGot.add(((Message) stanza).getBody());
            allArrived.countDown();
        }, MessageTypeFilter.CHAT);

        // Full JIDs: a bare JID is routed by presence, and initial presence may still be on its way.
        Jid aliceJid = alice.getUser();
        Jid bobJid = bob.getUser();
        CompletableFuture<Void> aliceSends = CompletableFuture.runAsync(() -> send(alice, bobJid, "from alice "));
        CompletableFuture<Void> bobSends = CompletableFuture.runAsync(() -> send(bob, aliceJid, "from bob "));
        aliceSends.get(60, TimeUnit.SECONDS);
        bobSends.get(60, TimeUnit.SECONDS);

        assertThat(allArrived.await(60, TimeUnit.SECONDS)).as("all messages arrived").isTrue();
        synchronized (aliceGot) {
            assertThat(aliceGot).containsExactlyElementsOf(expected("from bob "));
        }
        synchronized (bobGot) {
            assertThat(bobGot).containsExactlyElementsOf(expected("from alice "));
        }
    }

    private static void send(XMPPTCPConnection from, Jid to, String prefix) {
        try {
            for (int i = 0; i < MESSAGES; i++) {
                from.sendStanza(from.getStanzaFactory().buildMessageStanza()
                        .to(to).ofType(Message.Type.chat).setBody(prefix + i + " <&> ü€").build());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> expected(String prefix) {
        List<String> bodies = new ArrayList<>(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            bodies.add(prefix + i + " <&> ü€");
        }
        return bodies;
    }

    @Test
    void presenceReachesTheContactAndADisconnectShowsUnavailable() throws Exception {
        XMPPTCPConnection alice = login("alice");
        Roster aliceRoster = Roster.getInstanceFor(alice);
        aliceRoster.reloadAndWait();
        assertThat(aliceRoster.getEntry(bare("bob"))).as("bob is on alice's roster").isNotNull();

        CountDownLatch bobAvailable = new CountDownLatch(1);
        CountDownLatch bobUnavailable = new CountDownLatch(1);
        aliceRoster.addRosterListener(new PresenceOnly(presence -> {
            if (presence.getFrom().asBareJid().toString().equals("bob@localhost")) {
                (presence.isAvailable() ? bobAvailable : bobUnavailable).countDown();
            }
        }));

        XMPPTCPConnection bob = login("bob");
        assertThat(bobAvailable.await(20, TimeUnit.SECONDS)).as("alice sees bob available").isTrue();
        assertThat(aliceRoster.getPresence(bare("bob")).isAvailable()).isTrue();

        bob.disconnect();
        assertThat(bobUnavailable.await(20, TimeUnit.SECONDS)).as("alice sees bob unavailable").isTrue();
        assertThat(aliceRoster.getPresence(bare("bob")).isAvailable()).isFalse();
    }

    @Test
    void stoppingTheConnectionManagerGivesEveryClientASystemShutdownStreamError() throws Exception {
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection bob = login("bob");
        CompletableFuture<Exception> aliceClosed = closedOnError(alice);
        CompletableFuture<Exception> bobClosed = closedOnError(bob);

        demo.connectionManager().stop();

        for (CompletableFuture<Exception> closed : List.of(aliceClosed, bobClosed)) {
            Exception error = closed.get(20, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(XMPPException.StreamErrorException.class);
            assertThat(((XMPPException.StreamErrorException) error).getStreamError().getCondition())
                    .isEqualTo(StreamError.Condition.system_shutdown);
        }
    }

    private static CompletableFuture<Exception> closedOnError(XMPPConnection connection) {
        CompletableFuture<Exception> closed = new CompletableFuture<>();
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                closed.complete(e);
            }

            @Override
            public void connectionClosed() {
                closed.completeExceptionally(new AssertionError("closed without a stream error"));
            }
        });
        return closed;
    }

    /** A roster listener that only cares about presence. */
    private record PresenceOnly(java.util.function.Consumer<Presence> onPresence) implements RosterListener {
        @Override
        public void entriesAdded(java.util.Collection<Jid> addresses) {
        }

        @Override
        public void entriesUpdated(java.util.Collection<Jid> addresses) {
        }

        @Override
        public void entriesDeleted(java.util.Collection<Jid> addresses) {
        }

        @Override
        public void presenceChanged(Presence presence) {
            onPresence.accept(presence);
        }
    }
}
