package org.xmppcm.cm.client;

import java.security.SecureRandom;
import java.util.function.Supplier;

/**
 * Stream ids for client streams. They name the session towards the server, so they must be
 * unique per CM and unguessable (RFC 6120 4.7.3); 16 chars of [0-9a-z] carry about 82 bits.
 */
public final class StreamIds {
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 16;

    private final Supplier<String> source;

    public StreamIds() {
        SecureRandom random = new SecureRandom();
        this.source = () -> {
            char[] id = new char[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            return new String(id);
        };
    }

    /** Ids from {@code source}: tests replaying captured sessions need the captured ids. */
    public StreamIds(Supplier<String> source) {
        this.source = source;
    }

    String next() {
        return source.get();
    }
}
