package org.xmppcm.cm.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How often the authentication deadline is swept for (the deadline itself: ClientLimitsTest). */
class AuthTimeoutsTest {
    @Test
    void sweepsEveryTenthOfTheTimeoutBetweenOneAndFiveSeconds() {
        assertThat(AuthTimeouts.period(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(AuthTimeouts.period(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
        assertThat(AuthTimeouts.period(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(3));
        assertThat(AuthTimeouts.period(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(5));
        assertThat(AuthTimeouts.period(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(5));
    }
}
