package org.xmppcm.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server side of SCRAM-SHA-1 (RFC 5802) without channel binding: client-first → server-first
 * (combined nonce, salt, iteration count) → client-final → success carrying {@code v=ServerSignature}.
 * Clients that require channel binding ({@code p=}) are refused, as only the non-PLUS variant is offered.
 */
final class ScramSha1Server implements SaslMechanism {
    static final String NAME = "SCRAM-SHA-1";
    private static final int NONCE_BYTES = 18;
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { EXPECT_CLIENT_FIRST, EXPECT_CLIENT_FINAL, DONE }

    private final UserStore users;
    private final String domain;
    private State state = State.EXPECT_CLIENT_FIRST;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String username;
    private ScramCredentials credentials;

    ScramSha1Server(UserStore users, String domain) {
        this.users = users;
        this.domain = domain;
    }

    @Override
    public SaslStep evaluate(byte[] clientData) {
        switch (state) {
            case EXPECT_CLIENT_FIRST:
                if (clientData == null) {
                    return new SaslStep.Challenge(new byte[0]); // ask for client-first
                }
                return clientFirst(new String(clientData, StandardCharsets.UTF_8));
            case EXPECT_CLIENT_FINAL:
                state = State.DONE;
                return clientFinal(clientData == null ? "" : new String(clientData, StandardCharsets.UTF_8));
            default:
                return SaslStep.failure(SaslFailure.MALFORMED_REQUEST);
        }
    }

    private SaslStep clientFirst(String message) {
        // gs2-header = gs2-cbind-flag "," [ authzid ] ","
        if (message.startsWith("p=")) {
            state = State.DONE;
            return SaslStep.failure(SaslFailure.MALFORMED_REQUEST); // channel binding not offered
        }
        if (!(message.startsWith("n,") || message.startsWith("y,"))) {
            return fail(SaslFailure.MALFORMED_REQUEST);
        }
        int secondComma = message.indexOf(',', 2);
        if (secondComma < 0) {
            return fail(SaslFailure.MALFORMED_REQUEST);
        }
        String authzid = null;
        String authzidField = message.substring(2, secondComma);
        if (!authzidField.isEmpty()) {
            if (!authzidField.startsWith("a=")) {
                return fail(SaslFailure.MALFORMED_REQUEST);
            }
            authzid = decodeSaslName(authzidField.substring(2));
            if (authzid == null) {
                return fail(SaslFailure.MALFORMED_REQUEST);
            }
        }
        gs2Header = message.substring(0, secondComma + 1);
        clientFirstBare = message.substring(secondComma + 1);
        // client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
        String[] attributes = clientFirstBare.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            return fail(SaslFailure.MALFORMED_REQUEST); // also catches a mandatory extension "m="
        }
        String rawName = decodeSaslName(attributes[0].substring(2));
        String clientNonce = attributes[1].substring(2);
        if (rawName == null || rawName.isEmpty() || !printable(clientNonce)) {
            return fail(SaslFailure.MALFORMED_REQUEST);
        }
        try {
            username = Jid.normalizeLocal(rawName);
        } catch (IllegalArgumentException e) {
            username = null; // not a possible account: let the proof fail like any unknown user
        }
        if (username != null && !Authzid.allowed(authzid, username, domain)) {
            return fail(SaslFailure.INVALID_AUTHZID);
        }
        credentials = users.scramCredentials(username == null ? rawName : username);
        byte[] random = new byte[NONCE_BYTES];
        RANDOM.nextBytes(random);
        nonce = clientNonce + Base64.getEncoder().encodeToString(random);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt())
                + ",i=" + credentials.iterations();
        state = State.EXPECT_CLIENT_FINAL;
        return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private SaslStep clientFinal(String message) {
        // client-final-message = channel-binding "," nonce ["," extensions] "," proof
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            return SaslStep.failure(SaslFailure.MALFORMED_REQUEST);
        }
        String withoutProof = message.substring(0, proofAt);
        String[] attributes = withoutProof.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
            return SaslStep.failure(SaslFailure.MALFORMED_REQUEST);
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return SaslStep.failure(SaslFailure.MALFORMED_REQUEST);
        }
        String expectedBinding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (!attributes[0].substring(2).equals(expectedBinding) || !attributes[1].substring(2).equals(nonce)) {
            return SaslStep.failure(SaslFailure.NOT_AUTHORIZED);
        }
        byte[] storedKey = credentials.storedKey();
        if (proof.length != storedKey.length) {
            return SaslStep.failure(SaslFailure.MALFORMED_REQUEST);
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = ScramCredentials.hmac(storedKey, authMessage);
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        boolean valid = MessageDigest.isEqual(ScramCredentials.sha1(clientKey), storedKey);
        if (!valid || !users.exists(username)) {
            return SaslStep.failure(SaslFailure.NOT_AUTHORIZED);
        }
        byte[] serverSignature = ScramCredentials.hmac(credentials.serverKey(), authMessage);
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return new SaslStep.Success(username, serverFinal.getBytes(StandardCharsets.UTF_8));
    }

    private SaslStep fail(SaslFailure condition) {
        state = State.DONE;
        return SaslStep.failure(condition);
    }

    /** Decodes a saslname ("=2C" is ',', "=3D" is '='); null when another '=' escape occurs. */
    private static String decodeSaslName(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '=') {
                if (value.startsWith("=2C", i)) {
                    sb.append(',');
                } else if (value.startsWith("=3D", i)) {
                    sb.append('=');
                } else {
                    return null;
                }
                i += 2;
            } else if (c == ',') {
                return null;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** RFC 5802's "printable": ASCII 0x21-0x7E except ','; non-empty. */
    private static boolean printable(String nonce) {
        if (nonce.isEmpty()) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }
}
