// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.util;

import java.util.List;
import java.util.Locale;
import org.xmppcm.plugin.openfire.standin.StandIn;

public class JiveGlobals {
    private JiveGlobals() {
    }

    public static String getProperty(String name) {
        return StandIn.properties().get(name);
    }

    public static List<String> getPropertyNames() {
        return StandIn.properties().keySet().stream().sorted().toList();
    }

    public static void setProperty(String name, String value) {
        StandIn.setProperty(name, value, false);
    }

    public static void setProperty(String name, String value, boolean encrypt) {
        StandIn.setProperty(name, value, encrypt);
    }

    public static void deleteProperty(String name) {
        StandIn.deleteProperty(name);
    }

    public static Locale getLocale() {
        return StandIn.locale();
    }
}
