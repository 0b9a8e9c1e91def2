package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushedTuningTest {
    private final Map<String, String> properties = new HashMap<>();

    @Test
    void onlyTheGracePeriodIsPushedUntilAnAdministratorSetsMore() {
        assertThat(PushedTuning.read(properties::get)).containsExactly(Map.entry("link.grace.seconds", 30));
    }

    @Test
    void valuesAnAdministratorSetArePushedUnderTheirWireNames() {
        properties.put("plugin.connectionmanager.link.grace.seconds", "45");
        properties.put("plugin.connectionmanager.client.idle.timeout.seconds", " 600 ");
        properties.put("plugin.connectionmanager.client.max", "20000");

        assertThat(PushedTuning.read(properties::get)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "link.grace.seconds", 45, "client.idle.timeout.seconds", 600, "client.max", 20_000));
    }

    @Test
    void valuesOutOfRangeOrNotNumbersAreNotPushed() {
        properties.put("plugin.connectionmanager.client.keepalive.seconds", "0");
        properties.put("plugin.connectionmanager.client.max", "lots");
        properties.put("plugin.connectionmanager.link.grace.seconds", "-1");

        // An unusable grace period falls back to its default rather than disappearing: both ends must agree on one.
        assertThat(PushedTuning.read(properties::get)).containsExactly(Map.entry("link.grace.seconds", 30));
    }
}
