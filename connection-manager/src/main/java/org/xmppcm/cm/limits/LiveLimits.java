package org.xmppcm.cm.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.cm.TuningKeys;

/**
 * The client limits in effect now: the CM's own (its settings file), with each value the server
 * pushed in its tuning replacing its counterpart. The filters read {@link #get()} on every event
 * instead of keeping limits of their own, so a push takes effect without restarting anything.
 *
 * <p>What operators get: new limits apply to new connections and to the next idle check,
 * keepalive or write of existing ones. Nothing is enforced retroactively: a lowered
 * {@code client.max} refuses new clients beyond it but does not close anyone already connected.
 */
public final class LiveLimits {
    private static final Logger LOG = LoggerFactory.getLogger(LiveLimits.class);
    /** ASCII digits with an optional sign: Integer.parseInt alone would also take other scripts' digits. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]{1,10}");

    /** One pushable limit: its tuning name, how to read it, and how to replace it. */
    private record Param(String key, ToIntFunction<ClientLimits> read, BiFunction<ClientLimits, Integer, ClientLimits> write) {
    }

    private static final List<Param> PARAMS = List.of(
            new Param(TuningKeys.CLIENT_MAX, ClientLimits::maxClients, ClientLimits::withMaxClients),
            new Param(TuningKeys.CLIENT_RATE_PER_IP, ClientLimits::connectionsPerIpPerSecond,
                    (l, v) -> l.withConnectionRate(v, l.connectionBurstPerIp(), l.limitLoopback())),
            new Param(TuningKeys.CLIENT_IDLE_TIMEOUT_SECONDS, l -> (int) l.idleTimeout().toSeconds(),
                    (l, v) -> l.withIdle(Duration.ofSeconds(v), l.keepalive())),
            new Param(TuningKeys.CLIENT_AUTH_TIMEOUT_SECONDS, l -> (int) l.authTimeout().toSeconds(),
                    (l, v) -> l.withAuthTimeout(Duration.ofSeconds(v))),
            new Param(TuningKeys.CLIENT_KEEPALIVE_SECONDS, l -> (int) l.keepalive().toSeconds(),
                    (l, v) -> l.withIdle(l.idleTimeout(), Duration.ofSeconds(v))),
            new Param(TuningKeys.CLIENT_PENDING_WRITE_MAX_BYTES, ClientLimits::maxPendingWriteBytes,
                    ClientLimits::withMaxPendingWriteBytes));

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
        ClientLimits after = merge(own, tuning);
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
        for (Param p : PARAMS) {
            values.put(p.key(), (long) p.read().applyAsInt(limits));
        }
        return values;
    }

    /**
     * {@code own} with each pushed client limit replacing its counterpart. A value that is not a
     * decimal integer, or that {@link ClientLimits} refuses, is skipped with a warning naming it;
     * the others still apply. Names that are not client limits are left to whoever reads them.
     */
    public static ClientLimits merge(ClientLimits own, Map<String, String> tuning) {
        ClientLimits merged = own;
        for (Param p : PARAMS) {
            String raw = tuning.get(p.key());
            if (raw == null) {
                continue;
            }
            String value = raw.trim();
            try {
                if (!DECIMAL.matcher(value).matches()) {
                    throw new IllegalArgumentException("not a decimal integer");
                }
                // Each limit is validated on its own by ClientLimits, so the order of replacement does not matter.
                merged = p.write().apply(merged, Integer.parseInt(value));
            } catch (IllegalArgumentException e) { // NumberFormatException (out of range) included
                LOG.warn("Ignoring pushed {}={}: {}; keeping {}", p.key(), raw, e.getMessage(),
                        p.read().applyAsInt(merged));
            }
        }
        return merged;
    }

    private static List<String> changes(ClientLimits before, ClientLimits after) {
        List<String> changes = new ArrayList<>();
        for (Param p : PARAMS) {
            int old = p.read().applyAsInt(before);
            int now = p.read().applyAsInt(after);
            if (old != now) {
                changes.add(p.key() + " " + old + " -> " + now);
            }
        }
        return changes;
    }

    /** The tuning names of the limits a push can change. */
    static List<String> keys() {
        return PARAMS.stream().map(Param::key).toList();
    }
}
