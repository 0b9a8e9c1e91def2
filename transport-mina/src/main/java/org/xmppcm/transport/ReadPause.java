package org.xmppcm.transport;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoEvent;
import org.apache.mina.core.session.IoEventType;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.executor.IoEventQueueHandler;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Bounds what a session has waiting in an executor's queue by pausing that session's reads, never by blocking the
 * thread that queues: above {@code maxBytes} of received data the session stops being read (TCP then pushes back on
 * its peer) until the executor has worked its queue down to half of it.
 *
 * <p>MINA's IoEventQueueThrottle blocks the offering thread instead. That thread is the session's I/O thread, and
 * under MINA's synchronized TLS pipeline it holds the TLS engine's lock while it passes decrypted data up the chain;
 * an executor thread writing to the same session needs that lock, so the executor can never drain the queue the
 * I/O thread waits on: a deadlock. Pausing reads holds no lock and waits for nothing.
 *
 * <p>Counts received {@link IoBuffer}s (bytes remaining) and {@link StanzaFrame}s (their bytes), so it works above a
 * TLS or zlib filter as well as above the XMPP codec; other events are small, rare or not read-driven and count for
 * nothing. Use one instance per executor; decisions are taken under a per-session lock so a pause can never outlive
 * the backlog that caused it.
 */
public final class ReadPause implements IoEventQueueHandler {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** One per instance (keys are equal by name): two executors in one chain must not share a counter. */
    private final AttributeKey queuedKey = new AttributeKey(ReadPause.class, "queued-" + INSTANCES.incrementAndGet());
    private final long maxBytes;

    /**
     * @param maxBytes received bytes a session may have queued before its reads pause
     * @throws IllegalArgumentException when not positive
     */
    public ReadPause(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Received bytes of {@code session} waiting in the executor now. */
    public long queuedBytes(IoSession session) {
        Queued queued = (Queued) session.getAttribute(queuedKey);
        if (queued == null) {
            return 0;
        }
        synchronized (queued) {
            return queued.bytes;
        }
    }

    @Override
    public boolean accept(Object source, IoEvent event) {
        return true;
    }

    @Override
    public void offered(Object source, IoEvent event) {
        int size = sizeOf(event);
        if (size == 0) {
            return;
        }
        IoSession session = event.getSession();
        Queued queued = queued(session);
        synchronized (queued) {
            queued.bytes += size;
            if (queued.bytes > maxBytes && !queued.paused) {
                queued.paused = true;
                ReadGate.pause(session, queuedKey);
            }
        }
    }

    @Override
    public void polled(Object source, IoEvent event) {
        int size = sizeOf(event);
        if (size == 0) {
            return;
        }
        IoSession session = event.getSession();
        Queued queued = queued(session);
        synchronized (queued) {
            // May dip below zero for a moment: an executor can poll an event before offered() has counted it.
            queued.bytes -= size;
            if (queued.paused && queued.bytes <= maxBytes / 2) {
                queued.paused = false;
                ReadGate.resume(session, queuedKey);
            }
        }
    }

    /**
     * The same for an event when offered and when polled: polled() runs before the event is handled, and nothing
     * touches a received buffer or frame while it waits.
     */
    private static int sizeOf(IoEvent event) {
        if (event.getType() != IoEventType.MESSAGE_RECEIVED) {
            return 0;
        }
        Object message = event.getParameter();
        if (message instanceof IoBuffer buffer) {
            return buffer.remaining();
        }
        if (message instanceof StanzaFrame frame) {
            return frame.bytes().length;
        }
        return 0;
    }

    private Queued queued(IoSession session) {
        Queued queued = (Queued) session.getAttribute(queuedKey);
        if (queued == null) {
            Queued fresh = new Queued();
            queued = (Queued) session.setAttributeIfAbsent(queuedKey, fresh);
            if (queued == null) {
                queued = fresh;
            }
        }
        return queued;
    }

    private static final class Queued {
        long bytes;
        boolean paused;
    }
}
