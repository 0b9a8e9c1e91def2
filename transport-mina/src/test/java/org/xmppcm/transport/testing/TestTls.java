package org.xmppcm.transport.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway self-signed certificate for localhost (EC P-256, SAN localhost and 127.0.0.1), made
 * once per test run with the JDK's keytool in a temporary directory, so no private key is
 * committed. Gives the server's context and a client context that trusts exactly that certificate.
 */
public final class TestTls {
    private static final char[] PASSWORD = "test-only".toCharArray();
    private static SSLContext server;
    private static SSLContext client;

    private TestTls() {
    }

    public static synchronized SSLContext serverContext() {
        load();
        return server;
    }

    public static synchronized SSLContext clientContext() {
        load();
        return client;
    }

    private static void load() {
        if (server != null) {
            return;
        }
        try {
            KeyStore keys = generate();
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
            SSLContext serverContext = SSLContext.getInstance("TLS");
            serverContext.init(keyManagers.getKeyManagers(), null, null);

            Certificate certificate = keys.getCertificate("engine");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("engine", certificate);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext clientContext = SSLContext.getInstance("TLS");
            clientContext.init(null, trustManagers.getTrustManagers(), null);

            server = serverContext;
            client = clientContext;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore generate() throws IOException, InterruptedException, java.security.GeneralSecurityException {
        Path dir = Files.createTempDirectory("engine-tls");
        Path store = dir.resolve("engine.p12");
        try {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "engine",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            return keys;
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }
}
