package org.xmppcm.plugin.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xmppcm.engine.ConnectedLink;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.engine.LinkTraffic;

class TrafficRatesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final TrafficRates rates = new TrafficRates(now::get);

    @Test
    void aNewLinkShowsItsAverageThenTheRateBetweenViews() {
        ConnectedLink first = link("cm/a", T0.minusSeconds(100), 1000, 0);
        assertThat(rates.sample(managers(first)).get(TrafficRates.key(first)).elementsIn()).isCloseTo(10, within(1e-9));

        now.set(T0.plusSeconds(4));
        ConnectedLink later = link("cm/a", T0.minusSeconds(100), 1200, 0);
        assertThat(rates.sample(managers(later)).get(TrafficRates.key(later)).elementsIn()).isCloseTo(50, within(1e-9));
    }

    @Test
    void viewsWithinASecondRepeatTheLastRateInsteadOfDividingByAlmostNothing() {
        ConnectedLink a = link("cm/a", T0.minusSeconds(10), 100, 0);
        rates.sample(managers(a));
        now.set(T0.plusMillis(100));
        Map<String, TrafficRates.Rates> again = rates.sample(managers(link("cm/a", T0.minusSeconds(10), 105, 0)));
        assertThat(again.get(TrafficRates.key(a)).elementsIn()).isCloseTo(10, within(1e-9));
    }

    @Test
    void onlyLinksOfTheLatestViewAreRemembered() {
        for (int i = 0; i < 1000; i++) {
            rates.sample(managers(link("cm/" + i, T0, 0, 0)));
        }
        // A link that reconnects under the same name is a new link: its counters start again, its rate is not negative.
        ConnectedLink reconnected = link("cm/999", T0.plusSeconds(1), 5, 0);
        now.set(T0.plusSeconds(2));
        assertThat(rates.sample(managers(reconnected))).hasSize(1)
                .hasEntrySatisfying(TrafficRates.key(reconnected), r -> assertThat(r.elementsIn()).isEqualTo(5));
    }

    private static ConnectedLink link(String name, Instant since, long in, long out) {
        return new ConnectedLink(name, "/127.0.0.1:1", since, 0, false, false, new LinkTraffic(in, out, in * 100, out * 100));
    }

    private static List<ConnectedManager> managers(ConnectedLink link) {
        return List.of(new ConnectedManager("cm", List.of(link), 0));
    }
}
