package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackConfiguration;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jxmpp.jid.impl.JidCreate;
import org.xmppcm.cm.client.ClientStream;
import org.xmppcm.protocol.cm.TlsPolicy;

/**
 * Real Smack 4.4 clients log in through the CM over STARTTLS (required by the server), over the
 * direct TLS port, and with zlib on top of TLS, and chat. The clients trust only the test
 * certificate and check its name, as a real deployment's clients would.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmackOverTlsAndZlibTest {
    private static final int MESSAGES = 300;

    private DemoMode demo;
    private final List<XMPPTCPConnection> connections = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        SmackConfiguration.DEBUG = false;
        demo = DemoMode.start(0, s -> s.withClientSecurity(TestCertificates.keystoreWithDirectTls()),
                TestCertificates.pushed(TlsPolicy.REQUIRED));
    }

    @AfterEach
    void stop() {
        connections.forEach(XMPPTCPConnection::instantShutdown);
        demo.stop();
    }

    private XMPPTCPConnection login(String user, UnaryOperator<XMPPTCPConnectionConfiguration.Builder> how) throws Exception {
        XMPPTCPConnectionConfiguration.Builder builder = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(DemoMode.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(demo.connectionManager().clientPort())
                // Smack 4.4 re-initializes a custom SSLContext with its own trust managers: give it ours.
                .setCustomX509TrustManager(TestCertificates.trustManager("localhost.crt"))
                .setSecurityMode(SecurityMode.required)
                .setUsernameAndPassword(user, user)
                .setResource("tls")
                .setConnectTimeout(10_000);
        XMPPTCPConnection connection = new XMPPTCPConnection(how.apply(builder).build());
        connection.setReplyTimeout(10_000);
        connections.add(connection);
        connection.connect().login();
        return connection;
    }

    @Test
    void clientsLogInOverRequiredStartTlsAndChat() throws Exception {
        XMPPTCPConnection alice = login("alice", b -> b);
        XMPPTCPConnection bob = login("bob", b -> b);
        assertThat(alice.isSecureConnection()).isTrue();
        assertThat(bob.isSecureConnection()).isTrue();
        assertThat(allClientsSecured()).isTrue();
        chat(alice, bob);
    }

    @Test
    void clientsLogInOnTheDirectTlsPortAndChat() throws Exception {
        SSLContext tls = TestCertificates.trustingTestCertificate();
        // Smack 4.4 has no direct TLS mode: a TLS socket factory gives it a socket that is TLS
        // from the first byte, and it must not try STARTTLS on top (the CM does not offer it there).
        UnaryOperator<XMPPTCPConnectionConfiguration.Builder> direct = b -> b
                .setPort(demo.connectionManager().directTlsPort())
                .setSocketFactory(tls.getSocketFactory())
                .setSecurityMode(SecurityMode.disabled);
        XMPPTCPConnection alice = login("alice", direct);
        XMPPTCPConnection bob = login("bob", direct);
        assertThat(allClientsSecured()).as("the CM sees both streams secured").isTrue();
        chat(alice, bob);
    }

    @Test
    void clientsCompressOverStartTlsAndChat() throws Exception {
        XMPPTCPConnection alice = login("alice", b -> b.setCompressionEnabled(true));
        XMPPTCPConnection bob = login("bob", b -> b.setCompressionEnabled(true));
        assertThat(alice.isUsingCompression()).isTrue();
        assertThat(bob.isUsingCompression()).isTrue();
        assertThat(demo.connectionManager().registry().snapshot()).allMatch(ClientStream::isCompressed);
        assertThat(demo.connectionManager().metrics().getClientsOnTls()).as("TLS clients in the metrics").isEqualTo(2);
        assertThat(demo.connectionManager().metrics().getClientsCompressed()).as("zlib clients in the metrics").isEqualTo(2);
        chat(alice, bob);
    }

    private static void awaitAvailable(XMPPTCPConnection connection, String contact) throws Exception {
        Roster roster = Roster.getInstanceFor(connection);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!roster.getPresence(JidCreate.bareFrom(contact)).isAvailable()) {
            assertThat(System.nanoTime()).as(contact + " online").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private boolean allClientsSecured() {
        var clients = demo.connectionManager().registry().snapshot();
        return !clients.isEmpty() && clients.stream().allMatch(ClientStream::isSecured);
    }

    /**
     * Both send {@value #MESSAGES} messages; each receives the other's, complete and in order.
     * First each waits to see the other online, as a person would: a message sent before that
     * goes to the demo server's offline store and comes back with a {@code <delay/>} that
     * Smack's core parser (without smack-extensions, and with assertions on) trips over.
     */
    private static void chat(XMPPTCPConnection alice, XMPPTCPConnection bob) throws Exception {
        awaitAvailable(alice, "bob@localhost");
        awaitAvailable(bob, "alice@localhost");
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
        for (int i = 0; i < MESSAGES; i++) {
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.entityBareFrom("bob@localhost"))
                    .ofType(Message.Type.chat).setBody("to bob " + i + " <&> ü€").build());
            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(JidCreate.entityBareFrom("alice@localhost"))
                    .ofType(Message.Type.chat).setBody("to alice " + i + " <&> ü€").build());
        }
        assertThat(arrived.await(60, TimeUnit.SECONDS)).as("all messages arrived").isTrue();
        List<String> toBob = new ArrayList<>();
        List<String> toAlice = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            toBob.add("to bob " + i + " <&> ü€");
            toAlice.add("to alice " + i + " <&> ü€");
        }
        assertThat(bobGot).containsExactlyElementsOf(toBob);
        assertThat(aliceGot).containsExactlyElementsOf(toAlice);
    }
}
