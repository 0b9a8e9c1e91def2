package org.xmppcm.cm.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmppcm.cm.link.Outage.Clients;
import org.xmppcm.cm.link.Outage.State;
import org.xmppcm.protocol.testing.GraphDiagrams;

/**
 * The outage graph driven by the events the pool hands it, with a fake clock: what the pool is told to do with its
 * clients when links go and come back, and when the grace period runs out.
 */
class OutageTest {
    private final FakeClock clock = new FakeClock();
    private Duration grace = Duration.ofSeconds(20);
    private int graceOvers;
    private final Outage<String> outage = new Outage<>(clock, () -> grace, () -> graceOvers++);

    @Test
    void aLinkBackWithinTheGracePeriodAsksAfterTheSessionsAndIsUpOnceAllAreAnswered() {
        assertThat(outage.linkReady()).as("the first link is not a return").isFalse();
        assertThat(outage.state()).isEqualTo(State.UP);

        assertThat(outage.noLinkLeft(false)).isEqualTo(Clients.HELD);
        assertThat(outage.state()).isEqualTo(State.GRACE);
        assertThat(outage.isOffline()).isTrue();
        assertThat(outage.rememberClose("gone")).isTrue();
        clock.advance(Duration.ofSeconds(19));
        assertThat(outage.state()).isEqualTo(State.GRACE);

        assertThat(outage.linkReady()).as("back: closes told, sessions asked after").isTrue();
        assertThat(outage.state()).isEqualTo(State.PROBING);
        assertThat(outage.takeClosedWhileOffline()).containsExactly("gone");
        outage.asking(List.of("a", "b"), "link2");
        outage.answered("a");
        assertThat(outage.state()).isEqualTo(State.PROBING);
        outage.answered("b");
        assertThat(outage.state()).isEqualTo(State.UP);

        clock.advance(Duration.ofMinutes(1));
        assertThat(graceOvers).as("the timer was cancelled").isZero();
        assertThat(outage.rememberClose("later")).as("a link is up: told at once").isFalse();
    }

    @Test
    void whenNoLinkComesBackInTimeTheClientsAreClosedOnceAndTheServerHearsOfClosesLater() {
        outage.linkReady();
        outage.noLinkLeft(false);
        clock.advance(Duration.ofSeconds(20));
        assertThat(outage.state()).isEqualTo(State.GRACE_OVER);
        assertThat(graceOvers).isEqualTo(1);
        assertThat(outage.isOffline()).isTrue();
        assertThat(outage.rememberClose("closed meanwhile")).isTrue();

        assertThat(outage.linkReady()).isTrue();
        assertThat(outage.takeClosedWhileOffline()).containsExactly("closed meanwhile");
        outage.asking(List.of(), "link2");
        assertThat(outage.state()).as("nobody to ask after").isEqualTo(State.UP);
        assertThat(graceOvers).isEqualTo(1);
    }

    @Test
    void withoutAGracePeriodOrAfterTheServersShutdownTheClientsAreClosedAtOnce() {
        outage.linkReady();
        assertThat(outage.noLinkLeft(true)).as("system-shutdown").isEqualTo(Clients.CLOSE);
        assertThat(outage.state()).isEqualTo(State.NO_LINK);
        assertThat(outage.isOffline()).isFalse();

        outage.linkReady();
        grace = Duration.ZERO;
        assertThat(outage.noLinkLeft(false)).isEqualTo(Clients.CLOSE);
        assertThat(outage.state()).isEqualTo(State.NO_LINK);
        assertThat(clock.pending).as("no timer").isEmpty();
        assertThat(outage.linkReady()).as("nothing was held").isFalse();
    }

    @Test
    void aLinkThatFailsBeforeAnyWasReadyStillStartsTheGracePeriod() {
        assertThat(outage.noLinkLeft(false)).isEqualTo(Clients.HELD);
        assertThat(outage.noLinkLeft(false)).as("already holding").isEqualTo(Clients.UNCHANGED);
        assertThat(clock.pending).hasSize(1);
    }

