package org.xmppcm.demo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the server keeps of a password for SCRAM-SHA-1 (RFC 5802 section 3): the salt, the
 * iteration count, StoredKey and ServerKey. The password itself is not kept; PLAIN is checked by
 * deriving the same keys from the offered password.
 */
record ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    static final int DEFAULT_ITERATIONS = 4096;
    private static final String HMAC = "HmacSHA1";

    ScramCredentials {
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** Derives the keys from a password. Passwords are used as UTF-8 without SASLprep (demo accounts are ASCII). */
    static ScramCredentials derive(String password, byte[] salt, int iterations) {
        byte[] saltedPassword = hi(password.getBytes(StandardCharsets.UTF_8), salt, iterations);
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredentials(salt, iterations, sha1(clientKey), serverKey);
    }

    /** Whether {@code password} yields the same StoredKey, compared in constant time. */
    boolean matches(String password) {
        if (password.isEmpty()) {
            return false; // no account has an empty password, and HMAC refuses an empty key
        }
        return MessageDigest.isEqual(derive(password, salt, iterations).storedKey, storedKey);
    }

    /** Hi() of RFC 5802 section 2.2, i.e. PBKDF2 with HMAC-SHA-1 and one output block. */
    static byte[] hi(byte[] password, byte[] salt, int iterations) {
        Mac mac = mac(password);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        byte[] u = mac.doFinal();
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    static byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is mandatory in every JRE", e);
        }
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is mandatory in every JRE", e);
        }
    }
}
