package org.xmppcm.plugin.core;

import java.util.List;
import java.util.Optional;
import org.xmppcm.protocol.cm.TuningKeys;

/**
 * One value the plugin can push to connection managers in its tuning element: the pushed name, the Openfire property
 * that holds it, and the range an administrator may choose from. Only the grace period is always pushed (both ends
 * must agree on it); every other parameter is pushed only once an administrator sets it, so that until then each
 * manager keeps what its own configuration file says.
 *
 * @param name the parameter's name on the wire, one of {@link TuningKeys}
 * @param defaultValue what applies while the property is unset (for optional parameters: the CM's own default,
 *        shown for orientation only)
 * @param min the smallest value accepted
 * @param max the largest value accepted
 * @param alwaysPushed whether the value is pushed even when unset
 */
public record TuningParameter(String name, int defaultValue, int min, int max, boolean alwaysPushed) {
    public static final String PROPERTY_PREFIX = "plugin.connectionmanager.";

    public static final TuningParameter GRACE_SECONDS =
            new TuningParameter(TuningKeys.GRACE_SECONDS, 30, 0, 3600, true);

    /** Every parameter, in the order the settings page shows them. */
    public static final List<TuningParameter> ALL = List.of(
            GRACE_SECONDS,
            new TuningParameter(TuningKeys.CLIENT_IDLE_TIMEOUT_SECONDS, 360, 10, 86_400, false),
            new TuningParameter(TuningKeys.CLIENT_AUTH_TIMEOUT_SECONDS, 60, 5, 3600, false),
            new TuningParameter(TuningKeys.CLIENT_KEEPALIVE_SECONDS, 90, 5, 3600, false),
            new TuningParameter(TuningKeys.CLIENT_MAX, 500_000, 1, 10_000_000, false),
            new TuningParameter(TuningKeys.CLIENT_RATE_PER_IP, 20, 0, 100_000, false),
            new TuningParameter(TuningKeys.CLIENT_PENDING_WRITE_MAX_BYTES, 1024 * 1024, 4096, 64 * 1024 * 1024, false));

    /** The Openfire system property that holds this parameter. */
    public String propertyKey() {
        return PROPERTY_PREFIX + name;
    }

    /**
     * Reads a stored value: empty when unset, blank, not a number or out of range (a value edited into the database by
     * hand must not reach the managers unchecked).
     */
    public Optional<Integer> parse(String stored) {
        return parseInRange(stored, min, max);
    }

    /** A whole number within {@code min..max} (surrounding blanks allowed); empty for null, blank or anything else. */
    public static Optional<Integer> parseInRange(String text, int min, int max) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(text.trim());
            return value >= min && value <= max ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static Optional<TuningParameter> named(String name) {
        return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
    }
}
