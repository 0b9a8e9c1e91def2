package org.xmppcm.protocol.cm;

/**
 * A protocol element that cannot be acted on. Carries the stanza error to answer with:
 * a defined condition of RFC 6120 8.3.3 (e.g. {@code bad-request}) and optionally an
 * application condition of {@link Namespaces#CM_ERRORS} ({@code id-required},
 * {@code invalid-payload}, {@code unknown-stanza}).
 */
public final class CmProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final StanzaErrorCondition condition;
    private final CmErrorCondition cmCondition;

    public CmProtocolException(StanzaErrorCondition condition, CmErrorCondition cmCondition, String message) {
        super(message);
        this.condition = condition;
        this.cmCondition = cmCondition;
    }

    public StanzaErrorCondition condition() {
        return condition;
    }

    /** The application-specific condition, or null. */
    public CmErrorCondition cmCondition() {
        return cmCondition;
    }
}
