package org.xmppcm.cm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import org.xmppcm.cm.tls.ClientSecurity;
import org.xmppcm.cm.tls.SelfSignedCertificate;
import org.xmppcm.demo.DemoHost;
import org.xmppcm.engine.ConnectionManagerListener;
import org.xmppcm.engine.EngineSettings;
import org.xmppcm.engine.LinkSecurity;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;

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
    /** The certificate made for STARTTLS, or null for a plain-TCP demo (tests). */
    private SelfSignedCertificate certificate;

    private DemoMode(ConnectionManagerListener server, ConnectionManager cm) {
        this.server = server;
        this.cm = cm;
    }

    /**
     * {@code --demo}: as {@link #start(int)}, with STARTTLS offered (optional) under a certificate made now for
     * {@value #DOMAIN}, so that a client with default settings, which wants TLS, can log in once its user has accepted
     * the certificate. The key lives in a temporary file that is deleted when the process ends.
     */
    public static DemoMode startWithStartTls(int clientPort) throws IOException {
        SelfSignedCertificate certificate;
        Path keystore = Files.createTempFile("xmppcm-demo-", ".p12");
        keystore.toFile().deleteOnExit();
        String password = Long.toHexString(new SecureRandom().nextLong());
        try {
            certificate = SelfSignedCertificate.create(DOMAIN, Duration.ofDays(30));
            certificate.writePkcs12(keystore, password.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the demo's TLS certificate: " + e.getMessage(), e);
        }
        ClientConfiguration plain = DemoHost.demoClientConfiguration();
        ClientConfiguration withTls = new ClientConfiguration(TlsPolicy.OPTIONAL, plain.mechanisms(),
                plain.compressionMethods(), plain.iqAuth(), plain.register(), plain.tuning());
        DemoMode demo = start(clientPort, settings -> settings.withClientSecurity(
                ClientSecurity.keystore(keystore, "PKCS12", password)), withTls);
        demo.certificate = certificate;
        return demo;
    }

    /** Starts both; {@code clientPort} 0 picks a free port. */
    public static DemoMode start(int clientPort) throws IOException {
        return start(clientPort, java.util.function.UnaryOperator.identity());
    }

    /** Starts both, the CM with its settings adjusted by {@code customize} (tests, the load tool). */
    public static DemoMode start(int clientPort, java.util.function.UnaryOperator<CmSettings> customize)
            throws IOException {
        return start(clientPort, customize, null);
    }

    /**
     * Starts both, the demo server pushing {@code pushed} to the CM as its client configuration
     * instead of its own (plain TCP, no compression): how STARTTLS and zlib get offered in tests.
     *
     * @param pushed the client configuration to push; null for the demo server's own
     */
    public static DemoMode start(int clientPort, java.util.function.UnaryOperator<CmSettings> customize,
                                 ClientConfiguration pushed) throws IOException {
        return start(clientPort, customize, pushed, LinkSecurity.NONE);
    }

    /**
     * Starts both, the demo server offering the CM's links {@code linkSecurity} (STARTTLS, zlib): how the CM's
     * link TLS and compression are tried against our own engine. The CM's settings must ask for them
     * ({@code customize}: link TLS that trusts the server's certificate, link compression).
     */
    public static DemoMode start(int clientPort, java.util.function.UnaryOperator<CmSettings> customize,
                                 ClientConfiguration pushed, LinkSecurity linkSecurity) throws IOException {
        DemoHost demoHost = DemoHost.withDemoDefaults();
        ConnectionManagerListener server = new ConnectionManagerListener(
                new EngineSettings(new InetSocketAddress("127.0.0.1", 0), CmSettings.DEFAULT_MAX_STANZA_BYTES,
                        () -> linkSecurity),
                pushed == null ? demoHost : new PushingHost(demoHost, pushed));
        server.start();
        try {
            ConnectionManager cm = new ConnectionManager(customize.apply(new CmSettings(
                    new InetSocketAddress("127.0.0.1", clientPort), new InetSocketAddress("127.0.0.1", server.port()),
                    MANAGER, SECRET, DOMAIN, CmSettings.DEFAULT_MAX_STANZA_BYTES)));
            cm.start();
            return new DemoMode(server, cm);
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw e;
        }
    }

    /** The demo server with another client configuration. */
    private record PushingHost(HostServer host, ClientConfiguration pushed) implements HostServer {
        @Override
        public String domain() {
            return host.domain();
        }

        @Override
        public ClientConfiguration clientConfiguration() {
            return pushed;
        }

        @Override
        public java.util.Optional<String> managerSecret(String managerName) {
            return host.managerSecret(managerName);
        }

        @Override
        public HostSession openSession(ClientDescriptor client, ClientChannel channel) {
            return host.openSession(client, channel);
        }
    }

    public ConnectionManager connectionManager() {
        return cm;
    }

    public ConnectionManagerListener server() {
        return server;
    }

    String banner() {
        String transport;
        if (certificate == null) {
            transport = "plain TCP";
        } else {
            String fingerprint;
            try {
                fingerprint = certificate.sha256Fingerprint() + " (SHA-1 " + certificate.sha1Fingerprint() + ")";
            } catch (GeneralSecurityException e) {
                fingerprint = "unavailable (" + e.getMessage() + ")";
            }
            transport = "STARTTLS offered, with a self-signed certificate made at start; accept it in the client. SHA-256 "
                    + fingerprint;
        }
        return "DEMO MODE - an in-memory demo server, not for production.\n"
                + "Connect any XMPP client to localhost:" + cm.clientPort() + " (domain " + DOMAIN + ", " + transport
                + ")\nas alice@localhost / alice or bob@localhost / bob. Ctrl-C stops.";
    }

    /** Stops the CM (clients get system-shutdown), then the demo server. */
    public void stop() {
        cm.stop();
        server.stop();
    }
}
