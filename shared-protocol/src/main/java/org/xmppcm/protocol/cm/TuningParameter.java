package org.xmppcm.protocol.cm;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every value our server side may push to a CM in its {@code <tuning xmlns='urn:xmppcm:tuning:0'>} element, with all
 * that both ends must agree on: the name on the wire, what the number counts, the default and the range. The plugin's
 * settings form, what the plugin pushes, what the CM takes from a push and what the CM reads from its own settings
 * file all check values against the same constant here, so a value one of them accepts the others accept too.
 *
 * <p>Each wire name equals the CM's own property of the same meaning in {@code connection-manager.properties}, so an
 * operator reads one name in both places; a pushed value wins over the CM's file while the server pushes it. Values
 * are decimal integers in ASCII digits ({@link #parse}).
 *
 * <p>A new tunable is a constant here plus what only one end can know: its label
 * ({@code connectionmanager.admin.tuning.}<i>wire name</i>) in every bundle of the plugin, the CM's setting it
 * replaces ({@code ClientLimitTuning} or the link pool's grace period) and its line in the shipped
 * {@code connection-manager.properties}.
 */
public enum TuningParameter {
    /** Seconds a CM keeps its clients while it has no link to the server; the server keeps their sessions as long. */
    GRACE_SECONDS("link.grace.seconds", Unit.SECONDS, 30, 0, 3600, true),
    /** Seconds of client silence before the CM closes it with {@code connection-timeout} (pinged half way). */
    CLIENT_IDLE_TIMEOUT_SECONDS("client.idle.timeout.seconds", Unit.SECONDS, 360, 2, 86_400, false),
    /** Seconds a client may take from connecting to authenticating before the CM closes it with {@code connection-timeout}. */
    CLIENT_AUTH_TIMEOUT_SECONDS("client.auth.timeout.seconds", Unit.SECONDS, 60, 5, 3600, false),
    /** Seconds without writing to a client before the CM sends a whitespace keepalive. */
    CLIENT_KEEPALIVE_SECONDS("client.keepalive.seconds", Unit.SECONDS, 90, 5, 3600, false),
    /** Open client connections one CM holds at most. */
    CLIENT_MAX("client.max", Unit.CONNECTIONS, 500_000, 1, 10_000_000, false),
    /** New connections one address may open per second on average, 0 for no limit. */
    CLIENT_RATE_PER_IP("client.rate.per.ip", Unit.CONNECTIONS_PER_SECOND, 20, 0, 100_000, false),
    /** Bytes queued for a client that does not read before the CM closes it with {@code policy-violation}. */
    CLIENT_PENDING_WRITE_MAX_BYTES("client.pending.write.max.bytes", Unit.BYTES, 1024 * 1024, 4096, 64 * 1024 * 1024,
            false);

    /** What a parameter's number counts; named in refusals. */
    public enum Unit {
        SECONDS("seconds"),
        CONNECTIONS("connections"),
        CONNECTIONS_PER_SECOND("connections per second"),
        BYTES("bytes");

        private final String words;

        Unit(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /**
     * ASCII digits with an optional sign, at most ten of them: {@code Integer.parseInt} alone would also take other
     * scripts' digits, which the other end (and an operator's eye) might not.
     */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]{1,10}");

    private final String wireName;
    private final Unit unit;
    private final int defaultValue;
    private final int min;
    private final int max;
    private final boolean alwaysPushed;

    TuningParameter(String wireName, Unit unit, int defaultValue, int min, int max, boolean alwaysPushed) {
        this.wireName = wireName;
        this.unit = unit;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.alwaysPushed = alwaysPushed;
    }

    /** The {@code name} of its {@code <param>}, and the CM's property of the same meaning. */
    public String wireName() {
        return wireName;
    }

    public Unit unit() {
        return unit;
    }

    /** The CM's own default, which applies while neither its file nor the server sets the parameter. */
    public int defaultValue() {
        return defaultValue;
    }

    /** The smallest value either end accepts. */
    public int min() {
        return min;
    }

    /** The largest value either end accepts. */
    public int max() {
        return max;
    }

    /**
     * Whether the server pushes it even while no administrator set it (then with {@link #defaultValue}): only the grace
     * period, on which both ends must agree. Every other parameter is pushed only once set, so that until then each CM
     * keeps what its own settings file says.
     */
    public boolean alwaysPushed() {
        return alwaysPushed;
    }

    /**
     * Reads a value as it travels: a whole number within {@link #min}..{@link #max}, surrounding blanks allowed.
     *
     * @return empty for null, blank, anything that is not such a number, or a number out of range
     */
    public Optional<Integer> parse(String text) {
        return wholeNumber(text, min, max);
    }

    /**
     * Like {@link #parse}, for a reader that must say why it refuses a value.
     *
     * @throws IllegalArgumentException naming this parameter, the text and the accepted range, when {@link #parse}
     *         would give nothing
     */
    public int require(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(refusal(text)));
    }

    /** {@code value}, which must be one of this parameter's, as a duration. */
    public Duration duration(int value) {
        if (unit != Unit.SECONDS) {
            throw new IllegalStateException(wireName + " counts " + unit + ", not seconds");
        }
        return Duration.ofSeconds(value);
    }

    /** {@link #defaultValue} as a duration, for a parameter in seconds. */
    public Duration defaultDuration() {
        return duration(defaultValue);
    }

    /** For example {@code client.max=0: not a whole number of connections from 1 to 10000000}. */
    private String refusal(String text) {
        return wireName + "=" + text + ": not a whole number of " + unit + " from " + min + " to " + max;
    }

    /** The parameter named {@code wireName} on the wire, if it is one of ours. */
    public static Optional<TuningParameter> named(String wireName) {
        for (TuningParameter parameter : values()) {
            if (parameter.wireName.equals(wireName)) {
                return Optional.of(parameter);
            }
        }
        return Optional.empty();
    }

    /**
     * The reading of every number in our settings, tuning or not (a port, for instance): ASCII digits with an optional
     * sign, surrounding blanks allowed, within {@code min..max}.
     *
     * @return empty for null, blank, anything else, or a number out of range
     */
    public static Optional<Integer> wholeNumber(String text, int min, int max) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        if (!DECIMAL.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        long value = Long.parseLong(trimmed);
        return value >= min && value <= max ? Optional.of((int) value) : Optional.empty();
    }
}
