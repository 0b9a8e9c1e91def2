package org.xmppcm.protocol.ack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What one side sent on one acknowledged link and the peer has not yet acknowledged, oldest first, numbered from 1
 * as the peer counts them. Bounded by its owner: {@link #bytes()} tells how much it keeps, and the owner stops
 * taking more (pauses the producers feeding the link) above its limit. Thread-safe; every method is short.
 *
 * @param <T> what is kept for each element: enough to send it again and, if it can never be delivered, to bounce it
 */
public final class SentLedger<T> {
    /** One element sent and not acknowledged. */
    public record Entry<T>(long number, T item, int bytes) {
    }

    /** Ask for an acknowledgement after this many elements (XEP-0198 style: batched, not per stanza). */
    public static final int REQUEST_EVERY = 64;

    private final ArrayDeque<Entry<T>> unacknowledged = new ArrayDeque<>();
    /** Elements sent since the last request for an acknowledgement. */
    private int sinceRequest;
    private long sent;
    private long acknowledged;
    private long bytes;

    /** Records an element just written; returns its number. */
    public synchronized long sent(T item, int size) {
        sent++;
        unacknowledged.add(new Entry<>(sent, item, size));
        bytes += size;
        return sent;
    }

    /**
     * Writes an element with {@code write} and records it, in one step under the ledger's lock, so that the numbers
     * are the order on the wire whichever threads send.
     *
     * @return true when an acknowledgement should be asked for now ({@value #REQUEST_EVERY} elements since the last)
     */
    public synchronized boolean sent(Runnable write, T item, int size) {
        write.run();
        sent(item, size);
        if (++sinceRequest < REQUEST_EVERY) {
            return false;
        }
        sinceRequest = 0;
        return true;
    }

    /** An acknowledgement was asked for otherwise (a timer): the count towards the next starts again. */
    public synchronized void requested() {
        sinceRequest = 0;
    }

    /**
     * The peer received the first {@code h} elements: they are forgotten. An {@code h} below what was acknowledged
     * before is stale (answers can cross) and changes nothing.
     *
     * @return false when {@code h} counts more than was ever sent: the peer is broken
     */
    public synchronized boolean acknowledged(long h) {
        if (h > sent) {
            return false;
        }
        while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().number() <= h) {
            bytes -= unacknowledged.removeFirst().bytes();
        }
        acknowledged = Math.max(acknowledged, h);
        return true;
    }

    /**
     * Takes what the peer did not receive: the elements after the first {@code h}, in order, leaving the ledger
     * empty (the link is over; they go out again elsewhere, or are bounced).
     *
     * @return null when {@code h} counts more than was ever sent
     */
    public synchronized List<Entry<T>> takeAfter(long h) {
        if (h > sent) {
            return null;
        }
        List<Entry<T>> rest = new ArrayList<>(unacknowledged.size());
        for (Entry<T> entry : unacknowledged) {
            if (entry.number() > h) {
                rest.add(entry);
            }
        }
        unacknowledged.clear();
        bytes = 0;
        acknowledged = Math.max(acknowledged, h);
        return rest;
    }

    /** Takes everything not acknowledged (nobody will say what arrived). */
    public synchronized List<Entry<T>> takeAll() {
        return takeAfter(acknowledged);
    }

    public synchronized long sentCount() {
        return sent;
    }

    public synchronized long acknowledgedCount() {
        return acknowledged;
    }

    /** How many elements wait for an acknowledgement. */
    public synchronized int size() {
        return unacknowledged.size();
    }

    /** The bytes of the elements that wait for an acknowledgement. */
    public synchronized long bytes() {
        return bytes;
    }
}
