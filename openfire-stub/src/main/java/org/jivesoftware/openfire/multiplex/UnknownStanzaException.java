package org.jivesoftware.openfire.multiplex;

/** Compile-only mirror: thrown by {@code SessionPacketRouter.route(Element)} for an element it cannot route. */
public class UnknownStanzaException extends Exception {
    private static final long serialVersionUID = 1L;

    private UnknownStanzaException() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
