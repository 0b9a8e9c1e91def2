package org.xmppcm.cm;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The test certificates for TLS on links (src/test/resources/link-tls), all with the password "changeit". */
final class LinkTlsMaterial {
    static final Path DIR = Path.of("src/test/resources/link-tls");
    static final char[] PASSWORD = "changeit".toCharArray();

    private LinkTlsMaterial() {
    }

    /** A server-side TLS context with the key and certificate in {@code keyStore} (e.g. server.p12). */
    static SSLContext serverContext(String keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(DIR.resolve(keyStore))) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
