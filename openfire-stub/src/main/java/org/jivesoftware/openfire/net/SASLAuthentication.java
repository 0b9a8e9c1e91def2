package org.jivesoftware.openfire.net;

import java.util.Set;

/** Compile-only mirror: the mechanisms Openfire offers clients (deprecated for removal from 5.2.0 on). */
public class SASLAuthentication {

    private SASLAuthentication() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static Set<String> getSupportedMechanisms() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
