package org.xmppcm.e2e.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one fault while messages flow: a fresh rig, traffic, the fault, traffic on, then traffic stops, the harness
 * waits (bounded) for things to settle, collects what was stored offline, and counts. Every wait is bounded, and the
 * rig is always torn down.
 */
final class FaultRunner {
    private static final Logger LOG = LoggerFactory.getLogger(FaultRunner.class);

    /** In flight (written, no outcome yet) at most this many when the fault comes. */
    private static final int STEADY_IN_FLIGHT = 50;

    private FaultRunner() {
    }

    static FaultReport run(Fault fault, FaultPlan plan) throws Exception {
        long started = System.nanoTime();
        List<String> notes = new ArrayList<>();
        try (FaultRig rig = FaultRig.builder().mode(fault.mode).pairs(plan.pairs()).tuning(plan.tuning())
                .logDir(plan.logDir()).start()) {
            Traffic traffic = new Traffic(rig.clients(), rig.ledger, plan.sendInterval());
            traffic.start();
            Thread.sleep(plan.warmup().toMillis());
            if (!rig.everyLinkCarriedTraffic()) {
                // Not a finding about the product: the fault below would not hit what it is meant to.
                throw new AssertionError("harness: before the fault, not every link carried messages both ways: "
                        + rig.linkTraffic());
            }
            // Inject at a steady state, not into the backlog of a JVM still warming up: runs stay comparable.
            FaultRig.waitUntil(() -> rig.ledger.unaccounted() < STEADY_IN_FLIGHT, Duration.ofSeconds(5));
            notes.add(rig.ledger.unaccounted() + " message(s) in flight at the fault");
            String before = rig.linkTraffic();
            LOG.info("{}: injecting, traffic so far {}", fault.label, before);
            long faultNanos = System.nanoTime();
            Detector.Detection detection = inject(fault, plan, rig, notes);
            int blocked = traffic.stop(Duration.ofSeconds(2));
            if (blocked > 0) {
                notes.add(blocked + " sender(s) still blocked in a write when traffic stopped");
            }
            rig.settle(plan.settleQuiet(), plan.settleMax());
            long unaccountedBeforeCollect = rig.ledger.unaccounted();
            rig.collect(Duration.ofSeconds(1));
            Ledger.Counts counts = rig.ledger.count(m -> fault.excuses(rig.ledger, m), fault::excusesDuplicate,
                    m -> fault.excusesBounceOfDelivered(rig.ledger, m), faultNanos);
            if (unaccountedBeforeCollect > 0) {
                notes.add(unaccountedBeforeCollect + " without an outcome before the offline collection");
            }
            List<String> ends = rig.clientEnds();
            if (!ends.isEmpty()) {
                notes.add(ends.size() + " client stream(s) ended by the other side, e.g. " + ends.get(0));
            }
            FaultReport report = new FaultReport(fault, counts, detection.cmMillis(), detection.engineMillis(),
                    detection.measuresCm(), detection.measuresEngine(), plan.detectionBound().toMillis(),
                    (System.nanoTime() - started) / 1_000_000, "before " + before + "; after " + rig.linkTraffic(),
                    ends.size(), blocked, notes);
            LOG.info("{}: done in {} ms", fault.label, report.runMillis());
            return report;
        }
    }

