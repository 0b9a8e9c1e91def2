package org.xmppcm.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault proxy itself, on plain sockets: that a cut is a FIN, a reset an RST, a freeze a freeze, a delay a delay. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultProxyTest {
    private ServerSocket target;
    private FaultProxy proxy;
    private final List<long[]> ids = new ArrayList<>();
    private Socket client;
    private Socket server;

    @BeforeEach
    void connect() throws Exception {
        target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        proxy = new FaultProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getLocalPort()),
                (connection, up, sender, seq) -> {
                    synchronized (ids) {
                        ids.add(new long[] {up ? 1 : 0, sender, seq});
                    }
                });
        client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        server = target.accept();
        client.setSoTimeout(5_000);
        server.setSoTimeout(5_000);
    }

    @AfterEach
    void close() throws IOException {
        proxy.close();
        client.close();
        server.close();
        target.close();
    }

    /** The proxied connection; the proxy lists it only once its own connect to the target returned. */
    private ProxiedConnection connection() throws InterruptedException {
        FaultRig.waitUntil(() -> !proxy.connections().isEmpty(), Duration.ofSeconds(5));
        return proxy.connections().get(0);
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    private static String read(Socket socket, int length) throws IOException {
        byte[] buffer = new byte[length];
        int read = 0;
        InputStream in = socket.getInputStream();
        while (read < length) {
            int n = in.read(buffer, read, length - read);
            if (n < 0) {
                throw new IOException("EOF after " + read);
            }
            read += n;
        }
        return new String(buffer, StandardCharsets.UTF_8);
    }

    @Test
    void forwardsBothWaysNamesTheLinkAndSeesMessageIds() throws Exception {
        String header = "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns='jabber:connectionmanager' to='fault-cm/conn2' version='1.0'>";
        write(client, header);
        assertThat(read(server, header.length())).isEqualTo(header);
        write(client, "<route><message id='fq3_1");
        write(client, "7'/></route>");
        read(server, "<route><message id='fq3_17'/></route>".length());
        write(server, "<message id=\"fq11_4\"/>");
        read(client, "<message id=\"fq11_4\"/>".length());
        ProxiedConnection link = proxy.awaitLink("conn2", Duration.ofSeconds(2));
        assertThat(link).isNotNull();
        assertThat(link.streamTo()).isEqualTo("fault-cm/conn2");
        // Counted once written out, so a peer may read the bytes a moment before the count moves.
        assertThat(FaultRig.waitUntil(() -> link.messagesUp() == 1 && link.messagesDown() == 1, Duration.ofSeconds(2)))
                .as("ids counted up %d, down %d", link.messagesUp(), link.messagesDown()).isTrue();
        synchronized (ids) {
            assertThat(ids).extracting(a -> a[0] + ":" + a[1] + ":" + a[2]).containsExactly("1:3:17", "0:11:4");
        }
    }

    @Test
    void aFinCutEndsBothSidesWithEndOfStreamNotAReset() throws Exception {
        write(client, "x");
        read(server, 1);
        connection().cutFin();
        assertThat(client.getInputStream().read()).isEqualTo(-1);
        assertThat(server.getInputStream().read()).isEqualTo(-1);
        client.close();
        server.close();
        assertThat(connection().awaitClosed(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void anRstCutResetsBothSides() throws Exception {
        write(client, "x");
        read(server, 1);
        connection().cutRst();
        assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
        assertThatThrownBy(() -> server.getInputStream().read()).isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
    }

    @Test
    void aFreezeForwardsNothingAndBacksUpUntilUnfrozenThenAllArrivesInOrder() throws Exception {
        ProxiedConnection link = connection();
        link.freeze();
        Thread.sleep(50);
        write(client, "held");
        server.setSoTimeout(300);
        assertThatThrownBy(() -> server.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        // The proxy stops reading: a writer that keeps going is blocked once the kernels' buffers are full.
        Thread writer = new Thread(() -> {
            try {
                byte[] block = new byte[64 * 1024];
                for (int i = 0; i < 1000; i++) {
                    client.getOutputStream().write(block);
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        });
        writer.setDaemon(true);
        writer.start();
        Thread.sleep(500);
        assertThat(writer.isAlive()).as("the writer is held back").isTrue();
        assertThat(link.bytesUp()).isZero();
        link.unfreeze();
        server.setSoTimeout(5_000);
        assertThat(read(server, 4)).isEqualTo("held");
    }

    @Test
    void aDelayHoldsEveryChunkAndKeepsTheOrder() throws Exception {
        ProxiedConnection link = connection();
        link.delay(Duration.ofMillis(200));
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            write(client, String.valueOf(i));
            Thread.sleep(20);
        }
        assertThat(read(server, 1)).isEqualTo("0");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(195);
        assertThat(read(server, 4)).isEqualTo("1234");
        link.delay(Duration.ZERO);
        start = System.nanoTime();
        write(client, "5");
        assertThat(read(server, 1)).isEqualTo("5");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(150);
    }

    @Test
    void aFinFromOneSideIsPassedOnAndTheOtherWayStillWorks() throws Exception {
        client.shutdownOutput();
        assertThat(server.getInputStream().read()).isEqualTo(-1);
        write(server, "late");
        assertThat(read(client, 4)).isEqualTo("late");
    }
}
