package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.roster.Roster;
import org.jxmpp.jid.impl.JidCreate;

/** Real Smack clients logged in to the demo server through its CM, for tests; closes them all at the end. */
final class DemoClients implements AutoCloseable {
    private final DemoMode demo;
    private final List<XMPPTCPConnection> connections = new ArrayList<>();

    DemoClients(DemoMode demo) {
        this.demo = demo;
    }

    /** Waits until the CM has {@code count} ready links. */
    void awaitLinks(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (demo.connectionManager().readyLinkCount() < count) {
            assertThat(System.nanoTime()).as(count + " links ready").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** {@code user} (password = user name) logged in over plain TCP with {@code resource}. */
    XMPPTCPConnection login(String user, String resource) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(DemoMode.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(demo.connectionManager().clientPort())
                .setSecurityMode(SecurityMode.disabled) // the clients' side is not what these tests are about
                .setUsernameAndPassword(user, user)
                .setResource(resource)
                .setConnectTimeout(10_000)
                .build());
        connection.setReplyTimeout(10_000);
        connections.add(connection);
        connection.connect().login();
        return connection;
    }

    static void awaitAvailable(XMPPTCPConnection connection, String contact) throws Exception {
        Roster roster = Roster.getInstanceFor(connection);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!roster.getPresence(JidCreate.bareFrom(contact)).isAvailable()) {
            assertThat(System.nanoTime()).as(contact + " online").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        connections.forEach(XMPPTCPConnection::instantShutdown);
    }
}
