package org.xmppcm.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoEvent;
import org.apache.mina.core.session.IoEventType;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** On a real socket: a paused session is not read, and a resumed one is read at once, not at the next select timeout. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadPauseSocketTest {
    private final NioSocketAcceptor acceptor = new NioSocketAcceptor(1);
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @AfterEach
    void unbind() {
        acceptor.dispose(true);
    }

    @Test
    void aPausedSessionIsNotReadAndAResumedOneIsReadAtOnce() throws Exception {
        acceptor.setHandler(new IoHandlerAdapter() {
            @Override
            public void messageReceived(IoSession session, Object message) throws Exception {
                received.add(((IoBuffer) message).getString(StandardCharsets.UTF_8.newDecoder()));
            }
        });
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
        ReadPause pause = new ReadPause(10);
        try (Socket client = new Socket("127.0.0.1", acceptor.getLocalAddress().getPort())) {
            OutputStream out = client.getOutputStream();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (acceptor.getManagedSessionCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            IoSession session = acceptor.getManagedSessions().values().iterator().next();
            // A few rounds: without a wake-up the resume waits for whatever is left of a select of up to a second.
            for (int round = 0; round < 3; round++) {
                IoEvent backlog = new IoEvent(IoEventType.MESSAGE_RECEIVED, session, IoBuffer.allocate(20));
                pause.offered(null, backlog);
                assertThat(session.isReadSuspended()).isTrue();
                out.write(("round" + round).getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("read while paused").isNull();

                long resumed = System.nanoTime();
                pause.polled(null, backlog);
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("round" + round);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed)).as("ms until read").isLessThan(250);
            }
        }
    }
}
