package org.jivesoftware.openfire.auth;

/** Compile-only mirror: the checked exception of {@code Connection.deliver(Packet)}. */
public class UnauthorizedException extends Exception {
    private static final long serialVersionUID = 1L;

    private UnauthorizedException() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
