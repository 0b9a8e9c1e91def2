package org.xmppcm.e2e.fault;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a fault run goes.
 *
 * @param pairs client pairs (2 per pair), spread over the CM's links by the CM's own pinning
 * @param sendInterval each client sends one message to its peer this often
 * @param warmup traffic before the fault
 * @param after traffic after the fault (after its end, for a freeze or a delay)
 * @param cuts how many times the FIN and RST faults cut a link, conn1 and conn2 in turn, {@code after} apart: what a
 *        cut loses is what is in flight on that link at that instant, a handful of messages, so one cut alone may
 *        hit none even where nothing guards against the loss
 * @param detectionBound how long a freeze is held waiting for both ends to notice the link is dead; a freeze that is
 *        not noticed by then is ended with RST (as a NAT that dropped the connection's state answers the next
 *        segment). Must exceed {@link LinkTuning#livenessTimeout()}. Also bounds the wait for detection of a cut.
 * @param delay the latency added to one link by the delay fault
 * @param delayFor how long the delay lasts
 * @param restartAfter how long the server stays down before the restart (within the grace period)
 * @param settleQuiet after traffic stops: no arrival for this long, with the links back, ends the wait
 * @param settleMax the longest wait for things to settle
 * @param tuning the link settings
 * @param logDir where child processes log
 */
record FaultPlan(int pairs, Duration sendInterval, Duration warmup, Duration after, int cuts, Duration detectionBound,
                 Duration delay, Duration delayFor, Duration restartAfter, Duration settleQuiet, Duration settleMax,
                 LinkTuning tuning, Path logDir) {
    /** CI-sized: 12 clients each sending every 5 ms (a pair exchanges one every 2.5 ms), 2,400 a second. */
    static FaultPlan ci() {
        return new FaultPlan(6, Duration.ofMillis(5), Duration.ofMillis(1500), Duration.ofMillis(1500), 3,
                Duration.ofSeconds(8), Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(20), LinkTuning.DEFAULT, Path.of("target", "fault-logs"));
    }

    FaultPlan withDetectionBound(Duration bound) {
        return new FaultPlan(pairs, sendInterval, warmup, after, cuts, bound, delay, delayFor, restartAfter, settleQuiet,
                settleMax, tuning, logDir);
    }

    FaultPlan withTuning(LinkTuning newTuning) {
        return new FaultPlan(pairs, sendInterval, warmup, after, cuts, detectionBound, delay, delayFor, restartAfter,
                settleQuiet, settleMax, newTuning, logDir);
    }

    FaultPlan withTraffic(int newPairs, Duration interval, Duration newWarmup, Duration newAfter) {
        return new FaultPlan(newPairs, interval, newWarmup, newAfter, cuts, detectionBound, delay, delayFor, restartAfter,
                settleQuiet, settleMax, tuning, logDir);
    }

    FaultPlan withCuts(int count) {
        return new FaultPlan(pairs, sendInterval, warmup, after, count, detectionBound, delay, delayFor, restartAfter,
                settleQuiet, settleMax, tuning, logDir);
    }

    FaultPlan withLogDir(Path dir) {
        return new FaultPlan(pairs, sendInterval, warmup, after, cuts, detectionBound, delay, delayFor, restartAfter,
                settleQuiet, settleMax, tuning, dir);
    }
}
