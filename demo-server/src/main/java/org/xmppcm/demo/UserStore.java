package org.xmppcm.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The demo server's accounts: username to SCRAM-SHA-1 credentials, fixed at construction.
 * Loaded from a properties file of {@code username=password} lines. Immutable, so thread-safe.
 */
final class UserStore {
    /** The classpath resource with the demo accounts (alice/alice, bob/bob). */
    static final String DEMO_USERS_RESOURCE = "demo-users.properties";
    private static final int SALT_BYTES = 16;

    private final Map<String, ScramCredentials> credentials;
    private final List<String> usernames;
    /** Key for the deterministic fake salts of unknown users, see {@link #scramCredentials}. */
    private final byte[] fakeSaltKey;
    private final byte[] fakeKey;

    private UserStore(Map<String, String> passwords) {
        SecureRandom random = new SecureRandom();
        Map<String, ScramCredentials> derived = new TreeMap<>();
        passwords.forEach((rawName, password) -> {
            String username = Jid.normalizeLocal(rawName.trim());
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("user " + username + " has an empty password");
            }
            byte[] salt = new byte[SALT_BYTES];
            random.nextBytes(salt);
            if (derived.put(username, ScramCredentials.derive(password, salt, ScramCredentials.DEFAULT_ITERATIONS)) != null) {
                throw new IllegalArgumentException("user " + username + " is defined twice");
            }
        });
        this.credentials = Collections.unmodifiableMap(derived);
        this.usernames = List.copyOf(derived.keySet());
        this.fakeSaltKey = new byte[20];
        random.nextBytes(fakeSaltKey);
        this.fakeKey = new byte[20];
        random.nextBytes(fakeKey);
    }

    static UserStore of(Map<String, String> passwords) {
        return new UserStore(passwords);
    }

    static UserStore of(Properties properties) {
        Map<String, String> passwords = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            passwords.put(name, properties.getProperty(name));
        }
        return new UserStore(passwords);
    }

    static UserStore load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties properties = new Properties();
            properties.load(reader);
            return of(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read users file " + file, e);
        }
    }

    /** The demo accounts shipped next to this class. */
    static UserStore demoUsers() {
        try (InputStream in = UserStore.class.getResourceAsStream(DEMO_USERS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEMO_USERS_RESOURCE);
            }
            Properties properties = new Properties();
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return of(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEMO_USERS_RESOURCE, e);
        }
    }

    /** Whether {@code username} (already normalized) is an account. */
    boolean exists(String username) {
        return username != null && credentials.containsKey(username);
    }

    /** All account names, sorted. */
    List<String> usernames() {
        return usernames;
    }

    /** Checks a password for PLAIN; false for unknown users. */
    boolean checkPassword(String username, String password) {
        ScramCredentials c = credentials.get(username);
        return c != null && c.matches(password);
    }

    /**
     * The SCRAM credentials of {@code username}. For an unknown user, made-up credentials with a
     * salt that is stable per name, so that the exchange fails only at the proof and does not
     * tell an attacker which accounts exist (RFC 5802 section 9).
     */
    ScramCredentials scramCredentials(String username) {
        ScramCredentials c = credentials.get(username);
        if (c != null) {
            return c;
        }
        byte[] salt = Arrays.copyOf(ScramCredentials.hmac(fakeSaltKey, username.getBytes(StandardCharsets.UTF_8)), SALT_BYTES);
        return new ScramCredentials(salt, ScramCredentials.DEFAULT_ITERATIONS, fakeKey, fakeKey);
    }
}
