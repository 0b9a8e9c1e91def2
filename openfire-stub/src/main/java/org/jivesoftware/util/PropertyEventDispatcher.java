package org.jivesoftware.util;

/** Compile-only mirror: (un)registering a {@link PropertyEventListener}. */
public class PropertyEventDispatcher {

    private PropertyEventDispatcher() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static void addListener(PropertyEventListener listener) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static void removeListener(PropertyEventListener listener) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
