package org.xmppcm.plugin.core;

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
 * <p>Flow control: once {@code pauseAt} tasks wait, the dispatcher asks its {@link Backpressure} to pause the
 * source (the engine then stops reading the client's link, and TCP slows the connection manager down), and asks it to
 * resume once the queue is down to a quarter of that; so a client sending faster than Openfire takes its input is slowed
 * down, not disconnected, and nothing it sent is dropped. {@code maxPending} is only a safety bound above what the
 * pause lets arrive: {@link #submit} says false beyond it. {@link #submitLast} always queues, and nothing is accepted
 * after it: that is how a session's end runs after its pending input. A drain runs at most {@value #BATCH} tasks
 * before yielding its pool thread, so one busy client cannot starve the others. A task that throws is logged and the
 * next one runs.
 */
public final class SerialDispatcher {
    static final int BATCH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(SerialDispatcher.class);

    /** Who is asked to stop sending while the queue is long; called with the queue's lock held, so never reentrant. */
    public interface Backpressure {
        Backpressure NONE = new Backpressure() {
            @Override
            public void pause() {
            }

            @Override
            public void resume() {
            }
        };

        void pause();

        void resume();
    }

    private final Executor executor;
    private final int pauseAt;
    private final int maxPending;
    private final String name;
    private final Backpressure backpressure;
    private boolean paused; // guarded by queue
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(); // guarded by itself
    private boolean draining; // guarded by queue: a drain is scheduled or running
    private boolean sealed; // guarded by queue: submitLast was called

    /**
     * @param executor the shared pool
     * @param maxPending tasks that may wait before {@link #submit} refuses
     * @param name for log lines (the session)
     */
    public SerialDispatcher(Executor executor, int maxPending, String name) {
        this(executor, maxPending, maxPending, name, Backpressure.NONE);
    }

    /**
     * @param pauseAt waiting tasks at which {@code backpressure} is asked to pause (and to resume at a quarter of it)
     * @param maxPending waiting tasks beyond which {@link #submit} refuses, at least {@code pauseAt}
     */
    public SerialDispatcher(Executor executor, int pauseAt, int maxPending, String name, Backpressure backpressure) {
        if (pauseAt < 1 || maxPending < pauseAt) {
            throw new IllegalArgumentException("need 1 <= pauseAt <= maxPending: " + pauseAt + ", " + maxPending);
        }
        this.executor = Objects.requireNonNull(executor, "executor");
        this.pauseAt = pauseAt;
        this.maxPending = maxPending;
        this.name = name;
        this.backpressure = Objects.requireNonNull(backpressure, "backpressure");
    }

    /** Whether the source is asked to pause now. */
    public boolean isPaused() {
        synchronized (queue) {
            return paused;
        }
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
    public int pending() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private boolean enqueue(Runnable task, boolean last) {
        Objects.requireNonNull(task, "task");
        synchronized (queue) {
            if (sealed || !last && queue.size() >= maxPending) {
                return false;
            }
            queue.add(task);
            sealed = last;
            if (last && paused) {
                // Nothing more is taken from the source: it must not stay paused behind a session that ends.
                paused = false;
                backpressure.resume();
            } else if (!paused && !last && queue.size() >= pauseAt) {
                paused = true;
                backpressure.pause();
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
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The pool is shutting down: the work still has to happen (a session's end above all), so do it here.
            LOG.debug("pool refused the drain of {}; running it on the caller's thread", name);
            drain();
        }
    }

    private void drain() {
        for (int done = 0; ; done++) {
            Runnable task;
            synchronized (queue) {
                if (done == BATCH && !queue.isEmpty()) {
                    break; // yield; draining stays true for the rescheduled drain
                }
                task = queue.poll();
                if (paused && queue.size() <= pauseAt / 4) {
                    paused = false;
                    backpressure.resume();
                }
                if (task == null) {
                    draining = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("task of {} failed", name, e);
            }
        }
        schedule();
    }
}
