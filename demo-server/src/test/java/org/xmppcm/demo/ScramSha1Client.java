package org.xmppcm.demo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-1 (RFC 5802), written independently of the server: it uses the
 * JRE's PBKDF2WithHmacSHA1 for Hi(), where the server has its own loop, so a shared mistake
 * in key derivation cannot make both sides agree.
 */
final class ScramSha1Client {
    private final String username;
    private final String password;
    private final String gs2Header;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    ScramSha1Client(String username, String password, String gs2Header, String clientNonce) {
        this.username = username;
        this.password = password;
        this.gs2Header = gs2Header;
        this.clientNonce = clientNonce;
    }

    ScramSha1Client(String username, String password) {
        this(username, password, "n,,", "fyko+d2lbbFgONRv9qkxdawL");
    }

    String clientFirst() {
        clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return gs2Header + clientFirstBare;
    }

    /** Computes client-final from server-first, remembering which ServerSignature to expect. */
    String clientFinal(String serverFirst) {
        Map<Character, String> attributes = parse(serverFirst);
        String nonce = attributes.get('r');
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new IllegalStateException("server nonce does not extend ours: " + serverFirst);
        }
        byte[] salt = Base64.getDecoder().decode(attributes.get('s'));
        int iterations = Integer.parseInt(attributes.get('i'));
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8))
                + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        try {
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1");
            byte[] saltedPassword = pbkdf2.generateSecret(
                    new PBEKeySpec(password.toCharArray(), salt, iterations, 160)).getEncoded();
            byte[] clientKey = hmac(saltedPassword, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-1").digest(clientKey);
            byte[] clientSignature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
            }
            expectedServerSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage);
            return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether server-final ({@code v=...}) proves the server knew our password's keys. */
    boolean verifyServerFinal(String serverFinal) {
        String v = parse(serverFinal).get('v');
        return v != null && MessageDigest.isEqual(Base64.getDecoder().decode(v), expectedServerSignature);
    }

    private static Map<Character, String> parse(String message) {
        Map<Character, String> attributes = new HashMap<>();
        for (String part : message.split(",")) {
            attributes.put(part.charAt(0), part.substring(2));
        }
        return attributes;
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        return hmac(key, data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(data);
    }
}