    @Test
    void aRefusalWhileClientsAreHeldEndsTheGracePeriodAtOnce() {
        outage.linkReady();
        outage.noLinkLeft(false);
        assertThat(outage.refusedWhileOffline()).isTrue();
        assertThat(outage.state()).isEqualTo(State.GRACE_OVER);
        clock.advance(Duration.ofMinutes(1));
        assertThat(graceOvers).as("the pool closes them; the timer does not again").isZero();
    }

    @Test
    void aLostAcknowledgedLinkIsAskedForOnceAndAgainWhenTheLinkAskedGoesToo() {
        outage.linkReady();
        outage.linkLost("lost1", "link1");
        assertThat(outage.state()).isEqualTo(State.TAKEOVER);
        assertThat(outage.takeoversToAsk("link2")).containsExactly("link1");
        assertThat(outage.takeoversToAsk("link3")).as("asked already").isEmpty();

        assertThat(outage.takeoversAskedOnLost("link2")).isTrue();
        assertThat(outage.takeoversToAsk("link3")).containsExactly("link1");

        assertThat(outage.takeLost("lost1")).isEqualTo("link1");
        assertThat(outage.takeLost("lost1")).as("decided once").isNull();
        outage.settled();
        assertThat(outage.state()).isEqualTo(State.UP);
    }

    @Test
    void aRefusedTakeoverAsksAfterTheLostLinksSessionsAndGoesBackToWaitingForTheOtherTakeover() {
        outage.linkReady();
        outage.linkLost("lost1", "link1");
        outage.linkLost("lost2", "link2");
        outage.takeLost("lost1");
        outage.asking(List.of("c1"), "link3");
        outage.settled();
        assertThat(outage.state()).isEqualTo(State.PROBING);
        outage.answered("c1");
        assertThat(outage.state()).as("lost2 still waits").isEqualTo(State.TAKEOVER);
        outage.takeLost("lost2");
        outage.settled();
        assertThat(outage.state()).isEqualTo(State.UP);
    }

    @Test
    void sessionsAskedAfterOnALinkThatWentAreAskedAgain() {
        outage.linkReady();
        outage.asking(List.of("c1", "c2"), "link1");
        outage.answered("c1");
        assertThat(outage.probesAskedOnLost("link1")).containsExactly("c2");
        outage.asking(List.of("c2"), "link2");
        assertThat(outage.probesAskedOnLost("link1")).isEmpty();
        outage.answered("c2");
        assertThat(outage.state()).isEqualTo(State.UP);
    }

    @Test
    void closingTheClientsGivesUpEveryLostLinkAndEveryQuestion() {
        outage.linkReady();
        outage.linkLost("lost1", "link1");
        outage.asking(List.of("c1"), "link2");
        outage.noLinkLeft(false);
        clock.advance(Duration.ofSeconds(20));
        assertThat(outage.clientsClosed()).containsExactly("link1");
        assertThat(outage.linkReady()).isTrue();
        outage.asking(List.of(), "link3");
        assertThat(outage.state()).as("nothing left waiting").isEqualTo(State.UP);
    }

    @Test
    void stoppingCancelsTheGracePeriodAndHoldsNothing() {
        outage.linkReady();
        outage.noLinkLeft(false);
        outage.stop();
        assertThat(outage.state()).isEqualTo(State.STOPPING);
        assertThat(outage.isOffline()).isFalse();
        assertThat(outage.noLinkLeft(false)).isEqualTo(Clients.UNCHANGED);
        assertThat(outage.linkReady()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(graceOvers).isZero();
    }

    @Test
    void theGraphMatchesItsCommittedDiagram() {
        GraphDiagrams.assertMatchesCommittedDiagram(Outage.GRAPH);
    }

    /** Runs what is due when the test moves time on; cancelled tasks never run. */
    private static final class FakeClock implements Outage.Scheduler {
        private record Task(long due, Runnable task) {
        }

        final List<Task> pending = new ArrayList<>();
        private long now;

        @Override
        public Runnable schedule(Runnable task, Duration delay) {
            Task scheduled = new Task(now + delay.toMillis(), task);
            pending.add(scheduled);
            return () -> pending.remove(scheduled);
        }

        void advance(Duration by) {
            now += by.toMillis();
            for (Task task : List.copyOf(pending)) {
                if (task.due() <= now && pending.remove(task)) {
                    task.task().run();
                }
            }
        }
    }
}
