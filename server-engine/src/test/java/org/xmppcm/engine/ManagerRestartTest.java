package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.engine.testing.CmTestClient;
import org.xmppcm.protocol.cm.ManagerInstance;

/**
 * A manager that restarted (crash, SIGKILL, deploy) holds none of its former clients: the engine tells it from one
 * that only lost its links by the process named on its link headers, and ends the old process's sessions as soon as
 * the new one authenticates, instead of keeping them as ghosts for the grace period.
 */
class ManagerRestartTest extends EngineTestBase {
    private static final ManagerInstance FIRST = new ManagerInstance(1_000, "00000000000000a1");
    private static final ManagerInstance SECOND = new ManagerInstance(2_000, "00000000000000b2");

    private CmTestClient link(String to, ManagerInstance process) throws Exception {
        CmTestClient link = connect();
        link.authenticate(to, FakeHost.SECRET, process);
        return link;
    }

    @Test
    void aRestartedManagerEndsTheSessionsOfTheProcessBeforeItAtOnceAndKeepsTheirMessages() throws Exception {
        host.grace.set(Duration.ofSeconds(30));
        CmTestClient killed = link(CONN1, FIRST);
        FakeSession alice = createSession(killed, "a11cer01");
        killed.close(); // SIGKILL: the kernel closes the socket
        awaitNoLink();
        alice.channel.deliver(message("while it was down"));
        assertThat(alice.isClosed()).as("within the grace period the session waits").isFalse();

        long begin = System.nanoTime();
        CmTestClient restarted = link(CONN1, SECOND);
        assertThat(alice.awaitClosed()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("not at the end of the grace period")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(alice.awaitFailed().elementText("body")).as("held for it, so stored offline")
                .isEqualTo("while it was down");
        assertThat(alice.closedCalls).hasValue(1);
        // Nothing of the old client reaches the new process, which could only answer that it never heard of it.
        restarted.expectSilence(Duration.ofMillis(300));
        assertThat(engine.managers().get(0).sessionCount()).isZero();
    }

    @Test
    void aManagerThatOnlyLostItsLinksKeepsItsSessions() throws Exception {
        host.grace.set(Duration.ofSeconds(30));
        CmTestClient lost = link(CONN1, FIRST);
        FakeSession alice = createSession(lost, "a11cer02");
        lost.close();
        awaitNoLink();
        alice.channel.deliver(message("held"));

        CmTestClient back = link(CONN1, FIRST);
        Element route = back.next();
        assertThat(route.getName()).isEqualTo("route");
        assertThat(route.elements().get(0).elementText("body")).isEqualTo("held");
        assertThat(alice.isClosed()).isFalse();
    }

    @Test
    void aRestartReplacesTheLinksTheOldProcessLeftHalfOpen() throws Exception {
        host.grace.set(Duration.ofSeconds(30));
        CmTestClient halfOpen = link(CONN1, FIRST); // its host died: nothing tells the server the socket is gone
        FakeSession alice = createSession(halfOpen, "a11cer03");

        link(CONN1, SECOND); // same link name, accepted: the name belonged to the old process
        halfOpen.expectStreamErrorAndClose("conflict");
        assertThat(alice.awaitClosed()).isTrue();
        assertThat(engine.managers().get(0).links()).hasSize(1);
    }

    @Test
    void anOlderProcessIsRefusedWhileTheNewerOneIsConnected() throws Exception {
        CmTestClient current = link(CONN1, SECOND);
        FakeSession bob = createSession(current, "b0bcer04");

        CmTestClient stale = connect();
        stale.open(CONN2, FIRST);
        stale.send("<handshake>" + org.xmppcm.protocol.cm.Handshake.digest(stale.streamId(), FakeHost.SECRET)
                + "</handshake>");
        stale.expectStreamErrorAndClose("conflict");
        assertThat(bob.isClosed()).isFalse();
        assertThat(engine.managers().get(0).links()).hasSize(1);
    }

    @Test
    void linksOfOneProcessShareTheManagerAndANameOfItsConnectedAgainReplacesTheHalfOpenLink() throws Exception {
        host.grace.set(Duration.ofSeconds(30));
        CmTestClient frozen = link(CONN1, FIRST); // a NAT dropped it: the CM gave it up, the server saw nothing
        FakeSession alice = createSession(frozen, "a11cer05");
        link(CONN2, FIRST);
        assertThat(engine.managers().get(0).links()).hasSize(2);

        CmTestClient again = connect();
        Element pushed = again.authenticate(CONN1, FakeHost.SECRET, FIRST);

        assertThat(pushed.getName()).as("accepted at once (configuration pushed), not after the idle limit")
                .isEqualTo("iq");
        frozen.expectEof();
        assertThat(engine.managers().get(0).links()).hasSize(2).doesNotContainNull();
        assertThat(alice.isClosed()).as("a lost link's sessions wait for the CM, they do not end").isFalse();
    }

    @Test
    void aSecondLinkNameFromAManagerThatNamesNoProcessIsStillAConflict() throws Exception {
        CmTestClient first = connect();
        first.authenticate(CONN1, FakeHost.SECRET);
        CmTestClient duplicate = connect();
        duplicate.open(CONN1);
        duplicate.send("<handshake>" + org.xmppcm.protocol.cm.Handshake.digest(duplicate.streamId(), FakeHost.SECRET)
                + "</handshake>");
        duplicate.expectStreamErrorAndClose("conflict");
    }
}
