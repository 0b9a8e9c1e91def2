package org.xmppcm.protocol.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialLaneTest {
    /** A pool that runs nothing until told: the test decides when the session's drain runs. */
    private static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> scheduled = new ArrayDeque<>();
        boolean refuse;

        @Override
        public void execute(Runnable command) {
            if (refuse) {
                throw new RejectedExecutionException("shut down");
            }
            scheduled.add(command);
        }

        void runAll() {
            while (!scheduled.isEmpty()) {
                scheduled.poll().run();
            }
        }
    }

    private final ManualExecutor pool = new ManualExecutor();
    private final List<Integer> ran = new ArrayList<>();

    /** Verifies that tasks run in submission order, and that only one drain is scheduled for a burst. */
    @Test
    void runsInOrderWithOneDrain() {
        // Setup test fixture.
        final SerialLane dispatcher = new SerialLane(new SerialLane.Limits(pool, 10, 10));

        // Execute system under test.
        for (int i = 0; i < 5; i++) {
            final int n = i;
            assertThat(dispatcher.submit(() -> ran.add(n))).isTrue();
        }

        // Verify results.
        assertThat(pool.scheduled).hasSize(1);
        assertThat(ran).isEmpty(); // nothing runs on the submitting (engine I/O) thread
        pool.runAll();
        assertThat(ran).containsExactly(0, 1, 2, 3, 4);
        assertThat(dispatcher.pending()).isZero();
    }

    /** Verifies that beyond the bound submit says false and the task never runs. */
    @Test
    void refusesBeyondTheBound() {
        final SerialLane dispatcher = new SerialLane(new SerialLane.Limits(pool, 2, 2));

        assertThat(dispatcher.submit(() -> ran.add(1))).isTrue();
        assertThat(dispatcher.submit(() -> ran.add(2))).isTrue();
        assertThat(dispatcher.submit(() -> ran.add(3))).isFalse();
        pool.runAll();

        assertThat(ran).containsExactly(1, 2);
    }

    /** A session that is its own dispatcher, as Openfire's are, recording what the dispatcher asks of it. */
    private static final class RecordingSession extends SerialLane {
        final List<String> calls = new ArrayList<>();

        RecordingSession(Limits limits) {
            super(limits);
        }

        @Override
        protected void pauseSource() {
            calls.add("pause");
        }

        @Override
        protected void resumeSource() {
            calls.add("resume");
        }
    }

    /**
     * Verifies that a long queue pauses its source once, accepts what is still on its way (nothing is dropped), and
     * resumes it when worked down to a quarter.
     */
    @Test
    void aLongQueuePausesItsSourceAndResumesItWhenWorkedDown() {
        final RecordingSession dispatcher = new RecordingSession(new SerialLane.Limits(pool, 8, 100));

        for (int i = 0; i < 7; i++) {
            final int n = i;
            assertThat(dispatcher.submit(() -> ran.add(n))).isTrue();
        }
        assertThat(dispatcher.calls).isEmpty();
        for (int i = 7; i < 20; i++) {
            final int n = i;
            assertThat(dispatcher.submit(() -> ran.add(n))).as("in flight when the pause was asked").isTrue();
        }
        assertThat(dispatcher.calls).containsExactly("pause");
        assertThat(dispatcher.isPaused()).isTrue();

        pool.runAll();

        assertThat(ran).hasSize(20).isSorted();
        assertThat(dispatcher.calls).containsExactly("pause", "resume");
        assertThat(dispatcher.isPaused()).isFalse();
    }

    /** Verifies that a session ending while paused releases its source: it would otherwise stay paused for good. */
    @Test
    void theLastTaskReleasesAPausedSource() {
        final RecordingSession dispatcher = new RecordingSession(new SerialLane.Limits(pool, 2, 100));
        dispatcher.submit(() -> ran.add(1));
        dispatcher.submit(() -> ran.add(2));
        assertThat(dispatcher.calls).containsExactly("pause");

        dispatcher.submitLast(() -> ran.add(99));

        assertThat(dispatcher.calls).containsExactly("pause", "resume");
        pool.runAll();
        assertThat(ran).containsExactly(1, 2, 99);
        assertThat(dispatcher.calls).as("resumed once").containsExactly("pause", "resume");
    }

    /** Verifies that the last task gets in even when full, runs after the pending ones, and seals the dispatcher. */
    @Test
    void lastTaskRunsAfterPendingWorkAndSeals() {
        final SerialLane dispatcher = new SerialLane(new SerialLane.Limits(pool, 1, 1));
        dispatcher.submit(() -> ran.add(1));

        assertThat(dispatcher.submitLast(() -> ran.add(99))).isTrue();
        assertThat(dispatcher.submit(() -> ran.add(2))).isFalse();
        assertThat(dispatcher.submitLast(() -> ran.add(100))).isFalse();
        pool.runAll();

        assertThat(ran).containsExactly(1, 99);
    }

    /** Verifies that a failing task is logged and the next one still runs. */
    @Test
    void aFailingTaskDoesNotStopTheQueue() {
        final SerialLane dispatcher = new SerialLane(new SerialLane.Limits(pool, 10, 10));
        dispatcher.submit(() -> {
            throw new IllegalStateException("Openfire failed");
        });
        dispatcher.submit(() -> ran.add(2));

        pool.runAll();

        assertThat(ran).containsExactly(2);
    }

    /** Verifies that a long queue yields its pool thread after a batch and continues in order. */
    @Test
    void yieldsAfterABatch() {
        final SerialLane dispatcher = new SerialLane(new SerialLane.Limits(pool, 1000, 1000));
        for (int i = 0; i < SerialLane.BATCH + 3; i++) {
            final int n = i;
            dispatcher.submit(() -> ran.add(n));
        }

        pool.scheduled.poll().run(); // the first drain

        assertThat(ran).hasSize(SerialLane.BATCH);
        assertThat(pool.scheduled).hasSize(1); // rescheduled, not continued
        pool.runAll();
        assertThat(ran).hasSize(SerialLane.BATCH + 3).isSorted();
    }

    /** Verifies that a pool that is shutting down does not lose work: it runs on the caller's thread. */
    @Test
    void runsOnTheCallerWhenThePoolRefuses() {
        pool.refuse = true;
        final SerialLane dispatcher = new SerialLane(new SerialLane.Limits(pool, 10, 10));

        assertThat(dispatcher.submitLast(() -> ran.add(7))).isTrue();

        assertThat(ran).containsExactly(7);
    }

    /** Verifies that a task submitted after the queue drained starts a new drain. */
    @Test
    void startsAgainAfterDraining() {
        final SerialLane dispatcher = new SerialLane(new SerialLane.Limits(pool, 10, 10));
        dispatcher.submit(() -> ran.add(1));
        pool.runAll();

        dispatcher.submit(() -> ran.add(2));

        assertThat(pool.scheduled).hasSize(1);
        pool.runAll();
        assertThat(ran).containsExactly(1, 2);
    }

    /** Verifies that on a real pool one session's tasks never overlap and keep their order. */
    @Test
    void neverOverlapsOnARealPool() throws Exception {
        final ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            final SerialLane dispatcher = new SerialLane(new SerialLane.Limits(threads, 10_000, 10_000));
            final AtomicInteger running = new AtomicInteger();
            final AtomicInteger overlaps = new AtomicInteger();
            final List<Integer> order = new ArrayList<>();
            final CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < 2000; i++) {
                final int n = i;
                dispatcher.submit(() -> {
                    if (running.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    order.add(n); // unsynchronized on purpose: safe only if tasks never overlap
                    running.decrementAndGet();
                });
            }
            dispatcher.submitLast(done::countDown);

            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).hasValue(0);
            assertThat(order).hasSize(2000).isSorted();
        } finally {
            threads.shutdownNow();
        }
    }

    /** Verifies the bound is validated. */
    @Test
    void boundMustBePositive() {
        assertThatThrownBy(() -> new SerialLane(new SerialLane.Limits(pool, 0, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SerialLane.Limits(pool, 10, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
