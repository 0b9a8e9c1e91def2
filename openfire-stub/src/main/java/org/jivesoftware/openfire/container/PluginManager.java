package org.jivesoftware.openfire.container;

/**
 * Compile-only mirror of Openfire 5.1.1's {@code org.jivesoftware.openfire.container.PluginManager}
 * (a public, non-final class in xmppserver). Only the type is mirrored: the plugin receives an instance in
 * {@link Plugin#initializePlugin} and calls nothing on it yet. Add members here only when the plugin
 * starts calling them.
 */
public class PluginManager {

    /**
     * Openfire's only constructor takes the plugins directory; the plugin never constructs a manager, so
     * the stub keeps this private to stay narrower than the real class.
     */
    private PluginManager() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
