package org.jivesoftware.util;

import java.util.List;
import java.util.Locale;

/**
 * Compile-only mirror: properties by keys built at run time (per-manager secrets, encrypted; tuning values), and the
 * admin console's locale.
 */
public class JiveGlobals {

    private JiveGlobals() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static String getProperty(String name) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static List<String> getPropertyNames() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static void setProperty(String name, String value) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static void setProperty(String name, String value, boolean encrypt) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static void deleteProperty(String name) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static Locale getLocale() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
