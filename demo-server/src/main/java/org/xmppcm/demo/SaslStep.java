package org.xmppcm.demo;

/** What a SASL mechanism answers to one client message. */
sealed interface SaslStep {
    /** Another round: the server sends {@code data} in a {@code <challenge/>}. */
    record Challenge(byte[] data) implements SaslStep {
    }

    /**
     * The client proved who it is.
     *
     * @param username the authenticated account, normalized
     * @param additionalData data for {@code <success/>}, or null for none
     */
    record Success(String username, byte[] additionalData) implements SaslStep {
    }

    record Failure(SaslFailure condition) implements SaslStep {
    }

    static SaslStep failure(SaslFailure condition) {
        return new Failure(condition);
    }
}
