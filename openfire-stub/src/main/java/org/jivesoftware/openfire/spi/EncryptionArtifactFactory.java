package org.jivesoftware.openfire.spi;

import java.security.KeyManagementException;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableKeyException;
import javax.net.ssl.SSLContext;

/**
 * Compile-only mirror of Openfire 5.1.1's {@code EncryptionArtifactFactory}: the TLS context Openfire builds from a
 * listener's configuration (its identity store and trust store for that connection type).
 */
public class EncryptionArtifactFactory {

    public EncryptionArtifactFactory(ConnectionConfiguration configuration) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public synchronized SSLContext getSSLContext()
            throws NoSuchAlgorithmException, KeyManagementException, KeyStoreException, UnrecoverableKeyException {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
