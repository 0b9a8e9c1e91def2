package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.engine.testing.CmTestClient;
import org.xmppcm.protocol.ack.AckElements;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Acknowledged links as a CM sees them on the wire: counting, {@code <r/>}/{@code <a/>}, taking a lost link over
 * with {@code <resume/>}, and the idle limit that finds a half-open link.
 */
class LinkTakeoverEngineTest extends EngineTestBase {

    private static String body(Element route) {
        return route.element("message").elementText("body");
    }

    @Test
    void theEngineAnswersARequestWithHowManyRoutesAndIqsItTook() throws Exception {
        CmTestClient link = connect();
        link.authenticateWithAcks(CONN1, FakeHost.SECRET); // our result to the configuration IQ: 1
        createSession(link, "a11ceak1"); // 2
        link.send(AckElements.REQUEST);
        StanzaFrame answer = link.nextFrame();
        assertThat(AckElements.is(answer, "a")).as(answer.asString()).isTrue();
        assertThat(AckElements.count(answer)).hasValue(2);
    }

    @Test
    void aLinkTakenOverSendsAgainWhatTheCmHadNotAcknowledgedInOrderAndNothingTwice() throws Exception {
        host.grace.set(Duration.ofSeconds(30)); // the manager's only link: its sessions wait for it meanwhile
        CmTestClient first = connect();
        first.authenticateWithAcks(CONN1, FakeHost.SECRET); // engine sent: configuration IQ (1)
        String lostId = first.streamId();
        FakeSession alice = createSession(first, "a11ceak2"); // engine sent: create result (2)
        for (int i = 0; i < 5; i++) {
            alice.channel.deliver(message("m" + i)); // 3..7
        }
        for (int i = 0; i < 5; i++) {
            assertThat(body(first.next())).isEqualTo("m" + i);
        }
        first.close(); // as a cut: the CM took m0..m4, but never said so
        awaitNoLinkNamed(CONN1);

        CmTestClient second = connect();
        second.authenticateWithAcks(CONN2, FakeHost.SECRET);
        alice.channel.deliver(message("while lost"));
        // The CM says it had the first 4 of the lost link: configuration, result, m0, m1.
        second.send(AckElements.resume(lostId, 4));
        StanzaFrame resumed = second.nextFrame();
        assertThat(AckElements.is(resumed, "resumed")).as(resumed.asString()).isTrue();
        assertThat(resumed.attribute("previd")).isEqualTo(lostId);
        assertThat(AckElements.count(resumed)).as("what the engine took of the lost link: result, create").hasValue(2);
        List<String> again = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            again.add(body(second.next()));
        }
        assertThat(again).containsExactly("m2", "m3", "m4", "while lost");
        alice.channel.deliver(message("after"));
        assertThat(body(second.next())).isEqualTo("after");
    }

    @Test
    void anUnknownLinkCannotBeTakenOver() throws Exception {
        CmTestClient link = connect();
        link.authenticateWithAcks(CONN1, FakeHost.SECRET);
        link.send(AckElements.resume("nosuchlink", 0));
        StanzaFrame failed = link.nextFrame();
        assertThat(AckElements.is(failed, "failed")).as(failed.asString()).isTrue();
        assertThat(failed.attribute("previd")).isEqualTo("nosuchlink");
    }

    @Test
    void whatNoLinkTookOverInTimeGoesBackToTheHost() throws Exception {
        host.idle.set(Duration.ofSeconds(1)); // also the floor of the takeover window
        CmTestClient first = connect();
        first.authenticateWithAcks(CONN1, FakeHost.SECRET);
        CmTestClient second = connect();
        second.authenticateWithAcks(CONN2, FakeHost.SECRET);
        FakeSession alice = createSession(first, "a11ceak3");
        alice.channel.deliver(message("unacknowledged"));
        first.close();
        Element back = alice.awaitFailed();
        assertThat(back.elementText("body")).isEqualTo("unacknowledged");
    }

    @Test
    void aLinkThatSendsNothingForTheIdleLimitIsTakenAsLost() throws Exception {
        host.idle.set(Duration.ofSeconds(1));
        CmTestClient link = connect();
        link.authenticate(CONN1, FakeHost.SECRET);
        long since = System.nanoTime();
        assertThat(link.endedWithin(Duration.ofSeconds(5))).as("closed by the engine").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - since)).isBetween(Duration.ofMillis(800),
                Duration.ofMillis(3000));
    }

    private void awaitNoLinkNamed(String connection) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && engine.managers().stream()
                .anyMatch(m -> m.links().stream().anyMatch(l -> connection.equals(l.connection())))) {
            Thread.sleep(10);
        }
    }
}
