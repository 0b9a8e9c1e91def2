package org.xmppcm.engine;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Counts failed link handshakes per source and blocks a source that fails too often, so a secret
 * cannot be guessed at line rate. The engine's source is the remote IP address (ports are ignored:
 * each guess comes on a new connection, hence a new port) together with the manager name tried
 * ({@link LinkNegotiator}), so one misconfigured manager cannot lock out the others on its host.
 *
 * <p>Each source has a fixed window opened by its first failure; {@code maxFailures} failures
 * inside it block the source for {@code block}. A success forgets the source. Time comes from
 * an injected monotonic nanosecond clock (tests move it by hand).
 *
 * <p>Memory is bounded: at most {@code maxTracked} sources are remembered. When the table is full,
 * sources whose window and block are both over go first, then the one idle for longest (a
 * blocked source that keeps knocking stays fresh, so a flood of new sources does not
 * easily push it out). Thread-safe; called only on the handshake path, so one lock is enough.
 *
 * @param <K> the source key; null means untracked (never blocked)
 */
final class HandshakeThrottle<K> {
    /** The default cap on remembered addresses: a few hundred KiB at most. */
    static final int MAX_TRACKED = 10_000;

    /** What a recorded failure means for the log: warn once per window and once per block. */
    enum Failure {
        /** The first failure of the address in its window. */
        FIRST,
        /** A later failure in the same window, below the limit. */
        REPEATED,
        /** This failure reached the limit: the address is blocked from now on. */
        BLOCKED
    }

    private static final class Entry {
        long windowStart;
        int failures;
        long blockedUntil;
        boolean blocked; // blockedUntil is meaningful

        /** Nothing left to remember: window over and not blocked (any more). */
        boolean expired(long now, long windowNanos) {
            return (!blocked || now - blockedUntil >= 0) && now - windowStart >= windowNanos;
        }

        /** When {@link #expired} becomes true; it never moves earlier for a given entry. */
        long expiresAt(long windowNanos) {
            long windowEnd = windowStart + windowNanos;
            return blocked && blockedUntil - windowEnd > 0 ? blockedUntil : windowEnd;
        }
    }

    private final int maxFailures;
    private final long windowNanos;
    private final long blockNanos;
    private final int maxTracked;
    private final LongSupplier nanoClock;
    // Access order: the head is the address idle for longest, the one to evict when nothing has expired.
    private final LinkedHashMap<K, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    // No entry can expire before this, so a full table under a flood of fresh addresses is not
    // rescanned on every failure.
    private long noExpiryBefore;

    /**
     * @param maxFailures failures within {@code window} that block an address; 0 switches throttling off
     * @param nanoClock a monotonic clock in nanoseconds, e.g. {@code System::nanoTime}
     */
    HandshakeThrottle(int maxFailures, Duration window, Duration block, int maxTracked, LongSupplier nanoClock) {
        if (maxFailures < 0 || window.isNegative() || block.isNegative() || maxTracked < 1) {
            throw new IllegalArgumentException("bad handshake throttle settings: " + maxFailures + " failures, window "
                    + window + ", block " + block + ", " + maxTracked + " addresses");
        }
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.blockNanos = block.toNanos();
        this.maxTracked = maxTracked;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.noExpiryBefore = nanoClock.getAsLong();
    }

    /** The throttle the {@code limits} ask for, with the default cap. */
    static <K> HandshakeThrottle<K> of(LinkLimits limits, LongSupplier nanoClock) {
        return new HandshakeThrottle<>(limits.handshakeFailures(), Duration.ofSeconds(limits.handshakeWindowSeconds()),
                Duration.ofSeconds(limits.handshakeBlockSeconds()), MAX_TRACKED, nanoClock);
    }

    int maxFailures() {
        return maxFailures;
    }

    Duration block() {
        return Duration.ofNanos(blockNanos);
    }

    /** True while handshakes from {@code address} are refused unchecked. Null (not an IP link) is never blocked. */
    synchronized boolean isBlocked(K address) {
        if (address == null || maxFailures == 0) {
            return false;
        }
        Entry entry = entries.get(address); // counts as activity: keeps a knocking offender in the table
        return entry != null && entry.blocked && nanoClock.getAsLong() - entry.blockedUntil < 0;
    }

    /** Records a wrong digest from {@code address}; says how it should be logged. */
    synchronized Failure failed(K address) {
        if (address == null || maxFailures == 0) {
            return Failure.FIRST; // untracked: every failure is worth its warning
        }
        long now = nanoClock.getAsLong();
        Entry entry = entries.get(address);
        if (entry == null) {
            makeRoom(now);
            entry = new Entry();
            entries.put(address, entry);
        }
        if (entry.expired(now, windowNanos) || entry.blocked && now - entry.blockedUntil >= 0) {
            // A block that has run out also starts a fresh window: another full round of
            // failures, then another block.
            entry.windowStart = now;
            entry.failures = 0;
            entry.blocked = false;
        }
        entry.failures++;
        Failure result;
        if (entry.failures >= maxFailures && !entry.blocked) {
            entry.blocked = true;
            entry.blockedUntil = now + blockNanos;
            result = Failure.BLOCKED;
        } else {
            result = entry.failures == 1 ? Failure.FIRST : Failure.REPEATED;
        }
        noExpiryBefore = earlier(noExpiryBefore, entry.expiresAt(windowNanos));
        return result;
    }

    /** A correct handshake from {@code address}: its failures are forgotten. */
    synchronized void succeeded(K address) {
        if (address != null) {
            entries.remove(address);
        }
    }

    /** How many addresses are remembered (for tests). */
    synchronized int tracked() {
        return entries.size();
    }

    /** Frees one slot when the table is full: expired entries first, else the longest idle one. */
    private void makeRoom(long now) {
        if (entries.size() < maxTracked) {
            return;
        }
        if (now - noExpiryBefore >= 0) {
            long next = now + windowNanos; // what any entry added from now on expires after at least
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                Entry entry = it.next();
                if (entry.expired(now, windowNanos)) {
                    it.remove();
                } else {
                    next = earlier(next, entry.expiresAt(windowNanos));
                }
            }
            noExpiryBefore = next;
        }
        if (entries.size() >= maxTracked) {
            Iterator<Map.Entry<K, Entry>> eldest = entries.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** The earlier of two {@link System#nanoTime()}-style readings (they may wrap, so no {@code Math.min}). */
    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }
}
