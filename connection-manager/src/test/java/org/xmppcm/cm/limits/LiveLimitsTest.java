package org.xmppcm.cm.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.TuningKeys;

/** The CM's own client limits merged with the ones the server pushes. */
class LiveLimitsTest {
    /** Distinct from the defaults in every value, with a burst and loopback flag no push may touch. */
    private static final ClientLimits OWN = new ClientLimits(1000, 5, 7, true, Duration.ofSeconds(120),
            Duration.ofSeconds(45), 64 * 1024, Duration.ofSeconds(30));

    private final Recorder log = new Recorder();
    private final Logger liveLimitsLog = (Logger) LogManager.getLogger(LiveLimits.class);

    /** Keeps what {@link LiveLimits} logs at INFO and above, prefixed with the level. */
    private static final class Recorder extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Recorder() {
            super("live-limits", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            if (event.getLevel().isMoreSpecificThan(Level.INFO)) {
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        }

        List<String> at(Level level) {
            return lines.stream().filter(l -> l.startsWith(level + " ")).toList();
        }
    }

    @BeforeEach
    void attach() {
        log.start();
        liveLimitsLog.addAppender(log);
    }

    @AfterEach
    void detach() {
        liveLimitsLog.removeAppender(log);
        log.stop();
    }

    @Test
    void everyClientLimitTheServerPushesReplacesItsCounterpartAndNothingElse() {
        ClientLimits merged = LiveLimits.merge(OWN, Map.of(
                TuningKeys.CLIENT_MAX, "10",
                TuningKeys.CLIENT_RATE_PER_IP, "0",
                TuningKeys.CLIENT_IDLE_TIMEOUT_SECONDS, "2",
                TuningKeys.CLIENT_KEEPALIVE_SECONDS, " 30 ",
                TuningKeys.CLIENT_PENDING_WRITE_MAX_BYTES, "4096",
                TuningKeys.CLIENT_AUTH_TIMEOUT_SECONDS, "15",
                TuningKeys.GRACE_SECONDS, "5", // the link pool's, not a client limit
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
        assertThat(LiveLimits.keys()).containsExactlyInAnyOrderElementsOf(
                TuningKeys.ALL.stream().filter(k -> !k.equals(TuningKeys.GRACE_SECONDS)).toList());
    }

    @Test
    void anInvalidValueIsIgnoredWithOneWarningNamingItAndTheRestStillApply() {
        ClientLimits merged = LiveLimits.merge(OWN, Map.of(
                TuningKeys.CLIENT_MAX, "0",                          // ClientLimits: must be positive
                TuningKeys.CLIENT_RATE_PER_IP, "3",                   // valid
                TuningKeys.CLIENT_IDLE_TIMEOUT_SECONDS, "1",          // ClientLimits: at least 2 s
                TuningKeys.CLIENT_KEEPALIVE_SECONDS, "1.5",           // not an integer
                TuningKeys.CLIENT_PENDING_WRITE_MAX_BYTES, "99999999999")); // beyond an int

        assertThat(merged).isEqualTo(OWN.withConnectionRate(3, 7, true));
        List<String> warnings = log.at(Level.WARN);
        assertThat(warnings).hasSize(4);
        assertThat(String.join("\n", warnings)).contains(TuningKeys.CLIENT_MAX + "=0",
                TuningKeys.CLIENT_IDLE_TIMEOUT_SECONDS + "=1", TuningKeys.CLIENT_KEEPALIVE_SECONDS + "=1.5",
                TuningKeys.CLIENT_PENDING_WRITE_MAX_BYTES + "=99999999999");
    }

    @Test
    void textThatJavaWouldParseButIsNotPlainDecimalIsRefused() {
        for (String notDecimal : List.of("", "0x10", "1e3", "١٢", "12 000", "ten")) {
            assertThat(LiveLimits.merge(OWN, Map.of(TuningKeys.CLIENT_MAX, notDecimal))).as(notDecimal).isEqualTo(OWN);
        }
        assertThat(LiveLimits.merge(OWN, Map.of(TuningKeys.CLIENT_MAX, "+12")).maxClients()).isEqualTo(12);
    }

    @Test
    void aLaterPushWithoutAParameterRestoresTheCmsOwnValueForIt() {
        LiveLimits live = new LiveLimits(OWN);
        live.apply(Map.of(TuningKeys.CLIENT_MAX, "1", TuningKeys.CLIENT_KEEPALIVE_SECONDS, "10"));
        assertThat(live.get()).isEqualTo(OWN.withMaxClients(1).withIdle(OWN.idleTimeout(), Duration.ofSeconds(10)));

        live.apply(Map.of(TuningKeys.CLIENT_KEEPALIVE_SECONDS, "10"));
        assertThat(live.get().maxClients()).isEqualTo(OWN.maxClients());
        assertThat(live.get().keepalive()).isEqualTo(Duration.ofSeconds(10));

        live.apply(Map.of());
        assertThat(live.get()).isEqualTo(OWN);
    }

    @Test
    void eachPushThatChangesSomethingLogsOnceWithOnlyWhatChanged() {
        LiveLimits live = new LiveLimits(OWN);
        live.apply(Map.of(TuningKeys.CLIENT_MAX, "1", TuningKeys.CLIENT_KEEPALIVE_SECONDS, "45"));
        live.apply(Map.of(TuningKeys.CLIENT_MAX, "1", TuningKeys.CLIENT_KEEPALIVE_SECONDS, "45")); // same push, other link
        live.apply(Map.of(TuningKeys.CLIENT_MAX, "1")); // keepalive back to its own 45: no change at all
        live.apply(Map.of());

        assertThat(log.at(Level.INFO)).containsExactly(
                "INFO Client limits now in effect: client.max 1000 -> 1",
                "INFO Client limits now in effect: client.max 1 -> 1000");
    }

    @Test
    void theSameInvalidPushOnEveryLinkWarnsOnce() {
        LiveLimits live = new LiveLimits(OWN);
        live.apply(Map.of(TuningKeys.CLIENT_MAX, "many"));
        live.apply(Map.of(TuningKeys.CLIENT_MAX, "many"));

        assertThat(log.at(Level.WARN)).hasSize(1);
        assertThat(live.get()).isEqualTo(OWN);
        assertThat(live.values()).containsEntry(TuningKeys.CLIENT_MAX, 1000L)
                .containsEntry(TuningKeys.CLIENT_IDLE_TIMEOUT_SECONDS, 120L).hasSize(6);
    }
}
