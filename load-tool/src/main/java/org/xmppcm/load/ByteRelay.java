package org.xmppcm.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;

/**
 * The baseline: the dumbest thing that can stand where the CM stands. Each accepted client gets
 * its own upstream TCP connection and bytes are copied both ways, unparsed (what a TCP proxy
 * does). Same MINA, same JVM flags, same traffic as the CM, so per-client memory and CPU per
 * stanza compared with it say what the CM's XMPP work costs. It cannot multiplex (it has no idea
 * where stanzas begin), so upstream is a CM embedded in the server process, which holds one
 * socket per client just like the relay.
 *
 * <p>Usage: {@code ByteRelay UPSTREAM-PORT SOURCE-ADDRESS...}; prints {@code @@READY port=PORT}.
 * Reading a side pauses while the other side has more than {@link #HIGH_WATER} bytes queued.
 */
public final class ByteRelay {
    private static final AttributeKey PEER = new AttributeKey(ByteRelay.class, "peer");
    private static final int HIGH_WATER = 256 * 1024;
    private static final int LOW_WATER = 64 * 1024;

    private ByteRelay() {
    }

    public static void main(String[] args) throws Exception {
        int upstreamPort = Integer.parseInt(args[0]);
        List<InetAddress> sources = Options.addresses(args.length > 1 ? args[1] : "127.0.0.1");
        InetSocketAddress upstream = new InetSocketAddress("127.0.0.1", upstreamPort);
        NioSocketAcceptor acceptor = new NioSocketAcceptor();
        NioSocketConnector connector = new NioSocketConnector(Runtime.getRuntime().availableProcessors() + 1);
        AtomicInteger nextSource = new AtomicInteger();
        Handler handler = new Handler();
        connector.setHandler(handler);
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.getSessionConfig().setReuseAddress(true);
        connector.setConnectTimeoutMillis(30_000);
        acceptor.setReuseAddress(true);
        // The accept backlog stays MINA's default, as in the CM: both see the same connect bursts.
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.setHandler(new IoHandlerAdapter() {
            @Override
            public void sessionCreated(IoSession client) {
                // Nothing is read from the client until its upstream exists: no buffering needed.
                client.suspendRead();
                InetAddress source = sources.get(Math.floorMod(nextSource.getAndIncrement(), sources.size()));
                ConnectFuture future = connector.connect(upstream, new InetSocketAddress(source, 0));
                future.addListener(f -> {
                    if (!future.isConnected()) {
                        client.closeNow();
                        return;
                    }
                    IoSession server = future.getSession();
                    server.setAttribute(PEER, client);
                    client.setAttribute(PEER, server);
                    if (client.isClosing()) {
                        server.closeNow();
                    } else {
                        client.resumeRead();
                    }
                });
            }

            @Override
            public void messageReceived(IoSession session, Object message) {
                handler.messageReceived(session, message);
            }

            @Override
            public void messageSent(IoSession session, Object message) {
                handler.messageSent(session, message);
            }

            @Override
            public void sessionClosed(IoSession session) {
                handler.sessionClosed(session);
            }

            @Override
            public void exceptionCaught(IoSession session, Throwable cause) {
                session.closeNow();
            }
        });
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
        System.out.println("@@READY port=" + acceptor.getLocalAddress().getPort());
        System.out.flush();
        new CountDownLatch(1).await(); // ChildMain's agent ends the JVM
    }

    /** Both directions: copy, pause the source when the destination backs up, close together. */
    private static final class Handler extends IoHandlerAdapter {
        @Override
        public void messageReceived(IoSession session, Object message) {
            IoSession peer = (IoSession) session.getAttribute(PEER);
            if (peer == null) {
                return;
            }
            // MINA reads into a fresh buffer per read, so the same buffer can be written on as is.
            peer.write((IoBuffer) message);
            if (peer.getScheduledWriteBytes() > HIGH_WATER) {
                session.suspendRead();
            }
        }

        @Override
        public void messageSent(IoSession session, Object message) {
            IoSession peer = (IoSession) session.getAttribute(PEER);
            if (peer != null && session.getScheduledWriteBytes() < LOW_WATER && peer.isReadSuspended()) {
                peer.resumeRead();
            }
        }

        @Override
        public void sessionClosed(IoSession session) {
            IoSession peer = (IoSession) session.getAttribute(PEER);
            if (peer != null) {
                peer.closeOnFlush();
            }
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            session.closeNow();
        }
    }
}
