package org.xmppcm.cm.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CM's own grace period against the one the server pushes. */
class LiveGracePeriodTest {
    private static final Duration OWN = Duration.ofSeconds(20);

    @RegisterExtension
    final RecordedLog log = new RecordedLog(LiveGracePeriod.class);
    private final LiveGracePeriod grace = new LiveGracePeriod(OWN);

    @Test
    void aPushedGracePeriodWinsUntilAPushWithoutItGivesTheOwnBack() {
        assertThat(grace.get()).isEqualTo(OWN);
        assertThat(grace.apply(Map.of("link.grace.seconds", " 0 "))).isZero();
        assertThat(grace.apply(Map.of("link.grace.seconds", "3600"))).hasSeconds(3600);
        assertThat(grace.apply(Map.of("client.max", "5"))).isEqualTo(OWN);
        assertThat(log.lines).isEmpty();
    }

    @Test
    void aValueOutOfRangeOrNotANumberKeepsThePeriodInEffectWithOneWarningPerPush() {
        grace.apply(Map.of("link.grace.seconds", "45"));
        for (String refused : new String[] {"-1", "3601", "ten", "1.5"}) {
            assertThat(grace.apply(Map.of("link.grace.seconds", refused))).as(refused).hasSeconds(45);
            grace.apply(Map.of("link.grace.seconds", refused)); // the same push on another link
        }

        assertThat(log.at(Level.WARN)).hasSize(4).first().isEqualTo(
                "WARN Ignoring pushed link.grace.seconds=-1: not a whole number of seconds from 0 to 3600; keeping 45 s");
    }
}
