package org.xmppcm.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmppcm.transport.testing.TestTls;

/**
 * A large write followed by a burst of small ones, all made on the I/O thread (as a link relays a burst), so none
 * can reach the socket before the burst is over: MINA's TLS filter alone kills the connection, sliced it delivers.
 */
class TlsRecordSlicerSocketTest {
    private static final int LARGE = 100_000;
    private static final int SMALL = 100;
    private static final int BURST = 300;

    private NioSocketAcceptor acceptor;

    @AfterEach
    void stop() {
        acceptor.dispose(true);
    }

    @Test
    void slicedEverythingArrivesInOrder() throws Exception {
        CompletableFuture<Throwable> failure = serve(true);
        byte[] received = readAll(LARGE + BURST * SMALL);

        assertThat(received).hasSize(LARGE + BURST * SMALL);
        for (int i = 0; i < received.length; i++) {
            if (received[i] != expectedByte(i)) {
                throw new AssertionError("byte " + i + " out of order");
            }
        }
        assertThat(failure.getNow(null)).isNull();
    }

    @Test
    void unslicedMinaGivesUpOnTheBurst() throws Exception {
        CompletableFuture<Throwable> failure = serve(false);
        readAll(LARGE + BURST * SMALL);

        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(java.nio.BufferOverflowException.class);
    }

    private CompletableFuture<Throwable> serve(boolean sliced) throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        acceptor = new NioSocketAcceptor(1);
        acceptor.getFilterChain().addLast("tls", new ServerSslFilter(TestTls.serverContext(), "TLSv1.3", "TLSv1.2"));
        if (sliced) {
            acceptor.getFilterChain().addLast(TlsRecordSlicer.NAME, new TlsRecordSlicer());
        }
        acceptor.setHandler(new IoHandlerAdapter() {
            @Override
            public void messageReceived(IoSession session, Object message) {
                // The client's "go": the whole burst from this I/O thread, before it can flush anything.
                session.write(IoBuffer.wrap(pattern(0, LARGE)));
                for (int i = 0; i < BURST; i++) {
                    session.write(IoBuffer.wrap(pattern(LARGE + i * SMALL, SMALL)));
                }
            }

            @Override
            public void exceptionCaught(IoSession session, Throwable cause) {
                failure.complete(cause);
                session.closeNow();
            }
        });
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
        return failure;
    }

    /** Connects, says "go", and reads until {@code expected} bytes or the end of the stream. */
    private byte[] readAll(int expected) throws Exception {
        InetSocketAddress address = acceptor.getLocalAddress();
        try (SSLSocket socket = (SSLSocket) TestTls.clientContext().getSocketFactory()
                .createSocket(address.getHostString(), address.getPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            socket.getOutputStream().write('g');
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            int n;
            while (out.size() < expected && (n = readOrEnd(in, chunk)) > 0) {
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static int readOrEnd(InputStream in, byte[] chunk) {
        try {
            return in.read(chunk);
        } catch (java.io.IOException closed) {
            return -1;
        }
    }

    private static byte[] pattern(int offset, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = expectedByte(offset + i);
        }
        return bytes;
    }

    private static byte expectedByte(int position) {
        return (byte) (position * 31 + (position >> 8));
    }
}
