package org.xmppcm.protocol.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Verifies how both ends read a pushed tuning value, and what they say when they refuse one. */
class TuningParameterTest {
    @Test
    void aValueIsAcceptedFromItsMinimumToItsMaximumWithBlanksAndSignAround() {
        TuningParameter max = TuningParameter.CLIENT_MAX;
        assertThat(max.parse("1")).contains(1);
        assertThat(max.parse(" 10000000 ")).contains(10_000_000);
        assertThat(max.parse("+12")).contains(12);
        assertThat(max.parse("0")).isEmpty();
        assertThat(max.parse("10000001")).isEmpty();
    }

    @Test
    void textThatJavaWouldParseButIsNotPlainDecimalIsRefused() {
        for (String notDecimal : Arrays.asList(null, "", " ", "0x10", "1e3", "١٢", "12 000", "ten", "1.5",
                "99999999999", "-99999999999")) {
            assertThat(TuningParameter.CLIENT_MAX.parse(notDecimal)).as("%s", notDecimal).isEmpty();
        }
    }

    @Test
    void aRefusalNamesTheParameterTheTextAndTheRangeWithItsUnit() {
        assertThatThrownBy(() -> TuningParameter.CLIENT_AUTH_TIMEOUT_SECONDS.require("0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("client.auth.timeout.seconds=0: not a whole number of seconds from 5 to 3600");
        assertThatThrownBy(() -> TuningParameter.CLIENT_PENDING_WRITE_MAX_BYTES.require("lots"))
                .hasMessage("client.pending.write.max.bytes=lots: not a whole number of bytes from 4096 to 67108864");
        assertThat(TuningParameter.GRACE_SECONDS.require(" 0")).isZero();
    }

    @Test
    void everyDefaultIsWithinItsOwnRange() {
        for (TuningParameter parameter : TuningParameter.values()) {
            assertThat(parameter.min()).as(parameter.wireName()).isLessThanOrEqualTo(parameter.defaultValue());
            assertThat(parameter.defaultValue()).as(parameter.wireName()).isLessThanOrEqualTo(parameter.max());
            assertThat(parameter.parse(Integer.toString(parameter.defaultValue()))).contains(parameter.defaultValue());
        }
    }

    @Test
    void onlyTheGracePeriodIsAlwaysPushed() {
        assertThat(Arrays.stream(TuningParameter.values()).filter(TuningParameter::alwaysPushed))
                .containsExactly(TuningParameter.GRACE_SECONDS);
    }

    @Test
    void aParameterIsFoundByItsWireNameAndNoOtherName() {
        for (TuningParameter parameter : TuningParameter.values()) {
            assertThat(TuningParameter.named(parameter.wireName())).contains(parameter);
        }
        assertThat(TuningParameter.named("client.rate.burst")).isEmpty();
        assertThat(TuningParameter.named("CLIENT_MAX")).isEmpty();
    }

    @Test
    void secondsAreDurationsAndNothingElseIs() {
        assertThat(TuningParameter.GRACE_SECONDS.duration(45)).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> TuningParameter.CLIENT_MAX.duration(45)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void wholeNumbersOutsideTuningFollowTheSameReading() {
        assertThat(TuningParameter.wholeNumber(" 5263 ", 1, 65535)).contains(5263);
        assertThat(TuningParameter.wholeNumber("0", 1, 65535)).isEmpty();
        assertThat(TuningParameter.wholeNumber("٥٢٦٣", 1, 65535)).isEmpty();
        for (String inRange : List.of("1", "65535")) {
            assertThat(TuningParameter.wholeNumber(inRange, 1, 65535)).isPresent();
        }
    }
}
