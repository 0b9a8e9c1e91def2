package org.xmppcm.engine;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Identifiers the engine makes up: link stream ids (secret-ish: they salt the handshake) and IQ ids. */
final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    static final int STREAM_ID_LENGTH = 10;

    private final SecureRandom random = new SecureRandom();
    private final AtomicLong iqCounter = new AtomicLong();
    private final String iqPrefix;

    Ids() {
        // A per-run prefix keeps IQ ids from a restarted server distinct from stale CM state.
        this.iqPrefix = randomString(4) + "-";
    }

    /** A fresh 10-character {@code [0-9a-z]} stream id; unpredictable, since it salts the handshake digest. */
    String nextStreamId() {
        return randomString(STREAM_ID_LENGTH);
    }

    String nextIqId() {
        return iqPrefix + iqCounter.incrementAndGet();
    }

    private String randomString(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
