package org.xmppcm.load;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-1 (RFC 5802), no channel binding. The salted password (PBKDF2,
 * thousands of HMACs) is cached per account and salt, as real clients may cache it: many load
 * clients share an account, and without the cache the generator's CPU, not the CM, would set the
 * login rate.
 */
final class ScramClient {
    private static final String GS2 = "n,,";
    private static final String CHANNEL_BINDING = Base64.getEncoder().encodeToString(GS2.getBytes(StandardCharsets.US_ASCII));
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    private record Keys(String salt, int iterations, byte[] clientKey, byte[] storedKey, byte[] serverKey) {
    }

    private final Map<String, Keys> cache = new ConcurrentHashMap<>();

    /** One exchange: client-first, then the answer to the server-first, then checking the server's signature. */
    final class Exchange {
        private final String username;
        private final String password;
        private final String clientFirstBare;
        private byte[] expectedServerSignature;

        Exchange(String username, String password) {
            this.username = username;
            this.password = password;
            this.clientFirstBare = "n=" + username + ",r=" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + Long.toHexString(ThreadLocalRandom.current().nextLong());
        }

        /** The initial response of {@code <auth/>}, base64. */
        String clientFirst() {
            return b64(GS2 + clientFirstBare);
        }

        /** The {@code <response/>} to a challenge (base64 in, base64 out); null when the challenge is invalid. */
        String clientFinal(String challenge) {
            String serverFirst = new String(Base64.getDecoder().decode(challenge.trim()), StandardCharsets.UTF_8);
            String nonce = null;
            String salt = null;
            int iterations = 0;
            for (String attribute : serverFirst.split(",")) {
                if (attribute.startsWith("r=")) {
                    nonce = attribute.substring(2);
                } else if (attribute.startsWith("s=")) {
                    salt = attribute.substring(2);
                } else if (attribute.startsWith("i=")) {
                    iterations = Integer.parseInt(attribute.substring(2));
                }
            }
            String ourNonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3);
            if (nonce == null || salt == null || iterations < 1 || !nonce.startsWith(ourNonce)) {
                return null;
            }
            Keys keys = keys(username, password, salt, iterations);
            String withoutProof = "c=" + CHANNEL_BINDING + ",r=" + nonce;
            byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
            byte[] signature = hmac(keys.storedKey, authMessage);
            byte[] proof = keys.clientKey.clone();
            for (int i = 0; i < proof.length; i++) {
                proof[i] ^= signature[i];
            }
            expectedServerSignature = hmac(keys.serverKey, authMessage);
            return b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
        }

        /** Whether the {@code <success/>} data proves the server knew the password too. */
        boolean verify(String success) {
            String text = new String(Base64.getDecoder().decode(success.trim()), StandardCharsets.UTF_8);
            return expectedServerSignature != null && text.startsWith("v=")
                    && Arrays.equals(Base64.getDecoder().decode(text.substring(2)), expectedServerSignature);
        }
    }

    Exchange start(String username, String password) {
        return new Exchange(username, password);
    }

    private Keys keys(String username, String password, String salt, int iterations) {
        Keys keys = cache.get(username);
        if (keys != null && keys.salt.equals(salt) && keys.iterations == iterations) {
            return keys;
        }
        byte[] salted = hi(password.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(salt), iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        try {
            keys = new Keys(salt, iterations, clientKey, MessageDigest.getInstance("SHA-1").digest(clientKey), serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        cache.put(username, keys);
        return keys;
    }

    private static byte[] hi(byte[] password, byte[] salt, int iterations) {
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

    private static byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    private static Mac mac(byte[] key) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return mac;
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
