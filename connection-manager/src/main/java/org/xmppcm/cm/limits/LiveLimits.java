package org.xmppcm.cm.limits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * The client limits in effect now: the CM's own (its settings file), with each value the server
 * pushed in its tuning replacing its counterpart. The filters read {@link #get()} on every event
 * instead of keeping limits of their own, so a push takes effect without restarting anything.
 *
 * <p>What operators get: new limits apply to new connections and to the next idle check,
 * keepalive or write of existing ones. Nothing is enforced retroactively: a lowered
 * {@code client.max} refuses new clients beyond it but does not close anyone already connected.
 * A pushed value out of its range ({@link TuningParameter}) is refused with a warning, and the value in effect
 * before stays.
 */
public final class LiveLimits {
    private static final Logger LOG = LoggerFactory.getLogger(LiveLimits.class);

    private final ClientLimits own;
    private volatile ClientLimits current;
    /** The tuning applied last; guarded by this. */
    private Map<String, String> lastTuning = Map.of();

    public LiveLimits(ClientLimits own) {
        this.own = java.util.Objects.requireNonNull(own, "own");
        this.current = own;
    }

    /** The limits in effect now; cheap enough for every event (one volatile read). */
    public ClientLimits get() {
        return current;
    }

    /**
     * Takes the tuning of a configuration the server pushed (possibly empty) as the new overrides.
     * Parameters it leaves out get the CM's own value back. Logs once when something changed.
     *
     * @return the limits in effect from now on
     */
    public synchronized ClientLimits apply(Map<String, String> tuning) {
        if (tuning.equals(lastTuning)) {
            return current; // every link gets the same push: one warning and one log line, not one per link
        }
        lastTuning = Map.copyOf(tuning);
        ClientLimits before = current;
        ClientLimits after = merge(own, before, tuning);
        current = after;
        List<String> changes = changes(before, after);
        if (!changes.isEmpty()) {
            LOG.info("Client limits now in effect: {}", String.join(", ", changes));
        }
        return after;
    }

    /** The effective values by tuning name, for metrics. */
    public Map<String, Long> values() {
        ClientLimits limits = current;
        Map<String, Long> values = new LinkedHashMap<>();
        for (TuningParameter p : ClientLimitTuning.parameters()) {
            values.put(p.wireName(), (long) ClientLimitTuning.read(limits, p));
        }
        return values;
    }

    /** {@link #merge(ClientLimits, ClientLimits, Map)} of a first push, while {@code own} is in effect. */
    public static ClientLimits merge(ClientLimits own, Map<String, String> tuning) {
        return merge(own, own, tuning);
    }

    /**
     * {@code own} with each pushed client limit replacing its counterpart. A value its parameter refuses (out of
     * range, not a decimal integer) is skipped with a warning naming it, and {@code current}'s value for it stays;
     * the others still apply. Names that are not client limits are left to whoever reads them.
     *
     * @param current the limits in effect before this push
     */
    public static ClientLimits merge(ClientLimits own, ClientLimits current, Map<String, String> tuning) {
        ClientLimits merged = own;
        for (TuningParameter p : ClientLimitTuning.parameters()) {
            String raw = tuning.get(p.wireName());
            if (raw == null) {
                continue;
            }
            try {
                merged = ClientLimitTuning.replace(merged, p, raw);
            } catch (IllegalArgumentException refused) {
                int kept = ClientLimitTuning.read(current, p);
                LOG.warn("Ignoring pushed {}; keeping {}", refused.getMessage(), kept);
                merged = ClientLimitTuning.with(merged, p, kept);
            }
        }
        return merged;
    }

    private static List<String> changes(ClientLimits before, ClientLimits after) {
        List<String> changes = new ArrayList<>();
        for (TuningParameter p : ClientLimitTuning.parameters()) {
            int old = ClientLimitTuning.read(before, p);
            int now = ClientLimitTuning.read(after, p);
            if (old != now) {
                changes.add(p.wireName() + " " + old + " -> " + now);
            }
        }
        return changes;
    }
}
