package org.jivesoftware.openfire.handler;

/** Compile-only mirror: whether in-band registration is enabled. */
public class IQRegisterHandler {

    private IQRegisterHandler() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public boolean isInbandRegEnabled() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
