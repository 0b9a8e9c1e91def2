package org.xmppcm.e2e.fault;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy that breaks connections on purpose: it listens on a loopback port and forwards each accepted
 * connection to one target, and each {@link ProxiedConnection} (or all at once) can be cut with FIN, reset with RST,
 * frozen (a half-open link: both sockets stay open, nothing is forwarded, and reading stops so TCP backs up),
 * unfrozen, or delayed.
 *
 * <p>Which connection is which CM link is sniffed from the first bytes the CM sends, its stream header
 * {@code to='MANAGER/connN'} ({@link ProxiedConnection#linkName()}); the accept order is kept too
 * ({@link #connections()}).
 *
 * <p>Bounded: a fixed buffer per direction and connection ({@code bufferBytes}), loopback addresses only, daemon
 * threads (four per connection: a reader and a writer each way) that end with their connection, and
 * {@link #close()} resets every connection and stops listening.
 */
public final class FaultProxy implements AutoCloseable {
    public static final int DEFAULT_BUFFER_BYTES = 1 << 20;

    /** Told of every message id the proxy sees go by (see {@link IdScanner}), on the proxy's threads. */
    public interface IdListener {
        /** @param towardsServer true for bytes the client side (the CM) sent to the target (the server) */
        void seen(ProxiedConnection connection, boolean towardsServer, int sender, long seq);
    }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final int bufferBytes;
    private final IdListener ids;
    private final List<ProxiedConnection> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    /** A proxy on a free loopback port. */
    public FaultProxy(InetSocketAddress target, IdListener ids) throws IOException {
        this(0, target, DEFAULT_BUFFER_BYTES, ids);
    }

    /**
     * @param port the loopback port to listen on, 0 for a free one
     * @param target where every connection goes; must be a loopback address
     * @param bufferBytes the most bytes held per direction of one connection (a delay or a freeze holds them)
     * @param ids told of message ids on the wire, or null
     */
    public FaultProxy(int port, InetSocketAddress target, int bufferBytes, IdListener ids) throws IOException {
        if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the fault proxy only forwards to loopback addresses: " + target);
        }
        if (bufferBytes < 16 * 1024) {
            throw new IllegalArgumentException("bufferBytes too small: " + bufferBytes);
        }
        this.target = target;
        this.bufferBytes = bufferBytes;
        this.ids = ids;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        int index = 0;
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 5_000);
            } catch (IOException e) {
                // The target is down (a killed server): the client sees a reset, as it would from the server itself.
                ProxiedConnection.reset(client);
                closeQuietly(upstream);
                continue;
            }
            ProxiedConnection connection = new ProxiedConnection(++index, client, upstream, bufferBytes, ids);
            connections.add(connection);
            if (closed) {
                connection.cutRst();
                return;
            }
            connection.start();
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    /** Every connection accepted so far, in accept order, open or not. */
    public List<ProxiedConnection> connections() {
        return List.copyOf(connections);
    }

    /** The connections that are still forwarding (or frozen). */
    public List<ProxiedConnection> open() {
        return connections.stream().filter(ProxiedConnection::isOpen).toList();
    }

    /** The newest open connection whose CM link name (e.g. {@code conn1}) is {@code linkName}, or null. */
    public ProxiedConnection link(String linkName) {
        ProxiedConnection found = null;
        for (ProxiedConnection c : connections) {
            if (c.isOpen() && linkName.equals(c.linkName())) {
                found = c;
            }
        }
        return found;
    }

    /** Waits up to {@code timeout} for {@link #link(String)} to be there; null when it is not. */
    public ProxiedConnection awaitLink(String linkName, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProxiedConnection c;
        while ((c = link(linkName)) == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return c;
    }

    public void freezeAll() {
        open().forEach(ProxiedConnection::freeze);
    }

    public void unfreezeAll() {
        open().forEach(ProxiedConnection::unfreeze);
    }

    public void cutAllFin() {
        open().forEach(ProxiedConnection::cutFin);
    }

    public void cutAllRst() {
        open().forEach(ProxiedConnection::cutRst);
    }

    /** Stops listening and resets every connection. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (ProxiedConnection c : connections) {
            c.cutRst();
        }
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
