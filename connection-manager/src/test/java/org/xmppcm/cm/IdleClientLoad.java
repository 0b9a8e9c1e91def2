package org.xmppcm.cm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import org.xmppcm.demo.DemoHost;
import org.xmppcm.engine.ConnectionManagerListener;
import org.xmppcm.engine.EngineSettings;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * The other process of {@link IdleClientHeapMeasurement}: the demo server (pushing optional TLS
 * and zlib) and the clients, so that the measuring JVM holds the connection manager alone.
 * Driven by lines on stdin: {@code CLIENTS mode n cmPort} opens n logged-in, bound, silent
 * clients (mode plain, zlib, tls or tls+zlib) and answers {@code READY n}; {@code CLOSE} closes
 * them and answers {@code CLOSED}; {@code EXIT} ends it. Prints {@code SERVER port} first.
 */
public final class IdleClientLoad {
    private IdleClientLoad() {
    }

    public static void main(String[] args) throws Exception {
        DemoHost demo = DemoHost.withDemoDefaults();
        ClientConfiguration pushed = TestCertificates.pushed(TlsPolicy.OPTIONAL);
        HostServer host = new HostServer() {
            @Override
            public String domain() {
                return demo.domain();
            }

            @Override
            public ClientConfiguration clientConfiguration() {
                return pushed;
            }

            @Override
            public Optional<String> managerSecret(String managerName) {
                return demo.managerSecret(managerName);
            }

            @Override
            public HostSession openSession(ClientDescriptor client, ClientChannel channel) {
                return demo.openSession(client, channel);
            }
        };
        ConnectionManagerListener server = new ConnectionManagerListener(
                new EngineSettings(new InetSocketAddress("127.0.0.1", 0), CmSettings.DEFAULT_MAX_STANZA_BYTES), host);
        server.start();
        System.out.println("SERVER " + server.port());
        System.out.flush();
        SSLContext tls = TestCertificates.trustingTestCertificate();
        List<SteppedXmppPeer> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "CLIENTS" -> {
                    String mode = words[1];
                    int n = Integer.parseInt(words[2]);
                    int port = Integer.parseInt(words[3]);
                    List<Future<SteppedXmppPeer>> opening = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        String resource = mode + i;
                        opening.add(pool.submit(() -> open(port, mode, resource, tls)));
                    }
                    for (Future<SteppedXmppPeer> f : opening) {
                        clients.add(f.get());
                    }
                    System.out.println("READY " + clients.size());
                }
                case "CLOSE" -> {
                    for (SteppedXmppPeer client : clients) {
                        client.close();
                    }
                    clients.clear();
                    System.out.println("CLOSED");
                }
                case "EXIT" -> {
                    pool.shutdownNow();
                    server.stop();
                    System.out.println("BYE");
                    System.out.flush();
                    System.exit(0);
                }
                default -> System.out.println("? " + line);
            }
            System.out.flush();
        }
    }

    private static SteppedXmppPeer open(int port, String mode, String resource, SSLContext tls) throws Exception {
        SteppedXmppPeer peer = SteppedXmppPeer.connect(port);
        StanzaFrame features = peer.openStream();
        if (mode.startsWith("tls")) {
            if (!features.asString().contains("starttls")) {
                throw new IllegalStateException("no STARTTLS offered: " + features.asString());
            }
            peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            peer.nextFrame();
            peer.startTls(tls);
        }
        peer.login("alice", "alice", resource, mode.endsWith("zlib"));
        return peer;
    }
}
