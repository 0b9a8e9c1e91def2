package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xmppcm.engine.HandshakeThrottle.Failure.BLOCKED;
import static org.xmppcm.engine.HandshakeThrottle.Failure.FIRST;
import static org.xmppcm.engine.HandshakeThrottle.Failure.REPEATED;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HandshakeThrottleTest {
    private static final Duration MINUTE = Duration.ofSeconds(60);

    // Starts just short of the long overflow, so every test also crosses a nanoTime wrap.
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - Duration.ofSeconds(30).toNanos());
    private final HandshakeThrottle<InetAddress> throttle = throttle(HandshakeThrottle.MAX_TRACKED);

    private HandshakeThrottle<InetAddress> throttle(int maxTracked) {
        return new HandshakeThrottle<>(5, MINUTE, MINUTE, maxTracked, now::get);
    }

    private void advance(long seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }

    private static InetAddress ip(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void failTimes(InetAddress address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(address);
        }
    }

    @Test
    void theFifthFailureInTheWindowBlocksAndOnlyTheFirstAndTheBlockAreWarnings() {
        InetAddress a = ip(1);
        assertThat(throttle.failed(a)).isEqualTo(FIRST);
        assertThat(throttle.failed(a)).isEqualTo(REPEATED);
        assertThat(throttle.failed(a)).isEqualTo(REPEATED);
        assertThat(throttle.failed(a)).isEqualTo(REPEATED);
        assertThat(throttle.isBlocked(a)).isFalse();

        assertThat(throttle.failed(a)).isEqualTo(BLOCKED);
        assertThat(throttle.isBlocked(a)).isTrue();
    }

    @Test
    void addressesAreCountedSeparately() {
        failTimes(ip(1), 5);
        failTimes(ip(2), 4);
        assertThat(throttle.isBlocked(ip(1))).isTrue();
        assertThat(throttle.isBlocked(ip(2))).isFalse();
        assertThat(throttle.isBlocked(ip(3))).isFalse();
        assertThat(throttle.tracked()).as("a mere check remembers nothing").isEqualTo(2);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        InetAddress a = ip(1);
        failTimes(a, 4);
        advance(60);

        assertThat(throttle.failed(a)).as("a new window").isEqualTo(FIRST);
        failTimes(a, 3);
        assertThat(throttle.isBlocked(a)).isFalse();
        assertThat(throttle.failed(a)).isEqualTo(BLOCKED);
    }

    @Test
    void failuresSpreadWithinTheWindowStillBlock() {
        InetAddress a = ip(1);
        for (int i = 0; i < 4; i++) {
            throttle.failed(a);
            advance(14);
        }
        assertThat(throttle.failed(a)).as("56 s after the first").isEqualTo(BLOCKED);
    }

    @Test
    void theBlockEndsAfterItsPeriodAndAFreshRoundStarts() {
        InetAddress a = ip(1);
        failTimes(a, 5);
        advance(59);
        assertThat(throttle.isBlocked(a)).isTrue();
        advance(1);
        assertThat(throttle.isBlocked(a)).isFalse();

        assertThat(throttle.failed(a)).isEqualTo(FIRST);
        failTimes(a, 3);
        assertThat(throttle.isBlocked(a)).isFalse();
        assertThat(throttle.failed(a)).isEqualTo(BLOCKED);
        assertThat(throttle.isBlocked(a)).isTrue();
    }

    @Test
    void aBlockOutlastsTheWindow() {
        HandshakeThrottle<InetAddress> longBlock = new HandshakeThrottle<>(5, MINUTE, Duration.ofMinutes(10), 10, now::get);
        InetAddress a = ip(1);
        for (int i = 0; i < 5; i++) {
            longBlock.failed(a);
        }
        advance(9 * 60);
        assertThat(longBlock.isBlocked(a)).isTrue();
        advance(60);
        assertThat(longBlock.isBlocked(a)).isFalse();
    }

    @Test
    void aSuccessForgetsTheFailures() {
        InetAddress a = ip(1);
        failTimes(a, 4);
        throttle.succeeded(a);
        assertThat(throttle.tracked()).isZero();

        assertThat(throttle.failed(a)).isEqualTo(FIRST);
        failTimes(a, 3);
        assertThat(throttle.isBlocked(a)).isFalse();
        assertThat(throttle.failed(a)).isEqualTo(BLOCKED);
    }

    @Test
    void zeroFailuresSwitchesTheThrottleOff() {
        HandshakeThrottle<InetAddress> off = new HandshakeThrottle<>(0, MINUTE, MINUTE, 10, now::get);
        for (int i = 0; i < 100; i++) {
            assertThat(off.failed(ip(1))).isEqualTo(FIRST);
        }
        assertThat(off.isBlocked(ip(1))).isFalse();
        assertThat(off.tracked()).isZero();
    }

    @Test
    void anUnknownAddressIsNeverBlocked() {
        assertThat(throttle.failed(null)).isEqualTo(FIRST);
        assertThat(throttle.isBlocked(null)).isFalse();
        assertThat(throttle.tracked()).isZero();
    }

    @Test
    void settingsComeFromTheLinkLimits() {
        HandshakeThrottle<InetAddress> fromDefaults = HandshakeThrottle.of(LinkLimits.DEFAULT, now::get);
        assertThat(fromDefaults.maxFailures()).isEqualTo(5);
        assertThat(fromDefaults.block()).isEqualTo(MINUTE);
        assertThatThrownBy(() -> new HandshakeThrottle<InetAddress>(-1, MINUTE, MINUTE, 10, now::get))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFullTableDropsExpiredAddressesFirstAndKeepsABlockedOne() {
        int cap = HandshakeThrottle.MAX_TRACKED;
        for (int i = 0; i < cap; i++) {
            throttle.failed(ip(i));
        }
        assertThat(throttle.tracked()).isEqualTo(cap);

        // Nothing has expired yet: the attacker's entry takes the slot of the longest idle address.
        advance(30);
        InetAddress attacker = ip(cap + 1);
        failTimes(attacker, 5);
        assertThat(throttle.tracked()).isEqualTo(cap);
        assertThat(throttle.isBlocked(attacker)).isTrue();

        // A flood of fresh addresses while every entry is live: the table stays at its cap and the
        // attacker, knocking now and then, stays blocked.
        for (int i = 0; i < 5_000; i++) {
            throttle.failed(ip(cap + 2 + i));
            if (i % 1_000 == 0) {
                assertThat(throttle.isBlocked(attacker)).isTrue();
            }
        }
        assertThat(throttle.tracked()).isEqualTo(cap);
        assertThat(throttle.isBlocked(attacker)).isTrue();

        // Once the first fillers' window is over, one newcomer sweeps out every expired address.
        advance(31);
        throttle.failed(ip(9_999_999));
        assertThat(throttle.tracked()).as("the 5,000 flood addresses, the attacker and the newcomer")
                .isEqualTo(5_000 + 2);
        assertThat(throttle.isBlocked(attacker)).isTrue();

        // The throttle still counts and blocks as usual.
        InetAddress late = ip(9_999_998);
        failTimes(late, 4);
        assertThat(throttle.isBlocked(late)).isFalse();
        assertThat(throttle.failed(late)).isEqualTo(BLOCKED);
        assertThat(throttle.isBlocked(late)).isTrue();
    }

    @Test
    void withNothingExpiredTheLongestIdleAddressGoes() {
        HandshakeThrottle<InetAddress> small = throttle(3);
        small.failed(ip(1));
        small.failed(ip(2));
        small.failed(ip(3));
        small.isBlocked(ip(1)); // activity: ip(2) is now the longest idle

        small.failed(ip(4));
        assertThat(small.tracked()).isEqualTo(3);
        for (int i = 0; i < 4; i++) {
            small.failed(ip(1));
        }
        assertThat(small.isBlocked(ip(1))).as("ip(1) kept its four earlier failures").isTrue();
        for (int i = 0; i < 4; i++) {
            small.failed(ip(2));
        }
        assertThat(small.isBlocked(ip(2))).as("ip(2) was forgotten and started again").isFalse();
    }
}
