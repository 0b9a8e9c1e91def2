package org.xmppcm.demo;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** SASL PLAIN (RFC 4616): one message {@code authzid NUL authcid NUL passwd}, checked against the user store. */
final class PlainMechanism implements SaslMechanism {
    static final String NAME = "PLAIN";

    private final UserStore users;
    private final String domain;

    PlainMechanism(UserStore users, String domain) {
        this.users = users;
        this.domain = domain;
    }

    @Override
    public SaslStep evaluate(byte[] clientData) {
        if (clientData == null) {
            // No initial response: ask for it with an empty challenge (RFC 4422 section 5).
            return new SaslStep.Challenge(new byte[0]);
        }
        String message;
        try {
            message = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(clientData)).toString();
        } catch (CharacterCodingException e) {
            return SaslStep.failure(SaslFailure.MALFORMED_REQUEST);
        }
        String[] parts = message.split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return SaslStep.failure(SaslFailure.MALFORMED_REQUEST);
        }
        String username;
        try {
            username = Jid.normalizeLocal(parts[1]);
        } catch (IllegalArgumentException e) {
            return SaslStep.failure(SaslFailure.NOT_AUTHORIZED);
        }
        if (!users.checkPassword(username, parts[2])) {
            return SaslStep.failure(SaslFailure.NOT_AUTHORIZED);
        }
        if (!Authzid.allowed(parts[0], username, domain)) {
            return SaslStep.failure(SaslFailure.INVALID_AUTHZID);
        }
        return new SaslStep.Success(username, null);
    }
}
