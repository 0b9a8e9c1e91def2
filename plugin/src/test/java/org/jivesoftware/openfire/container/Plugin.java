// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire.container;

import java.io.File;

public interface Plugin {
    void initializePlugin(PluginManager manager, File pluginDirectory);

    void destroyPlugin();
}
