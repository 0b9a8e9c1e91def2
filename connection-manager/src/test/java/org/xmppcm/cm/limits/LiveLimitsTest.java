package org.xmppcm.cm.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xmppcm.protocol.cm.TuningParameter;

/** The CM's own client limits merged with the ones the server pushes. */
class LiveLimitsTest {
    /** Distinct from the defaults in every value, with a burst and loopback flag no push may touch. */
    private static final ClientLimits OWN = new ClientLimits(1000, 5, 7, true, Duration.ofSeconds(120),
            Duration.ofSeconds(45), 64 * 1024, Duration.ofSeconds(30));

    @RegisterExtension
    final RecordedLog log = new RecordedLog(LiveLimits.class);

    @Test
    void everyClientLimitTheServerPushesReplacesItsCounterpartAndNothingElse() {
        ClientLimits merged = LiveLimits.merge(OWN, Map.of(
                TuningParameter.CLIENT_MAX.wireName(), "10",
                TuningParameter.CLIENT_RATE_PER_IP.wireName(), "0",
                TuningParameter.CLIENT_IDLE_TIMEOUT_SECONDS.wireName(), "2",
                TuningParameter.CLIENT_KEEPALIVE_SECONDS.wireName(), " 30 ",
                TuningParameter.CLIENT_PENDING_WRITE_MAX_BYTES.wireName(), "4096",
                TuningParameter.CLIENT_AUTH_TIMEOUT_SECONDS.wireName(), "15",
                TuningParameter.GRACE_SECONDS.wireName(), "5", // the link pool's, not a client limit
                "some.future.key", "1"));

        assertThat(merged).isEqualTo(new ClientLimits(10, 0, 7, true, Duration.ofSeconds(2), Duration.ofSeconds(30), 4096,
                Duration.ofSeconds(15)));
        assertThat(log.lines).isEmpty();
    }

    @Test
    void nothingPushedLeavesTheCmsOwn() {
        assertThat(LiveLimits.merge(OWN, Map.of())).isEqualTo(OWN);
    }

    @Test
    void everyClientParameterOfTheTuningIsOneThePushCanChange() {
        assertThat(ClientLimitTuning.parameters()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(TuningParameter.values()).filter(p -> p != TuningParameter.GRACE_SECONDS).toList());
    }

    @Test
    void anInvalidValueIsIgnoredWithOneWarningNamingItAndTheRestStillApply() {
        ClientLimits merged = LiveLimits.merge(OWN, Map.of(
                TuningParameter.CLIENT_MAX.wireName(), "0",                          // below its range: at least 1
                TuningParameter.CLIENT_RATE_PER_IP.wireName(), "3",                   // valid
                TuningParameter.CLIENT_IDLE_TIMEOUT_SECONDS.wireName(), "1",          // below its range: at least 2 s
                TuningParameter.CLIENT_KEEPALIVE_SECONDS.wireName(), "1.5",           // not an integer
                TuningParameter.CLIENT_PENDING_WRITE_MAX_BYTES.wireName(), "99999999999")); // beyond an int

        assertThat(merged).isEqualTo(OWN.withConnectionRate(3, 7, true));
        List<String> warnings = log.at(Level.WARN);
        assertThat(warnings).hasSize(4);
        assertThat(String.join("\n", warnings)).contains(TuningParameter.CLIENT_MAX.wireName() + "=0",
                TuningParameter.CLIENT_IDLE_TIMEOUT_SECONDS.wireName() + "=1", TuningParameter.CLIENT_KEEPALIVE_SECONDS.wireName() + "=1.5",
                TuningParameter.CLIENT_PENDING_WRITE_MAX_BYTES.wireName() + "=99999999999");
    }

    @Test
    void textThatJavaWouldParseButIsNotPlainDecimalIsRefused() {
        for (String notDecimal : List.of("", "0x10", "1e3", "١٢", "12 000", "ten")) {
            assertThat(LiveLimits.merge(OWN, Map.of(TuningParameter.CLIENT_MAX.wireName(), notDecimal))).as(notDecimal).isEqualTo(OWN);
        }
        assertThat(LiveLimits.merge(OWN, Map.of(TuningParameter.CLIENT_MAX.wireName(), "+12")).maxClients()).isEqualTo(12);
    }

    @Test
    void aLaterPushWithoutAParameterRestoresTheCmsOwnValueForIt() {
        LiveLimits live = new LiveLimits(OWN);
        live.apply(Map.of(TuningParameter.CLIENT_MAX.wireName(), "1", TuningParameter.CLIENT_KEEPALIVE_SECONDS.wireName(), "10"));
        assertThat(live.get()).isEqualTo(OWN.withMaxClients(1).withIdle(OWN.idleTimeout(), Duration.ofSeconds(10)));

        live.apply(Map.of(TuningParameter.CLIENT_KEEPALIVE_SECONDS.wireName(), "10"));
        assertThat(live.get().maxClients()).isEqualTo(OWN.maxClients());
        assertThat(live.get().keepalive()).isEqualTo(Duration.ofSeconds(10));

        live.apply(Map.of());
        assertThat(live.get()).isEqualTo(OWN);
    }

    @Test
    void eachPushThatChangesSomethingLogsOnceWithOnlyWhatChanged() {
        LiveLimits live = new LiveLimits(OWN);
        live.apply(Map.of(TuningParameter.CLIENT_MAX.wireName(), "1", TuningParameter.CLIENT_KEEPALIVE_SECONDS.wireName(), "45"));
        live.apply(Map.of(TuningParameter.CLIENT_MAX.wireName(), "1", TuningParameter.CLIENT_KEEPALIVE_SECONDS.wireName(), "45")); // same push, other link
        live.apply(Map.of(TuningParameter.CLIENT_MAX.wireName(), "1")); // keepalive back to its own 45: no change at all
        live.apply(Map.of());

        assertThat(log.at(Level.INFO)).containsExactly(
                "INFO Client limits now in effect: client.max 1000 -> 1",
                "INFO Client limits now in effect: client.max 1 -> 1000");
    }

    @Test
    void aValueOutOfRangeKeepsWhatTheLastPushSetAndSaysWhichRangeItMissed() {
        LiveLimits live = new LiveLimits(OWN);
        live.apply(Map.of(TuningParameter.CLIENT_MAX.wireName(), "50"));
        live.apply(Map.of(TuningParameter.CLIENT_MAX.wireName(), "10000001"));

        assertThat(live.get().maxClients()).isEqualTo(50);
        assertThat(log.at(Level.WARN)).containsExactly("WARN Ignoring pushed client.max=10000001: not a whole number"
                + " of connections from 1 to 10000000; keeping 50");
    }

    @Test
    void theSameInvalidPushOnEveryLinkWarnsOnce() {
        LiveLimits live = new LiveLimits(OWN);
        live.apply(Map.of(TuningParameter.CLIENT_MAX.wireName(), "many"));
        live.apply(Map.of(TuningParameter.CLIENT_MAX.wireName(), "many"));

        assertThat(log.at(Level.WARN)).hasSize(1);
        assertThat(live.get()).isEqualTo(OWN);
        assertThat(live.values()).containsEntry(TuningParameter.CLIENT_MAX.wireName(), 1000L)
                .containsEntry(TuningParameter.CLIENT_IDLE_TIMEOUT_SECONDS.wireName(), 120L).hasSize(6);
    }
}
