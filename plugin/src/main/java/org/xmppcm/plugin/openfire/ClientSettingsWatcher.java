package org.xmppcm.plugin.openfire;

import java.util.Map;
import org.jivesoftware.util.PropertyEventListener;
import org.xmppcm.plugin.core.Debouncer;
import org.xmppcm.plugin.core.WatchedProperties;

/**
 * Re-pushes the client configuration to connected managers when a setting it is made of changes. Openfire calls
 * this on the thread that changed the property (often an admin page); the push itself runs later, once, on the
 * debouncer's thread.
 */
final class ClientSettingsWatcher implements PropertyEventListener {
    private final WatchedProperties watched;
    private final Debouncer push;

    ClientSettingsWatcher(WatchedProperties watched, Debouncer push) {
        this.watched = watched;
        this.push = push;
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
    }
}
