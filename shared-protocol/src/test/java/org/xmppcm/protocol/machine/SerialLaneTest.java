package org.xmppcm.protocol.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

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

    /**
     * Without a pool: tasks run on threads that submit them (see {@link SerialLane.Limits#onCallerThread}), as a client
     * stream of the connection manager runs its events.
     */
    @Nested
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    class OnTheCallersThread {
        private final List<String> events = Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> started = new ArrayList<>();

        @AfterEach
        void joinThreads() throws InterruptedException {
            for (Thread thread : started) {
                thread.join(10_000);
            }
        }

        /** Starts a thread that submits a task which blocks until {@code release} opens; returns once it runs. */
        private Thread occupy(SerialLane lane, CountDownLatch release, String name) throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            Thread thread = new Thread(() -> lane.submit(() -> {
                events.add(name + " on " + Thread.currentThread().getName());
                running.countDown();
                await(release);
            }), name);
            started.add(thread);
            thread.start();
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            return thread;
        }

        private static void await(CountDownLatch latch) {
            try {
                assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        /** Verifies that a task submitted to an idle lane has run, on the submitting thread, when submit returns. */
        @Test
        void anIdleLaneRunsTheTaskOnTheSubmittingThreadAtOnce() {
            RecordingSession lane = new RecordingSession(SerialLane.Limits.onCallerThread(1, 1000));

            assertThat(lane.submit(() -> events.add("task on " + Thread.currentThread().getName()))).isTrue();

            assertThat(events).containsExactly("task on " + Thread.currentThread().getName());
            assertThat(lane.calls).as("nothing waited, so the source was never paused").isEmpty();
            assertThat(lane.pending()).isZero();
        }

        /**
         * Verifies that a submit while another thread runs the lane only queues, and that the thread running it then
         * runs the queued tasks, in order, before it leaves.
         */
        @Test
        void aBusyLaneQueuesForTheThreadAlreadyRunningIt() throws Exception {
            RecordingSession lane = new RecordingSession(SerialLane.Limits.onCallerThread(100, 1000));
            CountDownLatch release = new CountDownLatch(1);
            Thread link = occupy(lane, release, "link");

            lane.submit(() -> events.add("first on " + Thread.currentThread().getName()));
            lane.submit(() -> events.add("second on " + Thread.currentThread().getName()));

            assertThat(events).containsExactly("link on link");
            assertThat(lane.pending()).isEqualTo(2);
            release.countDown();
            link.join(10_000);
            assertThat(events).containsExactly("link on link", "first on link", "second on link");
            assertThat(lane.pending()).isZero();
        }

        /**
         * Verifies strict FIFO: a task submitted from inside a running task waits behind what other threads queued before
         * it, instead of running inline ahead of them.
         */
        @Test
        void aSubmitFromInsideARunningTaskIsQueuedBehindWhatWaitsAlready() {
            SerialLane lane = new SerialLane(SerialLane.Limits.onCallerThread(100, 1000));

            lane.submit(() -> {
                events.add("outer");
                Thread other = new Thread(() -> lane.submit(() -> events.add("queued by another thread")));
                other.start();
                try {
                    other.join(10_000);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                lane.submit(() -> events.add("submitted from inside"));
                events.add("outer done");
            });

            assertThat(events).containsExactly("outer", "outer done", "queued by another thread", "submitted from inside");
        }

        /**
         * Verifies that a waiting task pauses the source, and that the source is resumed only once the task that emptied
         * the queue has finished: a task that puts a TLS layer in must be done before the socket is read again.
         */
        @Test
        void theSourceResumesOnlyAfterTheLastWaitingTaskHasRun() throws Exception {
            RecordingSession lane = new RecordingSession(SerialLane.Limits.onCallerThread(1, 1000));
            CountDownLatch release = new CountDownLatch(1);
            Thread link = occupy(lane, release, "link");
            AtomicReference<List<String>> callsWhileRunning = new AtomicReference<>();

            lane.submit(() -> callsWhileRunning.set(List.copyOf(lane.calls)));

            assertThat(lane.calls).containsExactly("pause");
            assertThat(lane.isPaused()).isTrue();
            release.countDown();
            link.join(10_000);
            assertThat(callsWhileRunning.get()).as("still paused while the queued task events").containsExactly("pause");
            assertThat(lane.calls).containsExactly("pause", "resume");
            assertThat(lane.isPaused()).isFalse();
        }

        /** Verifies that submitAndWait returns only once its task has run, on the thread that was running the lane. */
        @Test
        void submitAndWaitReturnsOnceTheTaskHasRunOnTheLanesThread() throws Exception {
            SerialLane lane = new SerialLane(SerialLane.Limits.onCallerThread(100, 1000));
            CountDownLatch release = new CountDownLatch(1);
            occupy(lane, release, "io");
            AtomicInteger waited = new AtomicInteger();
            Thread waiter = new Thread(() -> {
                lane.submitAndWait(() -> events.add("delivery on " + Thread.currentThread().getName()));
                waited.incrementAndGet();
            }, "waiter");
            started.add(waiter);
            waiter.start();
            while (lane.pending() == 0) {
                Thread.onSpinWait();
            }

            assertThat(waited).as("still waiting for the lane").hasValue(0);
            release.countDown();
            waiter.join(10_000);
            assertThat(waited).hasValue(1);
            assertThat(events).containsExactly("io on io", "delivery on io");
        }

        /** Verifies that a task cannot wait for a later task of its own lane (it would wait forever). */
        @Test
        void aTaskWaitingForItsOwnLaneIsRefused() {
            SerialLane lane = new SerialLane(SerialLane.Limits.onCallerThread(100, 1000));
            AtomicReference<Throwable> thrown = new AtomicReference<>();

            lane.submit(() -> {
                try {
                    lane.submitAndWait(() -> events.add("never"));
                } catch (IllegalStateException e) {
                    thrown.set(e);
                }
            });

            assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
            assertThat(events).isEmpty();
        }

        /** Verifies that after a task failed with an Error, the next submit runs what still waited first, in order. */
        @Test
        void anErrorOutOfATaskLeavesTheQueueToTheNextSubmitInOrder() throws Exception {
            SerialLane lane = new SerialLane(SerialLane.Limits.onCallerThread(100, 1000));
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch queued = new CountDownLatch(1);
            Thread failing = new Thread(() -> {
                try {
                    lane.submit(() -> {
                        running.countDown();
                        await(queued);
                        throw new AssertionError("broken");
                    });
                } catch (AssertionError expected) {
                    events.add("failed");
                }
            }, "failing");
            started.add(failing);
            failing.start();
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            lane.submit(() -> events.add("a"));
            lane.submit(() -> events.add("b"));
            queued.countDown();
            failing.join(10_000);
            assertThat(events).as("left waiting by the failed drain").containsExactly("failed");

            lane.submit(() -> events.add("c"));

            assertThat(events).containsExactly("failed", "a", "b", "c");
        }

        /** Verifies that a task that throws is logged and the ones queued behind it still run. */
        @Test
        void aFailingTaskDoesNotStopTheTasksBehindIt() {
            SerialLane lane = new SerialLane(SerialLane.Limits.onCallerThread(100, 1000));

            lane.submit(() -> {
                lane.submit(() -> events.add("behind"));
                throw new IllegalStateException("broken");
            });

            assertThat(events).containsExactly("behind");
        }

        /** Verifies that after the last task nothing is taken, also on the caller's thread. */
        @Test
        void nothingRunsAfterTheLastTask() {
            SerialLane lane = new SerialLane(SerialLane.Limits.onCallerThread(100, 1000));

            assertThat(lane.submitLast(() -> events.add("last"))).isTrue();

            assertThat(lane.submit(() -> events.add("later"))).isFalse();
            assertThat(events).containsExactly("last");
        }

        /** Verifies that many threads submitting at once never overlap and each thread's tasks keep their order. */
        @Test
        void concurrentSubmittersNeverOverlapAndKeepTheirOwnOrder() throws Exception {
            SerialLane lane = new SerialLane(SerialLane.Limits.onCallerThread(1, Integer.MAX_VALUE));
            AtomicInteger running = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            List<List<Integer>> seen = new ArrayList<>();
            int threads = 4;
            for (int t = 0; t < threads; t++) {
                seen.add(new ArrayList<>());
            }
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread thread = new Thread(() -> {
                    await(go);
                    for (int i = 0; i < 5000; i++) {
                        int n = i;
                        lane.submit(() -> {
                            if (running.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            seen.get(id).add(n); // unsynchronized on purpose: safe only if tasks never overlap
                            running.decrementAndGet();
                        });
                    }
                });
                started.add(thread);
                thread.start();
            }
            go.countDown();
            for (Thread thread : started) {
                thread.join(20_000);
            }
            lane.submitAndWait(() -> { }); // everything queued before has run

            assertThat(overlaps).hasValue(0);
            for (List<Integer> one : seen) {
                assertThat(one).hasSize(5000).isSorted();
            }
        }

        /** Verifies that a caller-thread lane needs no pool and says so if asked for one. */
        @Test
        void aCallerThreadLaneHasNoPool() {
            SerialLane.Limits limits = SerialLane.Limits.onCallerThread(1, 1);

            assertThatThrownBy(() -> limits.executor().execute(() -> { })).isInstanceOf(IllegalStateException.class);
        }
    }
}
