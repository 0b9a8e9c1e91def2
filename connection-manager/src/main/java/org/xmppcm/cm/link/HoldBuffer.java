package org.xmppcm.cm.link;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mina.core.session.IoSession;
import org.xmppcm.transport.ReadGate;

/**
 * One client's routed stanzas held while they cannot go to the server (no link, or its link waits to be taken over),
 * in order. Bounded per client and, through the shared counter, for all clients together. A client that reaches a
 * limit is not disconnected: it is no longer read ({@link #slowDownIfFull}) until the buffer is released, so TCP holds
 * its further stanzas. What it had sent in the same read still goes in, up to {@link #OVERDRAFT_BYTES} more; only a
 * client past that too is refused.
 */
final class HoldBuffer {
    /** What one read of a paused client can still bring beyond the limit: the CM's largest read, and some. */
    static final int OVERDRAFT_BYTES = 128 * 1024;

    private final ArrayDeque<byte[]> routes = new ArrayDeque<>();
    private final int maxBytes;
    private final long maxTotal;
    private final AtomicLong total;
    private int bytes;
    /** Set once the held routes went out: later ones must go straight to the link. */
    private boolean released;
    /** Set while a limit is reached: the client should not be read. */
    private boolean full;
    /** The client whose reads this buffer paused, to be read again at the release. */
    private IoSession paused;

    HoldBuffer(int maxBytes, long maxTotal, AtomicLong total) {
        this.maxBytes = maxBytes;
        this.maxTotal = maxTotal;
        this.total = total;
    }

    /**
     * Holds one route. Callers hold this buffer's monitor and check {@link #isReleased()} first,
     * so nothing is added after the release.
     *
     * @return false when this client is past its limit and its overdraft (it kept sending although no longer read)
     */
    synchronized boolean offer(byte[] route) {
        if (released) {
            throw new IllegalStateException("released");
        }
        boolean overLimit = bytes + route.length > maxBytes || total.get() + route.length > maxTotal;
        if (overLimit) {
            full = true;
            if (bytes + route.length > maxBytes + OVERDRAFT_BYTES) {
                return false;
            }
        }
        total.addAndGet(route.length);
        bytes += route.length;
        routes.add(route);
        return true;
    }

    /** After a route: a client that reached a limit is not read again until the release. */
    synchronized void slowDownIfFull(IoSession client) {
        if (full && !released && paused == null) {
            paused = client;
            ReadGate.pause(client, this);
        }
    }

    synchronized boolean isReleased() {
        return released;
    }

    /** Takes everything held, oldest first, frees its share of the total, refuses more, and reads the client again. */
    synchronized List<byte[]> release() {
        released = true;
        List<byte[]> all = List.copyOf(routes);
        routes.clear();
        total.addAndGet(-bytes);
        bytes = 0;
        if (paused != null) {
            ReadGate.resume(paused, this);
            paused = null;
        }
        return all;
    }

    synchronized int bytes() {
        return bytes;
    }
}
