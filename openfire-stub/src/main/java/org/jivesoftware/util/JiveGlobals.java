package org.jivesoftware.util;

/** Compile-only mirror: reading a property by a key built at run time (per-manager secrets, decrypted). */
public class JiveGlobals {

    private JiveGlobals() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static String getProperty(String name) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
