package org.xmppcm.cm.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CM's own certificate and private key, from a keystore or from PEM files, as JSSE key
 * managers. Checks at startup what would otherwise only fail at a client's handshake: the file
 * is readable, the password opens it, there is a private key, and (PEM) the key belongs to the
 * certificate. An expired certificate is only warned about: refusing to start would take every
 * client down with it.
 */
final class ServerCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCredentials.class);

    private ServerCredentials() {
    }

    static KeyManager[] load(ClientSecurity security) {
        if (security.keystore() != null) {
            return fromKeystore(security.keystore(), security.keystoreType(), security.keystorePassword().toCharArray());
        }
        if (security.certificate() != null) {
            return fromPem(security.certificate(), security.privateKey());
        }
        throw new IllegalStateException("no certificate configured");
    }

    private static KeyManager[] fromKeystore(Path file, String type, char[] password) {
        requireReadable(file);
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw TlsSetupException.of(file, "unknown keystore type " + type + " (client.tls.keystore.type: PKCS12 or JKS)", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof UnrecoverableKeyException;
            throw TlsSetupException.of(file, badPassword ? "wrong keystore password (client.tls.keystore.password)"
                    : "not a readable " + type + " keystore (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw TlsSetupException.of(file, "cannot open the keystore (" + e.getMessage() + ")", e);
        }
        X509Certificate certificate = null;
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate x509) {
                    if (certificate != null) {
                        LOG.warn("Keystore {} holds several private keys; JSSE picks one per handshake", file);
                        break;
                    }
                    certificate = x509;
                }
            }
        } catch (KeyStoreException e) {
            throw TlsSetupException.of(file, "cannot list the keystore (" + e.getMessage() + ")", e);
        }
        if (certificate == null) {
            throw TlsSetupException.of(file, "holds no private key with a certificate", null);
        }
        warnIfNotValidNow(file, certificate);
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (UnrecoverableKeyException e) {
            throw TlsSetupException.of(file, "the private key's password differs from the keystore password;"
                    + " give both the same password", e);
        } catch (GeneralSecurityException e) {
            throw TlsSetupException.of(file, "cannot use the keystore (" + e.getMessage() + ")", e);
        }
    }

    private static KeyManager[] fromPem(Path certificateFile, Path keyFile) {
        requireReadable(certificateFile);
        requireReadable(keyFile);
        List<X509Certificate> chain = PemFiles.certificates(certificateFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        requireMatch(keyFile, key, chain.get(0), certificateFile);
        warnIfNotValidNow(certificateFile, chain.get(0));
        try {
            // JSSE takes keys from a KeyStore only: an in-memory one, with a throwaway password.
            char[] password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("cm", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw TlsSetupException.of(certificateFile, "cannot use this certificate with its key (" + e.getMessage() + ")", e);
        }
    }

    /** Signs and verifies a few bytes: the only check that works the same for every key type. */
    private static void requireMatch(Path keyFile, PrivateKey key, X509Certificate certificate, Path certificateFile) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        boolean matches;
        try {
            byte[] probe = "xmppcm key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw TlsSetupException.of(keyFile, "this private key does not belong to the first certificate of "
                    + certificateFile.toAbsolutePath(), null);
        }
    }

    private static void warnIfNotValidNow(Path file, X509Certificate certificate) {
        Date now = new Date();
        if (now.after(certificate.getNotAfter())) {
            LOG.warn("The TLS certificate in {} EXPIRED on {}: clients will refuse it", file, certificate.getNotAfter());
        } else if (now.before(certificate.getNotBefore())) {
            LOG.warn("The TLS certificate in {} is not valid before {}", file, certificate.getNotBefore());
        }
    }

    private static void requireReadable(Path file) {
        if (!Files.isRegularFile(file)) {
            throw TlsSetupException.of(file, "no such file", null);
        }
        if (!Files.isReadable(file)) {
            throw TlsSetupException.of(file, "not readable by this process", null);
        }
    }
}
