package org.xmppcm.cm;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's routed stanzas held while no link is up, in order. Bounded per client and,
 * through the shared counter, for all clients together: a full buffer refuses, it never grows.
 */
final class HoldBuffer {
    private final ArrayDeque<byte[]> routes = new ArrayDeque<>();
    private final int maxBytes;
    private final long maxTotal;
    private final AtomicLong total;
    private int bytes;
    /** Set once the held routes went out: later ones must go straight to the link. */
    private boolean released;

    HoldBuffer(int maxBytes, long maxTotal, AtomicLong total) {
        this.maxBytes = maxBytes;
        this.maxTotal = maxTotal;
        this.total = total;
    }

    /**
     * Holds one route. Callers hold this buffer's monitor and check {@link #isReleased()} first,
     * so nothing is added after the release.
     *
     * @return false when this client's or everyone's limit would be passed
     */
    synchronized boolean offer(byte[] route) {
        if (released) {
            throw new IllegalStateException("released");
        }
        if (bytes + route.length > maxBytes) {
            return false;
        }
        if (total.addAndGet(route.length) > maxTotal) {
            total.addAndGet(-route.length);
            return false;
        }
        bytes += route.length;
        routes.add(route);
        return true;
    }

    synchronized boolean isReleased() {
        return released;
    }

    /** Takes everything held, oldest first, frees its share of the total, and refuses more. */
    synchronized List<byte[]> release() {
        released = true;
        List<byte[]> all = List.copyOf(routes);
        routes.clear();
        total.addAndGet(-bytes);
        bytes = 0;
        return all;
    }

    synchronized int bytes() {
        return bytes;
    }
}