    private static Detector.Detection inject(Fault fault, FaultPlan plan, FaultRig rig, List<String> notes)
            throws Exception {
        Duration bound = plan.detectionBound();
        switch (fault) {
            case CUT_ONE_FIN, RESET_ONE_RST -> {
                List<Detector.Detection> detections = new ArrayList<>();
                for (int cut = 0; cut < plan.cuts(); cut++) {
                    if (!rig.awaitLinksReady(Duration.ofSeconds(10))) {
                        notes.add("cut " + (cut + 1) + ": the links were not all back after the cut before");
                    }
                    ProxiedConnection link = link(rig, "conn" + (cut % rig.links + 1));
                    Detector detector = rig.detector(List.of(link.linkName()), 1);
                    if (fault == Fault.CUT_ONE_FIN) {
                        link.cutFin();
                    } else {
                        link.cutRst();
                    }
                    awaitDetection(detector, bound);
                    Thread.sleep(plan.after().toMillis());
                    Detector.Detection d = detector.finish();
                    detections.add(d);
                    notes.add("cut " + (cut + 1) + " of " + link.linkName() + ": noticed by the CM after "
                            + d.cmMillis() + " ms, by the engine after " + d.engineMillis() + " ms");
                }
                return Detector.Detection.worst(detections);
            }
            case FREEZE_ONE, FREEZE_BOTH -> {
                List<ProxiedConnection> frozen = fault == Fault.FREEZE_ONE ? List.of(link(rig, "conn1"))
                        : rig.proxy().open();
                Detector detector = rig.detector(fault == Fault.FREEZE_ONE ? List.of(frozen.get(0).linkName())
                        : List.of(), frozen.size());
                frozen.forEach(ProxiedConnection::freeze);
                boolean noticed = awaitDetection(detector, bound);
                if (noticed) {
                    Thread.sleep(500); // frozen a little longer than it took to notice
                }
                // A freeze nobody noticed ends as a NAT that dropped the state ends it: with a reset.
                frozen.forEach(ProxiedConnection::cutRst);
                notes.add("freeze ended with RST after " + (System.nanoTime() - detector.startNanos()) / 1_000_000
                        + " ms (" + (noticed ? "after both ends noticed" : "not noticed by then") + ")");
                awaitDetection(detector, Duration.ofSeconds(10));
                Thread.sleep(plan.after().toMillis());
                return detector.finish();
            }
            case DELAY_ONE -> {
                ProxiedConnection link = link(rig, "conn1");
                Detector detector = rig.detector(List.of(link.linkName()), 1);
                link.delay(plan.delay());
                Thread.sleep(plan.delayFor().toMillis());
                link.delay(Duration.ZERO);
                Thread.sleep(plan.after().toMillis());
                Detector.Detection d = detector.finish();
                if (d.cmMillis() >= 0 || d.engineMillis() >= 0) {
                    notes.add("a link was dropped during a " + plan.delay().toMillis() + " ms delay");
                }
                return d;
            }
            case CM_SIGKILL, CM_SIGTERM -> {
                Detector detector = rig.detector(List.of(), rig.links);
                if (fault == Fault.CM_SIGKILL) {
                    rig.cmProcess().kill();
                } else {
                    rig.cmProcess().terminate();
                }
                Integer status = rig.cmProcess().awaitExit(Duration.ofSeconds(20));
                notes.add("CM process exit status " + status);
                awaitDetection(detector, bound);
                Thread.sleep(plan.after().toMillis());
                return detector.finish();
            }
            case SERVER_SIGKILL_RESTART -> {
                Detector detector = rig.detector(List.of(), rig.links);
                long killed = System.nanoTime();
                rig.killServer();
                awaitDetection(detector, bound);
                long left = plan.restartAfter().toMillis() - (System.nanoTime() - killed) / 1_000_000;
                Thread.sleep(Math.max(0, left));
                rig.restartServer();
                long restarted = (System.nanoTime() - killed) / 1_000_000;
                boolean back = rig.awaitLinksReady(Duration.ofSeconds(60));
                notes.add("server listening again " + restarted + " ms after the kill; links " + (back ? "back" : "NOT back")
                        + " after " + (System.nanoTime() - killed) / 1_000_000 + " ms");
                Thread.sleep(plan.after().toMillis());
                return detector.finish();
            }
            case SERVER_SIGKILL_DOWN -> {
                Detector detector = rig.detector(List.of(), rig.links);
                rig.killServer();
                awaitDetection(detector, bound);
                // Past the grace period: the CM gives its clients up. The server comes back for the collection only.
                Thread.sleep(plan.tuning().grace().toMillis() + plan.after().toMillis());
                return detector.finish();
            }
            default -> throw new IllegalArgumentException(fault.toString());
        }
    }

    /** The open link of that name (conn1, ...), known by its stream header. */
    private static ProxiedConnection link(FaultRig rig, String name) throws InterruptedException {
        ProxiedConnection link = rig.proxy().awaitLink(name, Duration.ofSeconds(5));
        if (link == null) {
            throw new AssertionError("harness: no open link named " + name + " in the proxy: " + rig.linkTraffic());
        }
        return link;
    }

    private static boolean awaitDetection(Detector detector, Duration bound) throws InterruptedException {
        return FaultRig.waitUntil(detector::allDetected, bound);
    }
}
