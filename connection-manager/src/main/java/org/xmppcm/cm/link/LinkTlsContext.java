package org.xmppcm.cm.link;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * The TLS client side of the CM's links: one SSL context per CM, one filter per link.
 * The server is verified by the trust store and its host name, or by a pinned fingerprint.
 */
public final class LinkTlsContext {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final LinkTls settings;

    private LinkTlsContext(SSLContext context, LinkTls settings) {
        this.context = context;
        this.settings = settings;
    }

    /** Loads the trust material; a bad file stops the start with its name. */
    public static LinkTlsContext create(LinkTls settings) throws IOException {
        try {
            X509TrustManager trust = settings.pinnedSha256().isEmpty()
                    ? storeTrust(settings)
                    : new PinnedTrustManager(settings.pinnedSha256());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return new LinkTlsContext(context, settings);
        } catch (GeneralSecurityException e) {
            throw new IOException("link TLS: cannot use trust store " + settings.trustStore() + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager storeTrust(LinkTls settings) throws IOException, GeneralSecurityException {
        KeyStore store = null;
        if (settings.trustStore() != null) {
            store = KeyStore.getInstance(settings.trustStore().toString().endsWith(".jks") ? "JKS" : "PKCS12");
            char[] password = settings.trustStorePassword() == null ? null : settings.trustStorePassword().toCharArray();
            try (InputStream in = Files.newInputStream(settings.trustStore())) {
                store.load(in, password);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** A filter for one link to {@code server}, to add in front of the codec after {@code <proceed/>}. */
    public SslFilter newFilter(InetSocketAddress server) {
        String name = settings.serverName() != null ? settings.serverName() : server.getHostString();
        boolean checkName = settings.pinnedSha256().isEmpty();
        SslFilter filter = new SslFilter(context) {
            @Override
            protected SSLEngine createEngine(IoSession session, InetSocketAddress address) {
                // The configured name, not a reverse lookup of the address, is what the certificate must show.
                SSLEngine engine = context.createSSLEngine(name, server.getPort());
                engine.setUseClientMode(true);
                engine.setEnabledProtocols(PROTOCOLS);
                if (checkName) {
                    var parameters = engine.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    engine.setSSLParameters(parameters);
                }
                return engine;
            }
        };
        // The synchronized pipeline: the non-blocking one corrupted records under concurrent writes.
        filter.setUseNonBlockingPipeline(false);
        return filter;
    }

    /** Accepts exactly the certificates whose SHA-256 is pinned, as leaf certificates. */
    private record PinnedTrustManager(List<String> pins) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no server certificate");
            }
            String fingerprint;
            try {
                fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
            if (!pins.contains(fingerprint)) {
                throw new CertificateException("server certificate " + fingerprint + " is not pinned");
            }
            chain[0].checkValidity();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("links are client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
