package org.xmppcm.plugin.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.xmppcm.engine.ConnectedLink;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.engine.LinkTraffic;

/**
 * Per-second traffic of each link, from the counters of two page views: what changed since the previous view, over
 * the time between them. A link seen for the first time gets its average since it connected. Only links of the latest
 * view are remembered, so this holds one entry per connected link at most.
 */
final class TrafficRates {
    /** Per-second rates of one link. */
    record Rates(double elementsIn, double elementsOut, double bytesIn, double bytesOut) {
    }

    private record Sample(Instant at, LinkTraffic traffic) {
    }

    /** Views closer together than this show the previous rates again instead of a noisy new one. */
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private final Supplier<Instant> clock;
    private Map<String, Sample> previous = new HashMap<>();
    private final Map<String, Rates> lastRates = new HashMap<>();

    TrafficRates(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /** The rates of every link in {@code managers}, by {@link #key}. */
    synchronized Map<String, Rates> sample(List<ConnectedManager> managers) {
        Instant now = clock.get();
        Map<String, Sample> current = new HashMap<>();
        Map<String, Rates> rates = new HashMap<>();
        for (ConnectedManager manager : managers) {
            for (ConnectedLink link : manager.links()) {
                String key = key(link);
                Sample before = previous.get(key);
                Rates computed;
                if (before == null) {
                    computed = rates(link.traffic(), LinkTraffic.NONE, Duration.between(link.connectedSince(), now));
                    current.put(key, new Sample(now, link.traffic()));
                } else if (Duration.between(before.at, now).compareTo(MIN_INTERVAL) < 0) {
                    computed = lastRates.getOrDefault(key, rates(link.traffic(), LinkTraffic.NONE,
                            Duration.between(link.connectedSince(), now)));
                    current.put(key, before);
                } else {
                    computed = rates(link.traffic(), before.traffic, Duration.between(before.at, now));
                    current.put(key, new Sample(now, link.traffic()));
                }
                rates.put(key, computed);
            }
        }
        previous = current;
        lastRates.clear();
        lastRates.putAll(rates);
        return rates;
    }

    /** A link's identity across views: a manager that reconnects under the same name is a new link. */
    static String key(ConnectedLink link) {
        return link.connection() + '@' + link.connectedSince();
    }

    private static Rates rates(LinkTraffic now, LinkTraffic before, Duration elapsed) {
        double seconds = Math.max(1e-3, elapsed.toNanos() / 1e9);
        return new Rates((now.elementsIn() - before.elementsIn()) / seconds,
                (now.elementsOut() - before.elementsOut()) / seconds,
                (now.bytesIn() - before.bytesIn()) / seconds,
                (now.bytesOut() - before.bytesOut()) / seconds);
    }
}
