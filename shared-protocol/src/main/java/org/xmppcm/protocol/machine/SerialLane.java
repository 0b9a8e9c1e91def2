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
    }

    private final Limits limits;
    // All guarded by this.
    private boolean paused;
    /** Null while nothing waits: most sessions are idle most of the time, and an empty deque costs ~100 bytes. */
    private ArrayDeque<Runnable> queue;
    private boolean draining; // a drain is scheduled or running
    private boolean sealed; // submitLast was called

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

    private boolean enqueue(Runnable task, boolean last) {
        Objects.requireNonNull(task, "task");
        synchronized (this) {
            if (sealed || !last && queue != null && queue.size() >= limits.maxPending()) {
                return false;
            }
            if (queue == null) {
                queue = new ArrayDeque<>(4);
            }
            queue.add(task);
            sealed = last;
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
        schedule();
        return true;
    }

    private void schedule() {
        try {
            limits.executor().execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The pool is shutting down: the work still has to happen (a session's end above all), so do it here.
            LOG.debug("pool refused the drain of {}; running it on the caller's thread", this);
            drain();
        }
    }

    private void drain() {
        for (int done = 0; ; done++) {
            Runnable task;
            synchronized (this) {
                if (done == BATCH && !queue.isEmpty()) {
                    break; // yield; draining stays true for the rescheduled drain
                }
                task = queue.poll();
                if (paused && queue.size() <= limits.pauseAt() / 4) {
                    paused = false;
                    resumeSource();
                }
                if (task == null) {
                    draining = false;
                    queue = null; // drained: give the deque back until the next burst
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("task of {} failed", this, e);
            }
        }
        schedule();
    }
}
