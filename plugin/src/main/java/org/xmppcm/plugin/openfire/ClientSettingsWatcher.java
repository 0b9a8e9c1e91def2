package org.xmppcm.plugin.openfire;

import java.util.Map;
import org.jivesoftware.util.PropertyEventListener;
import org.xmppcm.plugin.core.Debouncer;
import org.xmppcm.plugin.core.WatchedProperties;

/**
 * Re-pushes the client configuration to connected managers when a setting it is made of changes, and retries a
 * listener that could not start when a setting that kept it from starting changes (the administrator disabled
 * Openfire's built-in listener on the port). Openfire calls this on the thread that changed the property (often an
 * admin page); the work itself runs later, once, on the debouncers' thread.
 */
final class ClientSettingsWatcher implements PropertyEventListener {
    private final WatchedProperties watched;
    private final Debouncer push;
    private final Debouncer relisten;

    ClientSettingsWatcher(WatchedProperties watched, Debouncer push, Debouncer relisten) {
        this.watched = watched;
        this.push = push;
        this.relisten = relisten;
    }

    @Override
    public void propertySet(String property, Map<String, Object> params) {
        changed(property);
    }

    @Override
    public void propertyDeleted(String property, Map<String, Object> params) {
        changed(property);
    }

    @Override
    public void xmlPropertySet(String property, Map<String, Object> params) {
        // openfire.xml holds start-up settings only; none of them is pushed.
    }

    @Override
    public void xmlPropertyDeleted(String property, Map<String, Object> params) {
        // as above
    }

    private void changed(String property) {
        if (watched.affectsClientConfiguration(property)) {
            push.trigger();
        }
        if (watched.affectsListener(property)) {
            relisten.trigger();
        }
    }
}
