// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire.spi;

import java.security.KeyManagementException;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableKeyException;
import javax.net.ssl.SSLContext;

public class EncryptionArtifactFactory {
    public EncryptionArtifactFactory(ConnectionConfiguration configuration) {
    }

    /** The stand-in has no certificate store, like an Openfire without a certificate for the connection type. */
    public synchronized SSLContext getSSLContext()
            throws NoSuchAlgorithmException, KeyManagementException, KeyStoreException, UnrecoverableKeyException {
        throw new KeyStoreException("stand-in: no certificate for this connection type");
    }
}
