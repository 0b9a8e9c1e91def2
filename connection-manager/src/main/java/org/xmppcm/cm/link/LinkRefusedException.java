package org.xmppcm.cm.link;

/** The server refused this manager's link as configured (wrong secret, unknown name, policy): see its message. */
public final class LinkRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    LinkRefusedException(String message) {
        super(message);
    }
}
