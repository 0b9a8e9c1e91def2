package org.xmppcm.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CI-sized fault suite: each test runs one fault on a fresh {@link FaultRig} while about 2,400 messages a second
 * flow between six pairs of raw clients spread over the CM's two links, then checks the invariant: every message
 * delivered exactly once and in order, or bounced to its sender, or stored offline and delivered at the next login;
 * zero lost (except what was only in a killed process's memory, see {@link Fault#excuses}), zero duplicated, zero
 * reordered; for a freeze, both ends notice the dead link within {@link FaultPlan#detectionBound()}; a link that
 * is only delayed (200 ms) is not dropped.
 *
 * <p>Before link acknowledgements, resumption and liveness detection exist, several of these fail: that is what they
 * are for. Each run's summary and, at the end, the table of all are printed to
 * {@code target/surefire-reports/org.xmppcm.e2e.fault.LinkFaultTest-output.txt}; the child processes log to
 * {@code target/fault-logs/}. See docs/fault-suite.md.
 *
 * <pre>
 * mvn -o -B test -pl e2e-tests -am -Dtest=LinkFaultTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LinkFaultTest {
    private static final FaultPlan PLAN = FaultPlan.ci();
    private static final List<FaultReport> REPORTS = new ArrayList<>();

    private static void runAndCheck(Fault fault) throws Exception {
        FaultReport report = FaultRunner.run(fault, PLAN);
        synchronized (REPORTS) {
            REPORTS.add(report);
        }
        System.out.println(report.summary());
        assertThat(report.violations()).as("%s", report.summary()).isEmpty();
    }

    @AfterAll
    static void printTable() {
        synchronized (REPORTS) {
            System.out.println("\nFault suite, CI plan:\n" + FaultReport.table(REPORTS));
        }
    }

    @Test
    void cutOneLinkWithFin() throws Exception {
        runAndCheck(Fault.CUT_ONE_FIN);
    }

    @Test
    void resetOneLinkWithRst() throws Exception {
        runAndCheck(Fault.RESET_ONE_RST);
    }

    @Test
    void freezeOneLinkLongerThanTheLivenessTimeout() throws Exception {
        runAndCheck(Fault.FREEZE_ONE);
    }

    @Test
    void freezeBothLinks() throws Exception {
        runAndCheck(Fault.FREEZE_BOTH);
    }

    @Test
    void delayOneLinkBy200Milliseconds() throws Exception {
        runAndCheck(Fault.DELAY_ONE);
    }

    @Test
    void sigkillTheCmProcess() throws Exception {
        runAndCheck(Fault.CM_SIGKILL);
    }

    @Test
    void sigkillTheServerAndRestartItWithinTheGracePeriod() throws Exception {
        runAndCheck(Fault.SERVER_SIGKILL_RESTART);
    }

    @Test
    void sigtermTheCmProcess() throws Exception {
        runAndCheck(Fault.CM_SIGTERM);
    }

    // Not in the CI plan while it still breaks the invariant (run it with FaultSoak, docs/fault-suite.md): a server
    // SIGKILLed and left down past the grace period, in some runs, about 150 a client that were read around the moment
    // the client's hold filled and were neither bounced nor delivered.
}
