package org.xmppcm.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xmppcm.cm.CmSettings;
import org.xmppcm.cm.ConnectionManager;
import org.xmppcm.demo.DemoHost;
import org.xmppcm.engine.ConnectionManagerListener;
import org.xmppcm.engine.EngineSettings;

/**
 * The server child process of a load run: the engine with the demo host on a loopback port, with
 * accounts {@code u0..u(U-1)} (password {@code p0..}), and for the relay baseline a CM in this same
 * process, which the relay forwards each client to. Prints {@code @@READY engine=PORT cm=PORT}
 * and exits when its stdin closes (the load tool is done or died).
 */
public final class LoadServer {
    static final String SECRET = "load-secret";
    static final String DOMAIN = "localhost";

    private LoadServer() {
    }

    public static void main(String[] args) throws Exception {
        int users = 1000;
        int maxSessions = 1_000_000;
        boolean embeddedCm = false;
        boolean echoPresence = true;
        boolean tls = false;
        boolean zlib = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--max-sessions" -> maxSessions = Integer.parseInt(args[++i]);
                case "--embedded-cm" -> embeddedCm = true;
                case "--roster" -> echoPresence = !"all".equals(args[++i]);
                case "--tls" -> tls = true;
                case "--zlib" -> zlib = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long started = System.nanoTime();
        Map<String, String> accounts = new LinkedHashMap<>();
        for (int i = 0; i < users; i++) {
            accounts.put(username(i), password(i));
        }
        // Deriving SCRAM keys (PBKDF2, 4096 rounds) per account is most of the start-up time.
        DemoHost demo = DemoHost.builder().domain(DOMAIN).managerSecret(SECRET).users(accounts)
                .maxSessions(maxSessions).build();
        LoadHost host = new LoadHost(demo, echoPresence, tls, zlib);
        ConnectionManagerListener engine = new ConnectionManagerListener(
                new EngineSettings(new InetSocketAddress("127.0.0.1", 0), CmSettings.DEFAULT_MAX_STANZA_BYTES), host);
        engine.start();
        ConnectionManager cm = null;
        if (embeddedCm) {
            cm = new ConnectionManager(new CmSettings(new InetSocketAddress("127.0.0.1", 0),
                    new InetSocketAddress("127.0.0.1", engine.port()), "load-embedded", SECRET, DOMAIN,
                    CmSettings.DEFAULT_MAX_STANZA_BYTES));
            cm.start();
        }
        ConnectionManager embedded = cm;
        System.out.println("server ready in " + (System.nanoTime() - started) / 1_000_000 + " ms with " + users + " users");
        System.out.println("@@READY engine=" + engine.port() + " cm=" + (embedded != null ? embedded.clientPort() : 0));
        System.out.flush();
        awaitEndOfInput(System.in);
        if (embedded != null) {
            embedded.stop();
        }
        System.out.println("sessions open at stop: " + host.sessionCount());
        engine.stop();
        System.exit(0);
    }

    static String username(int i) {
        return "u" + i;
    }

    static String password(int i) {
        return "p" + i;
    }

    private static void awaitEndOfInput(InputStream in) {
        try {
            while (in.read() >= 0) {
                // only the end matters
            }
        } catch (IOException e) {
            // treated as the end
        }
    }
}
