package org.xmppcm.protocol.machine;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one client session's work in submission order, one task at a time, on a shared pool. The engine hands the
 * host a session's input on its link I/O threads; Openfire may block while handling it (database, roster, offline
 * storage), and one blocked I/O thread would stall every client on that link. So the adapter queues per session and
 * lets a pool do Openfire's part, keeping each client's order and never blocking the engine.
 *
 * <p>Flow control: once {@code pauseAt} tasks wait, the dispatcher asks its source to pause ({@link #pauseSource}: for
 * a client, the engine then stops reading its link, and TCP slows the connection manager down), and asks it to
 * resume once the queue is down to a quarter of that; so a client sending faster than Openfire takes its input is slowed
 * down, not disconnected, and nothing it sent is dropped. {@code maxPending} is only a safety bound above what the
 * pause lets arrive: {@link #submit} says false beyond it. {@link #submitLast} always queues, and nothing is accepted
 * after it: that is how a session's end runs after its pending input. A drain runs at most {@value #BATCH} tasks
 * before yielding its pool thread, so one busy client cannot starve the others. A task that throws is logged and the
 * next one runs.
 *
 * <p>On the caller's thread ({@link Limits#onCallerThread}): no pool. A submit to an idle lane runs its task at once on
 * the submitting thread, which then runs whatever other threads queued meanwhile, until nothing is left; a submit while
 * the lane is busy only queues, for the thread already running it. So every task still runs alone and in submission
 * order: a task submitted from inside a running task is queued behind what waits already, never run ahead of it. The
 * source is paused as above and resumed only once the task that brought the queue down has finished, not when it is
 * taken: a task that changes how the source is read (a TLS layer put in) is done before the next read.
 */
public class SerialLane {
    static final int BATCH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(SerialLane.class);

    /**
     * What every dispatcher of a pool shares: one object, not fields in each (there is one dispatcher for every client).
     *
     * @param executor the shared pool
     * @param pauseAt waiting tasks at which the source is asked to pause (and to resume at a quarter of it)
     * @param maxPending waiting tasks beyond which {@link #submit} refuses, at least {@code pauseAt}
     */
    public record Limits(Executor executor, int pauseAt, int maxPending) {
        public Limits {
            Objects.requireNonNull(executor, "executor");
            if (pauseAt < 1 || maxPending < pauseAt) {
                throw new IllegalArgumentException("need 1 <= pauseAt <= maxPending: " + pauseAt + ", " + maxPending);
            }
        }

        /** Lanes without a pool: each task runs on a thread that submitted to the lane (see the class comment). */
        public static Limits onCallerThread(int pauseAt, int maxPending) {
            return new Limits(CALLER_THREAD, pauseAt, maxPending);
        }

        boolean runsOnCallerThread() {
            return executor == CALLER_THREAD;
        }
    }

    /** Marks {@link Limits#onCallerThread}; never asked to run anything. */
    private static final Executor CALLER_THREAD = task -> {
        throw new IllegalStateException("a caller-thread lane has no pool");
    };

    private final Limits limits;
    // All guarded by this.
    private boolean paused;
    /** Null while nothing waits: most sessions are idle most of the time, and an empty deque costs ~100 bytes. */
    private ArrayDeque<Runnable> queue;
    private boolean draining; // a drain is scheduled or running
    private boolean sealed; // submitLast was called
    /** The thread running this lane's tasks now, if any: it must never wait for one of them. */
    private Thread drainer;

    /**
     * A dispatcher that never slows its source down. A class that is its own session's dispatcher (one object per
     * client instead of two) overrides {@link #pauseSource()} and {@link #resumeSource()}, and its {@code toString}
     * names it in log lines.
     */
    public SerialLane(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Asks the source to stop sending; called with this dispatcher's lock held, so it must not call back. */
    protected void pauseSource() {
    }

    /** Asks the source to send again; called with this dispatcher's lock held. */
    protected void resumeSource() {
    }

    /** Whether the source is asked to pause now. */
    public synchronized boolean isPaused() {
        return paused;
    }

    /** Queues a task. False when full or sealed; the task is then not run. */
    public boolean submit(Runnable task) {
        return enqueue(task, false);
    }

    /** Queues the last task regardless of the bound; later submits are refused. False only when already sealed. */
    public boolean submitLast(Runnable task) {
        return enqueue(task, true);
    }

    /** Tasks waiting (not counting a running one). */
    public synchronized int pending() {
        return queue == null ? 0 : queue.size();
    }

    /**
     * Runs {@code task} in this lane and returns once it has run (or thrown); false, without running it, when
     * {@link #submit} refuses it. The caller waits for every task queued before it, so it must hold no lock that one of
     * them may need, and must not be a thread that such a task waits for (an I/O thread whose own lock a task's write
     * takes): only a thread that merely waits is safe. Calling it from inside a task of this lane would wait forever,
     * and throws instead.
     */
    public boolean submitAndWait(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (this) {
            if (drainer == Thread.currentThread()) {
                throw new IllegalStateException("a task of " + this + " cannot wait for a later one");
            }
        }
        Completion completion = new Completion(task);
        if (!submit(completion)) {
            return false;
        }
        completion.await();
        return true;
    }

    /** A task that tells a waiting thread it has run. */
    private static final class Completion implements Runnable {
        private final Runnable task;
        private boolean done;

        Completion(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            try {
                task.run();
            } finally {
                synchronized (this) {
                    done = true;
                    notifyAll();
                }
            }
        }

        synchronized void await() {
            boolean interrupted = false;
            while (!done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the task runs anyway: give up waiting for it only once it has
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean enqueue(Runnable task, boolean last) {
        Objects.requireNonNull(task, "task");
        boolean runHere;
        synchronized (this) {
            if (sealed || !last && queue != null && queue.size() >= limits.maxPending()) {
                return false;
            }
            sealed = last;
            runHere = limits.runsOnCallerThread() && !draining && queue == null;
            if (runHere) {
                // Idle: the task runs here and now, and this thread then runs what others queue meanwhile.
                draining = true;
                drainer = Thread.currentThread();
            } else {
                if (queue == null) {
                    queue = new ArrayDeque<>(4);
                }
                queue.add(task);
                if (last && paused) {
                    // Nothing more is taken from the source: it must not stay paused behind a session that ends.
                    paused = false;
                    resumeSource();
                } else if (!paused && !last && queue.size() >= limits.pauseAt()) {
                    paused = true;
                    pauseSource();
                }
                if (draining) {
                    return true;
                }
                draining = true;
            }
        }
        if (runHere) {
            drainHere(task);
        } else {
            schedule();
        }
        return true;
    }

    private void schedule() {
        if (limits.runsOnCallerThread()) {
            // Left by a drain that did not finish (an Error): this thread takes the queue over, oldest task first.
            synchronized (this) {
                drainer = Thread.currentThread();
            }
            drainHere(null);
            return;
        }
        try {
            limits.executor().execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The pool is shutting down: the work still has to happen (a session's end above all), so do it here.
            LOG.debug("pool refused the drain of {}; running it on the caller's thread", this);
            drain();
        }
    }

    private void drain() {
        synchronized (this) {
            drainer = Thread.currentThread();
        }
        for (int done = 0; ; done++) {
            Runnable task;
            synchronized (this) {
                if (done == BATCH && !queue.isEmpty()) {
                    drainer = null;
                    break; // yield; draining stays true for the rescheduled drain
                }
                task = queue.poll();
                if (paused && queue.size() <= limits.pauseAt() / 4) {
                    paused = false;
                    resumeSource();
                }
                if (task == null) {
                    draining = false;
                    drainer = null;
                    queue = null; // drained: give the deque back until the next burst
                    return;
                }
            }
            run(task);
        }
        schedule();
    }

    /**
     * The caller-thread drain: runs {@code first} (null: none), then what waits, until nothing does. The source is
     * resumed after a task has finished, never before it ran (see the class comment). No batch limit: yielding would
     * hand the queue to nobody.
     */
    private void drainHere(Runnable first) {
        Runnable task = first;
        boolean finished = false;
        try {
            while (true) {
                if (task != null) {
                    run(task);
                }
                synchronized (this) {
                    int waiting = queue == null ? 0 : queue.size();
                    if (paused && waiting <= limits.pauseAt() / 4) {
                        paused = false;
                        resumeSource();
                    }
                    task = waiting == 0 ? null : queue.poll();
                    if (task == null) {
                        draining = false;
                        drainer = null;
                        queue = null;
                        finished = true;
                        return;
                    }
                }
            }
        } finally {
            if (!finished) {
                synchronized (this) {
                    // An Error out of a task: the next submit takes over what still waits, in order.
                    draining = false;
                    drainer = null;
                }
            }
        }
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("task of {} failed", this, e);
        }
    }
}
