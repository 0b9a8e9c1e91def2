package org.xmppcm.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The generator's counters, written by the I/O threads. Latencies go to HdrHistogram recorders
 * (lock-free writers; one reader, the sampler, takes interval snapshots).
 */
final class Metrics {
    /** Microseconds; up to 5 minutes, 3 significant digits. */
    static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(5);

    final AtomicInteger online = new AtomicInteger();
    final LongAdder logins = new LongAdder();
    final LongAdder connectsStarted = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder otherStanzas = new LongAdder();
    /** Messages that came back as errors or with an id not ours. */
    final LongAdder stanzaErrors = new LongAdder();
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    /** Connect start to bound resource. */
    final Recorder loginLatency = new Recorder(MAX_MICROS, 3);
    /** One way, sender's intended send time to receipt by the addressee. */
    final Recorder latency = new Recorder(MAX_MICROS, 3);
    /** Ping sent to pong received (pingpong only). */
    final Recorder roundTrip = new Recorder(MAX_MICROS, 3);
    volatile String firstFailure;
    /** When the latest login completed (System.nanoTime), for the login rate. */
    volatile long lastLoginNanos;

    void fail(String reason, String detail) {
        failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
        if (firstFailure == null) {
            firstFailure = reason + (detail == null ? "" : ": " + detail);
        }
    }

    long failed() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> failureCounts() {
        Map<String, Long> counts = new TreeMap<>();
        failures.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    static void record(Recorder recorder, long nanos) {
        recorder.recordValue(Math.max(0, Math.min(MAX_MICROS, nanos / 1000)));
    }
}
