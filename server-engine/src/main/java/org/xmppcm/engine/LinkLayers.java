package org.xmppcm.engine;

import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.session.IoEventType;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.filter.executor.OrderedThreadPoolExecutor;
import org.apache.mina.filter.ssl.SslFilter;
import org.xmppcm.transport.ReadPause;
import org.xmppcm.transport.tls.ServerSslFilter;
import org.xmppcm.transport.TransportLayers;
import org.xmppcm.transport.compress.ZlibFilter;
import org.xmppcm.transport.compress.ZlibTuning;

/**
 * What the engine can put under a link's XML stream: TLS (STARTTLS, server side) and zlib. Each goes in right
 * after the element that announces it ({@code <proceed/>}, {@code <compressed/>}) was written: MINA runs a write
 * down the whole chain in the writing thread, so that element is already below the new filter and leaves as it
 * was, while everything written afterwards goes through it. One instance per listener.
 *
 * <p>Chain of a link with both: {@code tls, tls-slicer, tls-handoff, zlib, xmpp}.
 *
 * <p>The hand-off: MINA's synchronized TLS pipeline holds the session's TLS engine lock while it passes what it
 * decrypted up the chain, and every write to that session takes the same lock. A stanza arriving on one link is
 * delivered by the host, in that same thread, to sessions on other links; two links doing that to each other at
 * once would each hold their own lock and wait for the other's. So the events of a TLS link are handed to an
 * ordered pool (one event at a time per link, in order) above TLS: the TLS lock is then only ever held for
 * decryption and for queueing writes, never while waiting for another lock. Without it, two CM links
 * chatting both ways deadlocked two I/O threads within a few runs of the CM's end-to-end test.
 *
 * <p>The queue is bounded per link by pausing that link's reads ({@link ReadPause}), not by
 * blocking the I/O thread as MINA's IoEventQueueThrottle does: that thread holds the TLS lock
 * while it queues, and the pool thread it would wait for may need that lock to write.
 */
final class LinkLayers {
    static final String TLS_HANDOFF = "tls-handoff";
    static final String XMPP = org.xmppcm.transport.FilterNames.XMPP;

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** Decrypted bytes of one link waiting for the pool before its reads pause (TCP then pushes back on the CM). */
    static final int MAX_QUEUED_BYTES = 4 * 1024 * 1024;

    private final ZlibFilter zlib = new ZlibFilter(ZlibTuning.LINK);
    private final OrderedThreadPoolExecutor handoffPool;
    private final ExecutorFilter handoff;

    LinkLayers() {
        int threads = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
        // Sent-message events stay on the I/O thread: the handler ignores them and there is one per write.
        handoffPool = new OrderedThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, daemonThreads(),
                new ReadPause(MAX_QUEUED_BYTES));
        handoff = new ExecutorFilter(handoffPool, IoEventType.MESSAGE_RECEIVED, IoEventType.EXCEPTION_CAUGHT,
                IoEventType.SESSION_IDLE, IoEventType.SESSION_CLOSED);
    }

    /**
     * TLS from the next byte on, server side; the CM's ClientHello starts the handshake.
     *
     * @throws IllegalStateException when the chain has TLS already
     */
    void startTls(IoSession session, SSLContext context) {
        TransportLayers.addTls(session, serverFilter(context));
        TransportLayers.addAboveTls(session, TLS_HANDOFF, handoff);
    }

    /** zlib from the next byte on, right under the codec (inside TLS when there is TLS). */
    void startCompression(IoSession session) {
        TransportLayers.addZlib(session, zlib);
    }

    /**
     * Lets the hand-off threads finish what is queued (close events of the links just closed) and waits up to
     * {@code waitMillis} for them, so that no link event reaches the handler after the listener has stopped.
     */
    void shutdown(long waitMillis) {
        handoffPool.shutdown();
        try {
            handoffPool.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SslFilter serverFilter(SSLContext context) {
        List<String> supported = List.of(context.getSupportedSSLParameters().getProtocols());
        String[] protocols = PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new);
        if (protocols.length == 0) {
            throw new IllegalStateException("the link TLS context offers neither TLS 1.3 nor TLS 1.2");
        }
        return new ServerSslFilter(context, protocols);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "cm-link-tls-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
