package org.xmppcm.plugin.core;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces bursts of triggers into one run after a short delay. An admin page that saves five settings fires five
 * property events; connection managers should get one configuration push, and only after Openfire's own listeners
 * (SASL mechanisms, for one) have applied the change. A trigger that arrives while the action runs schedules another
 * run, so the last change is never missed.
 */
public final class Debouncer {
    /** Runs a task once after a delay. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Runnable task, long delayMillis);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Debouncer.class);

    private final Scheduler scheduler;
    private final long delayMillis;
    private final Runnable action;
    private final AtomicBoolean pending = new AtomicBoolean();

    public Debouncer(Scheduler scheduler, long delayMillis, Runnable action) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis < 0: " + delayMillis);
        }
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.delayMillis = delayMillis;
        this.action = Objects.requireNonNull(action, "action");
    }

    /** Asks for a run; does nothing when one is already scheduled and has not started. */
    public void trigger() {
        if (!pending.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.schedule(this::fire, delayMillis);
        } catch (RejectedExecutionException e) {
            pending.set(false); // shutting down: nothing left to push to
            LOG.debug("scheduler refused a run", e);
        }
    }

    private void fire() {
        pending.set(false); // before the action: a trigger during it must schedule another run
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("debounced action failed", e);
        }
    }
}
