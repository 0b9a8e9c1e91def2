package org.xmppcm.plugin.openfire;

import java.io.File;

import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Openfire's entry point into the plugin, named by {@code <class>} in {@code plugin.xml}.
 *
 * <p>This class only wires collaborators together; all Openfire-facing code lives in this package and the
 * protocol itself lives in {@code server-engine}, which has no Openfire import. In this release there is
 * nothing to wire yet: the adapter that implements the engine's host SPI on Openfire sessions comes in a
 * later release, so loading the plugin opens no listener and accepts no connection manager. It says so in
 * the log rather than pretending otherwise.
 */
public final class ConnectionManagerPlugin implements Plugin {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionManagerPlugin.class);

    /** Set while loaded; lets {@link #destroyPlugin()} tell a real unload from a call without a load. */
    private volatile File pluginDirectory;

    /** Openfire instantiates plugins reflectively through this constructor. */
    public ConnectionManagerPlugin() {
    }

    @Override
    public void initializePlugin(PluginManager manager, File pluginDirectory) {
        this.pluginDirectory = pluginDirectory;
        LOG.info("Connection Manager plugin loaded from {}. The Openfire adapter arrives in a later release;"
                + " until then this plugin opens no listener and accepts no connection managers.", pluginDirectory);
    }

    @Override
    public void destroyPlugin() {
        // Openfire may call this after a failed or missing initializePlugin (and once per plugin in a hierarchy).
        final File loadedFrom = pluginDirectory;
        if (loadedFrom == null) {
            return;
        }
        pluginDirectory = null;
        LOG.info("Connection Manager plugin unloaded from {}.", loadedFrom);
    }
}
