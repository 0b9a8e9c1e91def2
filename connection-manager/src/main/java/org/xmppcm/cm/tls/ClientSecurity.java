package org.xmppcm.cm.tls;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import org.xmppcm.transport.compress.ZlibTuning;

/**
 * What this CM can put under client streams itself: its TLS certificate (from a keystore or from
 * PEM files), the direct TLS port (XEP-0368), and zlib compression (XEP-0138). Whether STARTTLS
 * and compression are offered at all is the server's call (the pushed client configuration);
 * these settings say whether the CM can follow it.
 *
 * @param keystore a PKCS12 or JKS keystore holding the private key and its certificate chain, or null
 * @param keystoreType {@code PKCS12} or {@code JKS}
 * @param keystorePassword the keystore's password, also used for the key; may be empty
 * @param certificate a PEM certificate chain (server certificate first), or null
 * @param privateKey the PEM private key of {@code certificate}: unencrypted PKCS#8, RSA or EC
 * @param directTlsAddress where clients connect with TLS from the first byte; null disables it
 *        (it is also unused without a certificate); port 0 picks a free port
 * @param compression whether zlib is offered when the server's configuration lists it
 * @param zlib how this CM deflates towards compressed clients
 */
public record ClientSecurity(Path keystore, String keystoreType, String keystorePassword, Path certificate,
                             Path privateKey, InetSocketAddress directTlsAddress, boolean compression,
                             ZlibTuning zlib) {
    public static final int DEFAULT_DIRECT_TLS_PORT = 5223;
    public static final String DEFAULT_KEYSTORE_TYPE = "PKCS12";

    public ClientSecurity {
        Objects.requireNonNull(zlib, "zlib");
        keystoreType = keystoreType == null || keystoreType.isBlank() ? DEFAULT_KEYSTORE_TYPE : keystoreType.trim();
        keystorePassword = keystorePassword == null ? "" : keystorePassword;
        if (keystore != null && (certificate != null || privateKey != null)) {
            throw new IllegalArgumentException("configure either a keystore (client.tls.keystore) or PEM files (client.tls.certificate, client.tls.key), not both");
        }
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("client.tls.certificate and client.tls.key go together: give both or neither");
        }
    }

    /** No certificate: neither STARTTLS nor direct TLS; zlib still follows the server's configuration. */
    public static ClientSecurity none() {
        return new ClientSecurity(null, null, null, null, null, null, true, ZlibTuning.DEFAULT);
    }

    /** TLS from a PKCS12 or JKS keystore; no direct TLS port until {@link #withDirectTls}. */
    public static ClientSecurity keystore(Path keystore, String type, String password) {
        return new ClientSecurity(Objects.requireNonNull(keystore, "keystore"), type, password, null, null, null, true,
                ZlibTuning.DEFAULT);
    }

    /** TLS from PEM files; no direct TLS port until {@link #withDirectTls}. */
    public static ClientSecurity pem(Path certificate, Path privateKey) {
        return new ClientSecurity(null, null, null, Objects.requireNonNull(certificate, "certificate"),
                Objects.requireNonNull(privateKey, "privateKey"), null, true, ZlibTuning.DEFAULT);
    }

    public ClientSecurity withDirectTls(InetSocketAddress address) {
        return new ClientSecurity(keystore, keystoreType, keystorePassword, certificate, privateKey, address,
                compression, zlib);
    }

    public ClientSecurity withCompression(boolean enabled, ZlibTuning tuning) {
        return new ClientSecurity(keystore, keystoreType, keystorePassword, certificate, privateKey, directTlsAddress,
                enabled, tuning);
    }

    public boolean hasCertificate() {
        return keystore != null || certificate != null;
    }

    /** Never shows the password: settings get logged. */
    @Override
    public String toString() {
        String key = keystore != null ? keystoreType + " " + keystore
                : certificate != null ? "PEM " + certificate + " + " + privateKey : "no certificate";
        return "ClientSecurity[" + key + ", direct TLS " + (directTlsAddress != null ? directTlsAddress : "off")
                + ", compression " + (compression ? zlib : "off") + "]";
    }
}
