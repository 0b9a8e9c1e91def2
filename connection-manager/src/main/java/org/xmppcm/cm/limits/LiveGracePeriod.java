package org.xmppcm.cm.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * How long clients stay connected while no link is up: the CM's own grace period, or the one the server pushed,
 * which wins because the server knows how long it keeps their sessions. Like {@link LiveLimits}: a push without it
 * gives the CM's own back, and a value out of range is refused with a warning while the one in effect stays.
 */
public final class LiveGracePeriod {
    private static final Logger LOG = LoggerFactory.getLogger(LiveGracePeriod.class);
    private static final TuningParameter GRACE = TuningParameter.GRACE_SECONDS;

    private final Duration own;
    private volatile Duration current;
    /** The text pushed last, null for none; guarded by this. */
    private String lastPushed;

    public LiveGracePeriod(Duration own) {
        this.own = Objects.requireNonNull(own, "own");
        this.current = own;
    }

    /** The grace period in effect now. */
    public Duration get() {
        return current;
    }

    /**
     * Takes the grace period of a configuration the server pushed, if it has one.
     *
     * @return the grace period in effect from now on
     */
    public synchronized Duration apply(Map<String, String> tuning) {
        String pushed = tuning.get(GRACE.wireName());
        if (Objects.equals(pushed, lastPushed)) {
            return current; // every link gets the same push: one warning, not one per link
        }
        lastPushed = pushed;
        if (pushed == null) {
            current = own;
            return current;
        }
        try {
            current = GRACE.duration(GRACE.require(pushed));
        } catch (IllegalArgumentException refused) {
            LOG.warn("Ignoring pushed {}; keeping {} s", refused.getMessage(), current.toSeconds());
        }
        return current;
    }
}
