package org.xmppcm.cm.tls;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.mina.filter.ssl.SslFilter;
import org.xmppcm.transport.tls.ServerSslFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS towards clients, server side: the CM's certificate, TLS 1.2 and 1.3 only, and forward-secret
 * AEAD cipher suites only (the JDK's defaults less static RSA key exchange, CBC and SHA-1 MACs:
 * what Mozilla's "intermediate" profile allows). Built once at startup; its {@link SslFilter} is
 * shared by every client session (MINA keeps the per-session engine in a session attribute).
 */
public final class ClientTls {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTls.class);
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final SslFilter filter;

    private ClientTls(SSLContext context) {
        this.context = context;
        SSLParameters supported = context.getSupportedSSLParameters();
        this.protocols = PROTOCOLS.stream().filter(List.of(supported.getProtocols())::contains).toArray(String[]::new);
        this.cipherSuites = Arrays.stream(context.getDefaultSSLParameters().getCipherSuites())
                .filter(ClientTls::isStrong).toArray(String[]::new);
        if (protocols.length == 0 || cipherSuites.length == 0) {
            throw new IllegalStateException("this JVM offers no TLS 1.2+ with forward-secret AEAD cipher suites");
        }
        ServerSslFilter sslFilter = new ServerSslFilter(context, protocols);
        sslFilter.setEnabledCipherSuites(cipherSuites);
        this.filter = sslFilter;
    }

    /**
     * Loads the certificate named by {@code security}.
     *
     * @throws TlsSetupException naming the file when it cannot be used
     */
    public static ClientTls create(ClientSecurity security) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(ServerCredentials.load(security), null, null);
            ClientTls tls = new ClientTls(context);
            LOG.info("Client TLS ready ({}): {}, {} cipher suites", security, String.join(", ", tls.protocols),
                    tls.cipherSuites.length);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("TLS cannot be set up: " + e.getMessage(), e);
        }
    }

    /** TLS 1.3 suites are all AEAD with forward secrecy; for 1.2, ECDHE or DHE with GCM or ChaCha20-Poly1305. */
    static boolean isStrong(String suite) {
        if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) {
            return true;
        }
        boolean forwardSecret = suite.startsWith("TLS_ECDHE_") || suite.startsWith("TLS_DHE_");
        boolean aead = suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_");
        return forwardSecret && aead;
    }

    /** The filter to put first in a client session's chain (STARTTLS) or an acceptor's (direct TLS). */
    public SslFilter filter() {
        return filter;
    }

    public SSLContext context() {
        return context;
    }

    public List<String> protocols() {
        return List.of(protocols);
    }

    public List<String> cipherSuites() {
        return List.of(cipherSuites);
    }
}
