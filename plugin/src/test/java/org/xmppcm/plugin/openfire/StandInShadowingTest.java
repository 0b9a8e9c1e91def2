package org.xmppcm.plugin.openfire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jivesoftware.util.JiveGlobals;
import org.jivesoftware.util.PropertyEventDispatcher;
import org.jivesoftware.util.PropertyEventListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmppcm.plugin.openfire.standin.StandIn;

/** The test stand-ins, not the stub's throwing classes, are what the plugin's code meets at test time. */
class StandInShadowingTest {
    @BeforeEach
    void reset() {
        StandIn.reset();
    }

    @Test
    void jiveGlobalsIsTheStandIn() {
        JiveGlobals.setProperty("a.b", "c");
        assertThat(JiveGlobals.getProperty("a.b")).isEqualTo("c");
        // Loaded from test classes, not from the openfire-stub jar.
        assertThat(JiveGlobals.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .contains("test-classes");
    }

    @Test
    void propertyChangesAreDispatchedSynchronously() {
        List<String> events = new ArrayList<>();
        PropertyEventDispatcher.addListener(new PropertyEventListener() {
            @Override
            public void propertySet(String property, Map<String, Object> params) {
                events.add("set " + property + "=" + params.get("value"));
            }

            @Override
            public void propertyDeleted(String property, Map<String, Object> params) {
                events.add("deleted " + property);
            }

            @Override
            public void xmlPropertySet(String property, Map<String, Object> params) {
            }

            @Override
            public void xmlPropertyDeleted(String property, Map<String, Object> params) {
            }
        });
        JiveGlobals.setProperty("x", "1");
        JiveGlobals.deleteProperty("x");
        assertThat(events).containsExactly("set x=1", "deleted x");
    }

    @Test
    void systemPropertiesReadThroughJiveGlobalsWithDefaultAndRange() {
        assertThat(ConnectionManagerProperties.GRACE_SECONDS.getValue()).isEqualTo(30);
        JiveGlobals.setProperty(ConnectionManagerProperties.GRACE_SECONDS.getKey(), "7");
        assertThat(ConnectionManagerProperties.GRACE_SECONDS.getValue()).isEqualTo(7);
        JiveGlobals.setProperty(ConnectionManagerProperties.GRACE_SECONDS.getKey(), "99999");
        assertThat(ConnectionManagerProperties.GRACE_SECONDS.getValue()).isEqualTo(30);
        JiveGlobals.setProperty(ConnectionManagerProperties.GRACE_SECONDS.getKey(), "nope");
        assertThat(ConnectionManagerProperties.GRACE_SECONDS.getValue()).isEqualTo(30);
    }
}
