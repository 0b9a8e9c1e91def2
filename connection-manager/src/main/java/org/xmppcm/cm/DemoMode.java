package org.xmppcm.cm;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.xmppcm.engine.ConnectionManagerListener;
import org.xmppcm.engine.EngineSettings;
import org.xmppcm.engine.demo.DemoHost;

/**
 * {@code --demo}: the engine with its in-memory DEMO server on a free loopback port, and this CM
 * in front of it on localhost. For trying the product with a real client; never for production.
 */
public final class DemoMode {
    public static final String DOMAIN = DemoHost.DEFAULT_DOMAIN;
    public static final String MANAGER = "demo-cm";
    public static final String SECRET = DemoHost.DEFAULT_MANAGER_SECRET;

    private final ConnectionManagerListener server;
    private final ConnectionManager cm;

    private DemoMode(ConnectionManagerListener server, ConnectionManager cm) {
        this.server = server;
        this.cm = cm;
    }

    /** Starts both; {@code clientPort} 0 picks a free port. */
    public static DemoMode start(int clientPort) throws IOException {
        ConnectionManagerListener server = new ConnectionManagerListener(
                new EngineSettings(new InetSocketAddress("127.0.0.1", 0), CmSettings.DEFAULT_MAX_STANZA_BYTES),
                DemoHost.withDemoDefaults());
        server.start();
        ConnectionManager cm = new ConnectionManager(new CmSettings(
                new InetSocketAddress("127.0.0.1", clientPort), new InetSocketAddress("127.0.0.1", server.port()),
                MANAGER, SECRET, DOMAIN, CmSettings.DEFAULT_MAX_STANZA_BYTES));
        try {
            cm.start();
        } catch (IOException e) {
            server.stop();
            throw e;
        }
        return new DemoMode(server, cm);
    }

    public ConnectionManager connectionManager() {
        return cm;
    }

    public ConnectionManagerListener server() {
        return server;
    }

    String banner() {
        return "DEMO MODE - an in-memory demo server, not for production.\n"
                + "Connect any XMPP client to localhost:" + cm.clientPort() + " (domain " + DOMAIN
                + ", plain TCP) as alice@localhost / alice or bob@localhost / bob. Ctrl-C stops.";
    }

    /** Stops the CM (clients get system-shutdown), then the demo server. */
    public void stop() {
        cm.stop();
        server.stop();
    }
}
