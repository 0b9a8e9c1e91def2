package org.xmppcm.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Once a second: the generator's counters, the latency recorded since the last sample, and the
 * processes' heap (agent), RSS and CPU (/proc). It is the only reader of the latency recorders,
 * so it also accumulates them per step and for the whole phase.
 */
final class Sampler implements AutoCloseable {
    /** One second of a phase. CPU is in percent of one core (200 = two cores busy); -1 = unknown. */
    record Row(double t, String step, long held, double loginsPerS, double sentPerS, double deliveredPerS,
               double p50Ms, double p99Ms, double p999Ms, long heapUsed, long heapCommitted, long rss,
               double cpuMeasured, double cpuServer, double cpuGenerator, double cpuMachine) {
    }

    /** Counters and CPU at one instant. */
    record Snapshot(long nanos, long sent, long delivered, long logins, long skipped, long errors,
                    long cpuMeasured, long cpuServer, long cpuGenerator, long machineBusy) {
    }

    /** A step's interval: counters at both ends, its latency histograms. */
    static final class Step {
        final String name;
        final double targetRate;
        final Snapshot start;
        Snapshot end;
        final Histogram latency = histogram();
        final Histogram roundTrip = histogram();
        final Histogram login = histogram();

        Step(String name, double targetRate, Snapshot start) {
            this.name = name;
            this.targetRate = targetRate;
            this.start = start;
        }

        double seconds() {
            return (end.nanos - start.nanos) / 1e9;
        }
    }

    private final Metrics metrics;
    private final ChildProcess measured;
    private final ChildProcess server;
    private final long selfPid = ProcessHandle.current().pid();
    private final long phaseStart = System.nanoTime();
    private final List<Row> rows = new ArrayList<>();
    final Histogram latencyTotal = histogram();
    final Histogram roundTripTotal = histogram();
    final Histogram loginTotal = histogram();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-sampler");
        t.setDaemon(true);
        return t;
    });
    private Snapshot last;
    private Step step;

    Sampler(Metrics metrics, ChildProcess measured, ChildProcess server) {
        this.metrics = metrics;
        this.measured = measured;
        this.server = server;
        this.last = snapshot();
    }

    static Histogram histogram() {
        return new Histogram(Metrics.MAX_MICROS, 3);
    }

    void start() {
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    Snapshot snapshot() {
        return new Snapshot(System.nanoTime(), metrics.sent.sum(), metrics.delivered.sum(), metrics.logins.sum(),
                metrics.skipped.sum(), metrics.stanzaErrors.sum(), ProcStats.cpuNanos(measured.pid()),
                ProcStats.cpuNanos(server.pid()), ProcStats.cpuNanos(selfPid), ProcStats.machineNanos()[0]);
    }

    synchronized void sample() {
        Snapshot now = snapshot();
        Histogram latency = metrics.latency.getIntervalHistogram();
        Histogram roundTrip = metrics.roundTrip.getIntervalHistogram();
        Histogram login = metrics.loginLatency.getIntervalHistogram();
        latencyTotal.add(latency);
        roundTripTotal.add(roundTrip);
        loginTotal.add(login);
        if (step != null) {
            step.latency.add(latency);
            step.roundTrip.add(roundTrip);
            step.login.add(login);
        }
        Map<String, Long> heap = Map.of();
        try {
            heap = measured.agent("sample", Duration.ofSeconds(2));
        } catch (Exception e) {
            // the child is busy or gone: this row has no heap figures
        }
        double dt = Math.max(1, now.nanos - last.nanos) / 1e9;
        Histogram shown = latency.getTotalCount() > 0 ? latency : roundTrip;
        rows.add(new Row((now.nanos - phaseStart) / 1e9, step == null ? "" : step.name, metrics.online.get(),
                (now.logins - last.logins) / dt, (now.sent - last.sent) / dt, (now.delivered - last.delivered) / dt,
                millis(shown, 50), millis(shown, 99), millis(shown, 99.9),
                heap.getOrDefault("heapUsed", -1L), heap.getOrDefault("heapCommitted", -1L),
                ProcStats.rssBytes(measured.pid()),
                cpuPercent(now.cpuMeasured, last.cpuMeasured, now.nanos - last.nanos),
                cpuPercent(now.cpuServer, last.cpuServer, now.nanos - last.nanos),
                cpuPercent(now.cpuGenerator, last.cpuGenerator, now.nanos - last.nanos),
                cpuPercent(now.machineBusy, last.machineBusy, now.nanos - last.nanos)));
        last = now;
    }

    synchronized Step beginStep(String name, double targetRate) {
        sample();
        step = new Step(name, targetRate, last);
        return step;
    }

    synchronized Step endStep() {
        sample();
        Step done = step;
        done.end = last;
        step = null;
        return done;
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static double cpuPercent(long now, long before, long wallNanos) {
        if (now < 0 || before < 0 || wallNanos <= 0) {
            return -1;
        }
        return 100.0 * (now - before) / wallNanos;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
