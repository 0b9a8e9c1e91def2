package org.xmppcm.protocol.ack;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many counted elements one side took from one link, and the fence that ends it. An element is handled inside
 * {@link #handle}, which counts it and runs its handler under the link's lock; {@link #fence} takes the same lock,
 * so once another link has taken this one over, the count it answers is final: no element of the old link is
 * handled after it, and none is half-handled when it is read (the new link's copies come strictly after).
 */
public final class InboundCount {
    private final ReentrantLock lock = new ReentrantLock();
    private long received;
    private boolean fenced;

    /**
     * Counts and handles one element unless the link is fenced.
     *
     * @return false when fenced: the element was not handled (another link carries it)
     */
    public boolean handle(Runnable handler) {
        lock.lock();
        try {
            if (fenced) {
                return false;
            }
            received++;
            handler.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The count now, for an answer. */
    public long received() {
        lock.lock();
        try {
            return received;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the link's input and returns its final count. Waits for an element being handled to finish, at most
     * {@code timeoutMillis}; -1 when it did not (a handler stuck in the host: the caller refuses the resumption
     * rather than risk handling an element twice).
     */
    public long fence(long timeoutMillis) {
        try {
            if (!lock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
                return -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        try {
            fenced = true;
            return received;
        } finally {
            lock.unlock();
        }
    }

    public boolean isFenced() {
        lock.lock();
        try {
            return fenced;
        } finally {
            lock.unlock();
        }
    }
}
