package org.xmppcm.plugin.openfire;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.File;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin class in this release only logs; these tests pin down that its lifecycle never throws. */
class ConnectionManagerPluginTest {

    /** Verifies that a load followed by an unload, as Openfire performs them, completes. */
    @Test
    void initializeThenDestroy(@TempDir File pluginDirectory) {
        final ConnectionManagerPlugin plugin = new ConnectionManagerPlugin();

        assertThatCode(() -> {
            plugin.initializePlugin(null, pluginDirectory); // the manager is not used in this release
            plugin.destroyPlugin();
        }).doesNotThrowAnyException();
    }

    /** Verifies that destroyPlugin is safe without a prior load and when called twice. */
    @Test
    void destroyWithoutInitializeAndTwiceIsHarmless(@TempDir File pluginDirectory) {
        final ConnectionManagerPlugin plugin = new ConnectionManagerPlugin();

        assertThatCode(() -> {
            plugin.destroyPlugin();
            plugin.initializePlugin(null, pluginDirectory);
            plugin.destroyPlugin();
            plugin.destroyPlugin();
        }).doesNotThrowAnyException();
    }
}
