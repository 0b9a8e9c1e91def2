package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DebouncerTest {
    private final ArrayDeque<Runnable> scheduled = new ArrayDeque<>();
    private final List<Long> delays = new ArrayList<>();
    private final AtomicInteger pushes = new AtomicInteger();

    private Debouncer debouncer(Runnable action) {
        return new Debouncer((task, delay) -> {
            scheduled.add(task);
            delays.add(delay);
        }, 250, action);
    }

    /** Verifies that a burst of triggers becomes one delayed run. */
    @Test
    void aBurstBecomesOneRun() {
        // Setup test fixture.
        final Debouncer debouncer = debouncer(pushes::incrementAndGet);

        // Execute system under test.
        for (int i = 0; i < 5; i++) {
            debouncer.trigger();
        }

        // Verify results.
        assertThat(scheduled).hasSize(1);
        assertThat(delays).containsExactly(250L);
        assertThat(pushes).hasValue(0);
        scheduled.poll().run();
        assertThat(pushes).hasValue(1);
    }

    /** Verifies that a trigger after a run schedules the next one. */
    @Test
    void triggersAfterARunScheduleAgain() {
        final Debouncer debouncer = debouncer(pushes::incrementAndGet);
        debouncer.trigger();
        scheduled.poll().run();

        debouncer.trigger();

        assertThat(scheduled).hasSize(1);
    }

    /** Verifies that a change made while the action runs is not lost: it gets a run of its own. */
    @Test
    void aTriggerDuringTheRunIsNotLost() {
        final Debouncer[] self = new Debouncer[1];
        self[0] = debouncer(() -> {
            if (pushes.incrementAndGet() == 1) {
                self[0].trigger();
            }
        });
        self[0].trigger();

        scheduled.poll().run();

        assertThat(scheduled).hasSize(1);
        scheduled.poll().run();
        assertThat(pushes).hasValue(2);
    }

    /** Verifies that a failing action does not wedge the debouncer. */
    @Test
    void aFailingActionDoesNotStopLaterRuns() {
        final Debouncer debouncer = debouncer(() -> {
            pushes.incrementAndGet();
            throw new IllegalStateException("push failed");
        });
        debouncer.trigger();
        scheduled.poll().run();

        debouncer.trigger();

        assertThat(scheduled).hasSize(1);
    }

    /** Verifies that after the scheduler shut down triggers are dropped quietly and do not wedge later ones. */
    @Test
    void aRefusingSchedulerIsTolerated() {
        final boolean[] refuse = {true};
        final Debouncer debouncer = new Debouncer((task, delay) -> {
            if (refuse[0]) {
                throw new RejectedExecutionException("shut down");
            }
            scheduled.add(task);
        }, 0, pushes::incrementAndGet);

        debouncer.trigger();
        refuse[0] = false;
        debouncer.trigger();

        assertThat(scheduled).hasSize(1);
    }
}
