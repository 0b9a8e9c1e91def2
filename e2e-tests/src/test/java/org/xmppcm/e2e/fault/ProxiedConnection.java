package org.xmppcm.e2e.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One connection through the {@link FaultProxy}: the accepted socket (the client side, for links the CM) and the
 * socket to the target (the server), with a {@link Pipe} each way. Each pipe has a reader thread, which reads into
 * a queue bounded in bytes, and a writer thread, which writes the queue out in order, each chunk no earlier than
 * its arrival plus the {@linkplain #delay(Duration) delay}.
 *
 * <p>Faults: {@link #cutFin()} ends both sides with FIN (what is queued is dropped); {@link #cutRst()} resets both
 * (SO_LINGER 0); {@link #freeze()} stops forwarding both ways with both sockets open and, after the read under way,
 * stops reading, so the kernels' buffers fill and the senders block as on a half-open path; {@link #unfreeze()}
 * forwards what was held and goes on. A FIN or RST from one side is passed on to the other as it is, as a network
 * would.
 *
 * <p>All state is guarded by this object's monitor; the pipes wait on it.
 */
public final class ProxiedConnection {
    private static final int CHUNK = 16 * 1024;
    private static final int SNIFF_LIMIT = 4096;
    private static final Pattern STREAM_TO = Pattern.compile("<stream:stream\\b[^>]*?\\bto=['\"]([^'\"]*)['\"]");
    /** How long a FIN cut waits for both peers to close their side before the sockets are closed anyway. */
    private static final long FIN_DRAIN_MILLIS = 5_000;

    private final int index;
    private final Socket client;
    private final Socket server;
    private final int bufferBytes;
    private final FaultProxy.IdListener ids;
    private final Pipe up;
    private final Pipe down;
    private final long acceptedNanos = System.nanoTime();
    private volatile String streamTo;
    private volatile long delayNanos;
    // Guarded by this.
    private boolean frozen;
    private boolean cut;
    private boolean closed;
    private final StringBuilder sniffed = new StringBuilder();

    ProxiedConnection(int index, Socket client, Socket server, int bufferBytes, FaultProxy.IdListener ids) {
        this.index = index;
        this.client = client;
        this.server = server;
        this.bufferBytes = bufferBytes;
        this.ids = ids;
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
        } catch (IOException e) {
            // not fatal
        }
        this.up = new Pipe("up", client, server, true);
        this.down = new Pipe("down", server, client, false);
    }

    void start() {
        up.start();
        down.start();
    }

    /** 1 for the first connection the proxy accepted, and so on. */
    public int index() {
        return index;
    }

    /** The {@code to} of the client's stream header, e.g. {@code fault-cm/conn1}; null until it has been read. */
    public String streamTo() {
        return streamTo;
    }

    /** The part of {@link #streamTo()} after the '/', e.g. {@code conn1}; null until known. */
    public String linkName() {
        String to = streamTo;
        if (to == null) {
            return null;
        }
        int slash = to.indexOf('/');
        return slash < 0 ? to : to.substring(slash + 1);
    }

    public long acceptedNanos() {
        return acceptedNanos;
    }

    /** Bytes forwarded from the client side to the server side so far. */
    public long bytesUp() {
        return up.forwarded.get();
    }

    public long bytesDown() {
        return down.forwarded.get();
    }

    /** Message ids (see {@link IdScanner}) forwarded towards the server / towards the client. */
    public long messagesUp() {
        return up.ids.get();
    }

    public long messagesDown() {
        return down.ids.get();
    }

    public synchronized boolean isOpen() {
        return !closed && !cut;
    }

    public synchronized boolean isFrozen() {
        return frozen && isOpen();
    }

    /** Stops forwarding both ways, both sockets open; reading stops after the read under way. */
    public synchronized void freeze() {
        frozen = true;
        notifyAll();
    }

    public synchronized void unfreeze() {
        frozen = false;
        notifyAll();
    }

    /** Every chunk is forwarded no earlier than {@code latency} after it was read; order is kept. Zero for none. */
    public void delay(Duration latency) {
        delayNanos = latency.toNanos();
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Cuts with FIN: what is queued is dropped, both peers get a FIN (shutdownOutput), what they still send is read
     * and dropped until they close, so that the close is a FIN and not a reset; then both sockets are closed.
     */
    public void cutFin() {
        synchronized (this) {
            if (cut || closed) {
                return;
            }
            cut = true;
            up.clear();
            down.clear();
            notifyAll();
        }
        shutdownOutput(client);
        shutdownOutput(server);
        Thread closer = new Thread(() -> {
            up.awaitReaderDone(FIN_DRAIN_MILLIS);
            down.awaitReaderDone(FIN_DRAIN_MILLIS);
            closeBoth();
        }, "fault-proxy-fin-" + index);
        closer.setDaemon(true);
        closer.start();
    }

    /** Resets both sides: SO_LINGER 0, then close; what is queued is dropped. */
    public void cutRst() {
        synchronized (this) {
            if (closed) {
                return;
            }
            cut = true;
            up.clear();
            down.clear();
            notifyAll();
        }
        reset(client);
        reset(server);
        synchronized (this) {
            closed = true;
        }
    }

    /** Waits until both pipes are done (the connection is fully closed); true when they are. */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        up.awaitDone(deadline);
        down.awaitDone(deadline);
        return up.isDone() && down.isDone();
    }

    static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already
        }
        FaultProxy.closeQuietly(socket);
    }

    private static void shutdownOutput(Socket socket) {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // closed already
        }
    }

    private void closeBoth() {
        FaultProxy.closeQuietly(client);
        FaultProxy.closeQuietly(server);
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    /** Something went wrong on one socket (a reset, a write to a peer that is gone): reset the other too. */
    private void abort() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (cut) {
                return; // a FIN cut in progress ends the connection itself
            }
            cut = true;
            up.clear();
            down.clear();
            notifyAll();
        }
        reset(client);
        reset(server);
        synchronized (this) {
            closed = true;
        }
    }

    /** Both directions ended with EOF, each passed on as FIN: the connection ended normally. */
    private void bothEnded() {
        closeBoth();
    }

    private void sniff(byte[] chunk, int n) {
        if (streamTo != null || sniffed.length() >= SNIFF_LIMIT) {
            return;
        }
        sniffed.append(new String(chunk, 0, Math.min(n, SNIFF_LIMIT - sniffed.length()), StandardCharsets.ISO_8859_1));
        Matcher m = STREAM_TO.matcher(sniffed);
        if (m.find()) {
            streamTo = m.group(1);
            sniffed.setLength(0);
            sniffed.trimToSize();
        }
    }

    @Override
    public String toString() {
        return "#" + index + (streamTo != null ? " " + streamTo : "");
    }

    private record Chunk(byte[] bytes, long arrivedNanos) {
        boolean isEof() {
            return bytes == null;
        }
    }

    /** One direction: a reader thread into a bounded queue, a writer thread out of it. */
    private final class Pipe {
        private final String name;
        private final Socket from;
        private final Socket to;
        private final boolean towardsServer;
        private final ArrayDeque<Chunk> queue = new ArrayDeque<>(); // guarded by the connection
        private int queuedBytes; // guarded by the connection
        private final AtomicLong forwarded = new AtomicLong();
        private final AtomicLong ids = new AtomicLong();
        private final IdScanner scanner;
        private final Thread reader;
        private final Thread writer;
        private volatile boolean readerDone;
        private volatile boolean writerDone;
        /** The writer passed on an EOF (a FIN). */
        private volatile boolean ended;

        Pipe(String name, Socket from, Socket to, boolean towardsServer) {
            this.name = name;
            this.from = from;
            this.to = to;
            this.towardsServer = towardsServer;
            FaultProxy.IdListener listener = ProxiedConnection.this.ids;
            this.scanner = new IdScanner((sender, seq) -> {
                this.ids.incrementAndGet();
                if (listener != null) {
                    listener.seen(ProxiedConnection.this, towardsServer, sender, seq);
                }
            });
            this.reader = new Thread(this::readLoop, "fault-proxy-" + index + "-" + name + "-read");
            this.writer = new Thread(this::writeLoop, "fault-proxy-" + index + "-" + name + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
        }

        void start() {
            reader.start();
            writer.start();
        }

        /** Drops what is queued; with the connection's monitor held. */
        void clear() {
            queue.clear();
            queuedBytes = 0;
        }

        private void readLoop() {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    synchronized (ProxiedConnection.this) {
                        // Frozen: stop reading, so that the peer's kernel buffers fill and its writes block.
                        while (frozen && !cut && !closed) {
                            ProxiedConnection.this.wait();
                        }
                        if (closed) {
                            return;
                        }
                    }
                    int n = in.read(buffer);
                    synchronized (ProxiedConnection.this) {
                        if (cut) {
                            if (n < 0) {
                                return; // the peer closed after our FIN: draining is over
                            }
                            continue; // a FIN cut drains and drops until the peer closes
                        }
                        if (n < 0) {
                            queue.addLast(new Chunk(null, System.nanoTime()));
                            ProxiedConnection.this.notifyAll();
                            return;
                        }
                        if (towardsServer) {
                            sniff(buffer, n);
                        }
                        // Bounded: wait for room (the writer is slow, delayed or frozen); TCP pushes back meanwhile.
                        while (queuedBytes > 0 && queuedBytes + n > bufferBytes && !cut && !closed) {
                            ProxiedConnection.this.wait();
                        }
                        if (cut || closed) {
                            continue;
                        }
                        queue.addLast(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime()));
                        queuedBytes += n;
                        ProxiedConnection.this.notifyAll();
                    }
                }
            } catch (IOException e) {
                abort(); // a reset from this side, or our own close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                readerDone = true;
                synchronized (ProxiedConnection.this) {
                    ProxiedConnection.this.notifyAll();
                }
            }
        }

        private void writeLoop() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk;
                    synchronized (ProxiedConnection.this) {
                        while (!cut && !closed && (frozen || queue.isEmpty())) {
                            ProxiedConnection.this.wait();
                        }
                        if (cut || closed) {
                            return;
                        }
                        chunk = queue.peekFirst();
                        long wait = chunk.arrivedNanos() + delayNanos - System.nanoTime();
                        if (wait > 0) {
                            // Woken early by a freeze, a cut or a change of delay: look again.
                            TimeUnit.NANOSECONDS.timedWait(ProxiedConnection.this, wait);
                            continue;
                        }
                        queue.pollFirst();
                        if (!chunk.isEof()) {
                            queuedBytes -= chunk.bytes().length;
                        }
                        ProxiedConnection.this.notifyAll();
                    }
                    if (chunk.isEof()) {
                        to.shutdownOutput(); // pass the FIN on
                        ended = true;
                        if (otherPipe().ended) {
                            bothEnded();
                        }
                        return;
                    }
                    out.write(chunk.bytes());
                    forwarded.addAndGet(chunk.bytes().length);
                    scanner.scan(chunk.bytes(), chunk.bytes().length);
                }
            } catch (IOException e) {
                abort();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                writerDone = true;
                synchronized (ProxiedConnection.this) {
                    ProxiedConnection.this.notifyAll();
                }
            }
        }

        private Pipe otherPipe() {
            return this == up ? down : up;
        }

        void awaitReaderDone(long millis) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            synchronized (ProxiedConnection.this) {
                while (!readerDone) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(ProxiedConnection.this, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        boolean isDone() {
            return readerDone && writerDone;
        }

        void awaitDone(long deadline) {
            synchronized (ProxiedConnection.this) {
                while (!isDone()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(ProxiedConnection.this, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }
}
