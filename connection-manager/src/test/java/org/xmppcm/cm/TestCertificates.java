package org.xmppcm.cm;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.xmppcm.cm.tls.ClientSecurity;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;

/**
 * The committed test certificates (src/test/resources/tls, see README.txt there), the CM
 * settings that use them, and client-side SSL contexts that trust them and nothing else.
 */
final class TestCertificates {
    static final String PASSWORD = "test-password";

    private TestCertificates() {
    }

    static Path file(String name) {
        try {
            return Path.of(TestCertificates.class.getResource("/tls/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("missing test resource tls/" + name, e);
        }
    }

    /** The PKCS12 test keystore, direct TLS on a free loopback port. */
    static ClientSecurity keystoreWithDirectTls() {
        return ClientSecurity.keystore(file("localhost.p12"), "PKCS12", PASSWORD)
                .withDirectTls(new InetSocketAddress("127.0.0.1", 0));
    }

    /** What a server that wants TLS and zlib pushes; EXTERNAL and -PLUS must never reach clients. */
    static ClientConfiguration pushed(TlsPolicy tls) {
        return new ClientConfiguration(tls, List.of("SCRAM-SHA-1", "PLAIN", "EXTERNAL", "SCRAM-SHA-1-PLUS"),
                List.of("zlib"), false, false, Map.of());
    }

    /** A trust manager that trusts exactly the test certificate {@code certificateFile}. */
    static X509TrustManager trustManager(String certificateFile) {
        try (InputStream in = java.nio.file.Files.newInputStream(file(certificateFile))) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("cm", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts exactly the test certificate {@code certificateFile}. */
    static SSLContext trusting(String certificateFile) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager(certificateFile)}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext trustingTestCertificate() {
        return trusting("localhost.crt");
    }
}
