package org.xmppcm.e2e.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The long fault run: every fault (or those named) N times, each on a fresh rig, then a table per run and one per
 * fault: sent, delivered, bounced, offline, lost, excused, duplicated, reordered, detection time at the CM and at
 * the engine. Exits 1 when any run broke the invariant, 2 on a bad command line.
 *
 * <p>Run it with Maven (the {@code fault-soak} profile of e2e-tests builds the reactor and forks this main on the
 * test class path; arguments go in {@code -Dsoak.args}):
 * <pre>
 * mvn -o -q -B test -pl e2e-tests -am -DskipTests -Pfault-soak -Dsoak.args="--rounds 5"
 * </pre>
 * or, once the test classes are built, with a plain JVM:
 * <pre>
 * mvn -o -q -B test-compile dependency:build-classpath -pl e2e-tests -am -Dmdep.outputFile=target/test.classpath \
 *     -Dmdep.includeScope=test
 * java -cp e2e-tests/target/test-classes:e2e-tests/target/classes:$(cat e2e-tests/target/test.classpath) \
 *     org.xmppcm.e2e.fault.FaultSoak --rounds 5
 * </pre>
 * Options: {@code --rounds N} (3), {@code --faults NAME,NAME} (all; names as in {@link Fault}, e.g.
 * {@code CUT_ONE_FIN,FREEZE_BOTH}), {@code --detection-bound-seconds N} (8), {@code --liveness-seconds N} (3),
 * {@code --grace-seconds N} (10), {@code --pairs N} (6), {@code --interval-millis N} (5), {@code --cuts N} (3), {@code --traffic-seconds N}
 * (traffic before and after each fault, 1.5 each), {@code --log-dir DIR} (target/fault-logs).
 */
public final class FaultSoak {
    private FaultSoak() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        List<Fault> faults = new ArrayList<>(Arrays.asList(Fault.values()));
        FaultPlan plan = FaultPlan.ci();
        LinkTuning tuning = plan.tuning();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--faults" -> {
                        faults.clear();
                        for (String name : args[++i].split(",")) {
                            faults.add(Fault.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                        }
                    }
                    case "--detection-bound-seconds" -> plan = plan.withDetectionBound(
                            Duration.ofSeconds(Long.parseLong(args[++i])));
                    case "--liveness-seconds" -> tuning = tuning.withLivenessTimeout(
                            Duration.ofSeconds(Long.parseLong(args[++i])));
                    case "--grace-seconds" -> tuning = tuning.withGrace(Duration.ofSeconds(Long.parseLong(args[++i])));
                    case "--pairs" -> plan = plan.withTraffic(Integer.parseInt(args[++i]), plan.sendInterval(),
                            plan.warmup(), plan.after());
                    case "--interval-millis" -> plan = plan.withTraffic(plan.pairs(),
                            Duration.ofMillis(Long.parseLong(args[++i])), plan.warmup(), plan.after());
                    case "--traffic-seconds" -> {
                        Duration d = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                        plan = plan.withTraffic(plan.pairs(), plan.sendInterval(), d, d);
                    }
                    case "--cuts" -> plan = plan.withCuts(Integer.parseInt(args[++i]));
                    case "--log-dir" -> plan = plan.withLogDir(Path.of(args[++i]));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: FaultSoak [--rounds N] [--faults NAME,...] [--detection-bound-seconds N]"
                    + " [--liveness-seconds N] [--grace-seconds N] [--pairs N] [--interval-millis N]"
                    + " [--traffic-seconds S] [--cuts N] [--log-dir DIR]; faults: " + Arrays.toString(Fault.values()));
            System.exit(2);
        }
        plan = plan.withTuning(tuning);
        List<FaultReport> reports = new ArrayList<>();
        boolean broken = false;
        long started = System.nanoTime();
        for (int round = 1; round <= rounds; round++) {
            for (Fault fault : faults) {
                System.out.printf(Locale.ROOT, "round %d/%d: %s%n", round, rounds, fault.label);
                try {
                    FaultReport report = FaultRunner.run(fault, plan);
                    reports.add(report);
                    System.out.println("  " + report.summary());
                    List<String> violations = report.violations();
                    if (!violations.isEmpty()) {
                        broken = true;
                        System.out.println("  BROKEN: " + String.join("; ", violations));
                    }
                } catch (Exception | AssertionError e) {
                    broken = true;
                    System.out.println("  HARNESS FAILURE: " + e);
                }
            }
        }
        System.out.println("\nEvery run:\n" + FaultReport.table(reports));
        System.out.println("Per fault, " + rounds + " round(s), " + (System.nanoTime() - started) / 1_000_000_000
                + " s:\n" + FaultReport.summaryTable(reports));
        System.exit(broken ? 1 : 0);
    }
}
