package org.xmppcm.e2e.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one fault run found: the ledger's counts, how long each end took to notice, and what the harness saw along
 * the way. {@link #violations()} is the invariant: every message delivered exactly once and in order, or bounced to
 * its sender, or stored offline and delivered at the next login (lost ones count only when the fault does not
 * excuse them, see {@link Fault#excuses}); for a freeze, both ends notice within the bound; a link that is only
 * delayed is not dropped.
 */
record FaultReport(Fault fault, Ledger.Counts counts, long detectCmMillis, long detectEngineMillis,
                   boolean measuresCm, boolean measuresEngine, long detectionBoundMillis, long runMillis,
                   String linkTraffic, int clientsCut, int sendersBlocked, List<String> notes) {

    /** Everything that breaks the invariant; empty when the run was clean. */
    List<String> violations() {
        List<String> v = new ArrayList<>();
        Ledger.Counts c = counts;
        if (c.unexcusedLost() > 0) {
            v.add(c.unexcusedLost() + " lost" + (c.excused > 0 ? " that the fault does not excuse" : "") + " (of "
                    + c.lost + " lost: " + c.lostBeforeServer + " before the server had them, " + c.lostInServer
                    + " in the server, " + c.lostAfterServer + " after it handed them out"
                    + (c.excused > 0 ? "; " + c.excused + " excused" : "") + ")");
        }
        if (c.duplicated > 0) {
            v.add(c.duplicated + " delivered more than once");
        }
        if (c.reordered > 0) {
            v.add(c.reordered + " delivered out of order");
        }
        if (c.bouncedAndDelivered > 0) {
            v.add(c.bouncedAndDelivered + " bounced to the sender and delivered too");
        }
        if (c.misdelivered > 0) {
            v.add(c.misdelivered + " delivered to the wrong client");
        }
        if (fault == Fault.DELAY_ONE && (detectCmMillis >= 0 || detectEngineMillis >= 0)) {
            v.add("a link that was only slow was dropped (CM after " + detectCmMillis + " ms, engine after "
                    + detectEngineMillis + " ms; -1: not dropped)");
        }
        if (fault.needsLiveness()) {
            if (measuresCm && (detectCmMillis < 0 || detectCmMillis > detectionBoundMillis)) {
                v.add("the CM did not notice the dead link within " + detectionBoundMillis + " ms"
                        + (detectCmMillis >= 0 ? " (only after the freeze ended with RST, at " + detectCmMillis + " ms)" : ""));
            }
            if (measuresEngine && (detectEngineMillis < 0 || detectEngineMillis > detectionBoundMillis)) {
                v.add("the engine did not notice the dead link within " + detectionBoundMillis + " ms"
                        + (detectEngineMillis >= 0 ? " (only after the freeze ended with RST, at " + detectEngineMillis
                        + " ms)" : ""));
            }
        }
        return v;
    }

    String summary() {
        Ledger.Counts c = counts;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%s: sent %d, delivered %d, bounced %d, offline %d, lost %d (before server %d, in server %d, after"
                        + " server %d, excused %d), duplicated %d (excused %d), reordered %d; detection CM %s, engine %s;"
                        + " unsent %d, clients cut %d, senders blocked %d; links %s; %d ms",
                fault.label, c.sent, c.delivered, c.bounced, c.offline, c.lost, c.lostBeforeServer, c.lostInServer,
                c.lostAfterServer, c.excused, c.duplicated, c.duplicatedExcused, c.reordered,
                detection(detectCmMillis, measuresCm),
                detection(detectEngineMillis, measuresEngine), c.unsent, clientsCut, sendersBlocked, linkTraffic,
                runMillis));
        if (c.bouncedAndDelivered > 0 || c.bouncedAndDeliveredExcused > 0 || c.misdelivered > 0 || c.unknownIds > 0 || c.lateAtNextLogin > 0) {
            s.append(String.format(Locale.ROOT, "; bounced+delivered %d (excused %d), misdelivered %d, unknown ids %d,"
                    + " live at next login but older than before %d", c.bouncedAndDelivered,
                    c.bouncedAndDeliveredExcused, c.misdelivered,
                    c.unknownIds, c.lateAtNextLogin));
        }
        for (String note : notes) {
            s.append("\n    note: ").append(note);
        }
        if (!c.lostSamples.isEmpty()) {
            s.append("\n    lost: written from ").append(c.lostFirstMillis).append(" to ").append(c.lostLastMillis)
                    .append(" ms after the fault; the first: ").append(String.join("; ", c.lostSamples));
        }
        if (!c.reorderSamples.isEmpty()) {
            s.append("\n    reordered e.g. ").append(String.join("; ", c.reorderSamples));
        }
        if (!c.duplicateSamples.isEmpty()) {
            s.append("\n    duplicated e.g. ").append(String.join("; ", c.duplicateSamples));
        }
        return s.toString();
    }

    private String detection(long millis, boolean measured) {
        if (!measured) {
            return "n/a";
        }
        if (millis < 0) {
            return "none";
        }
        return millis + " ms" + (fault.needsLiveness() && millis > detectionBoundMillis ? " (after RST)" : "");
    }

    // ---------------------------------------------------------------- tables

    private static final String ROW = "%-28s %5s %7s %9s %7s %7s %6s %7s %5s %8s %14s %14s%n";

    /** One row per run. */
    static String table(List<FaultReport> reports) {
        StringBuilder t = new StringBuilder(header());
        for (FaultReport r : reports) {
            Ledger.Counts c = r.counts;
            t.append(String.format(Locale.ROOT, ROW, r.fault.label, "1", c.sent, c.delivered, c.bounced, c.offline,
                    c.lost, c.excused, c.duplicated, c.reordered, r.detection(r.detectCmMillis, r.measuresCm),
                    r.detection(r.detectEngineMillis, r.measuresEngine)));
        }
        return t.toString();
    }

    /** One row per fault, totals over its runs and the detection times' range. */
    static String summaryTable(List<FaultReport> reports) {
        Map<Fault, List<FaultReport>> byFault = new LinkedHashMap<>();
        for (FaultReport r : reports) {
            byFault.computeIfAbsent(r.fault, f -> new ArrayList<>()).add(r);
        }
        StringBuilder t = new StringBuilder(header());
        for (Map.Entry<Fault, List<FaultReport>> e : byFault.entrySet()) {
            long sent = 0, delivered = 0, bounced = 0, offline = 0, lost = 0, excused = 0, duplicated = 0, reordered = 0;
            List<Long> cm = new ArrayList<>();
            List<Long> engine = new ArrayList<>();
            FaultReport first = e.getValue().get(0);
            for (FaultReport r : e.getValue()) {
                Ledger.Counts c = r.counts;
                sent += c.sent;
                delivered += c.delivered;
                bounced += c.bounced;
                offline += c.offline;
                lost += c.lost;
                excused += c.excused;
                duplicated += c.duplicated;
                reordered += c.reordered;
                cm.add(r.detectCmMillis);
                engine.add(r.detectEngineMillis);
            }
            t.append(String.format(Locale.ROOT, ROW, e.getKey().label, e.getValue().size(), sent, delivered, bounced,
                    offline, lost, excused, duplicated, reordered, range(cm, first.measuresCm, first),
                    range(engine, first.measuresEngine, first)));
        }
        return t.toString();
    }

    private static String header() {
        return String.format(Locale.ROOT, ROW, "fault", "runs", "sent", "delivered", "bounced", "offline", "lost",
                "excused", "dup", "reorder", "detect CM", "detect engine")
                + "-".repeat(125) + "\n";
    }

    private static String range(List<Long> millis, boolean measured, FaultReport first) {
        if (!measured) {
            return "n/a";
        }
        long none = millis.stream().filter(m -> m < 0).count();
        List<Long> seen = millis.stream().filter(m -> m >= 0).sorted().toList();
        if (seen.isEmpty()) {
            return "none";
        }
        String span = seen.size() == 1 || seen.get(0).equals(seen.get(seen.size() - 1))
                ? seen.get(0) + " ms" : seen.get(0) + "-" + seen.get(seen.size() - 1) + " ms";
        if (first.fault.needsLiveness() && seen.get(0) > first.detectionBoundMillis) {
            span += " (RST)"; // only once the freeze was ended with a reset
        }
        return none > 0 ? span + " +" + none + " none" : span;
    }
}
