package org.jivesoftware.openfire.container;

import java.io.File;

/**
 * Compile-only mirror of Openfire 5.1.1's {@code org.jivesoftware.openfire.container.Plugin}
 * (xmppserver/src/main/java/org/jivesoftware/openfire/container/Plugin.java). Same two methods, no
 * checked exceptions. Openfire instantiates the class named in {@code plugin.xml}'s {@code <class>} and
 * calls these methods on load and unload.
 */
public interface Plugin {

    /** Called once when Openfire loads the plugin; {@code pluginDirectory} is the extracted jar. */
    void initializePlugin(PluginManager manager, File pluginDirectory);

    /** Called when Openfire unloads the plugin; must release everything the plugin holds. */
    void destroyPlugin();
}
