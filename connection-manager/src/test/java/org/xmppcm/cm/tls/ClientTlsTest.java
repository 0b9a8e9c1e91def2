package org.xmppcm.cm.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies how the CM loads its certificate and which TLS it offers with it. */
class ClientTlsTest {
    private static final String PASSWORD = "test-password";

    @TempDir
    Path dir;

    private static Path file(String name) throws Exception {
        return Path.of(ClientTlsTest.class.getResource("/tls/" + name).toURI());
    }

    @Test
    void loadsAPkcs12Keystore() throws Exception {
        ClientTls tls = ClientTls.create(ClientSecurity.keystore(file("localhost.p12"), "PKCS12", PASSWORD));
        assertThat(tls.context().createSSLEngine()).isNotNull();
    }

    @Test
    void loadsAJksKeystore() throws Exception {
        assertThat(ClientTls.create(ClientSecurity.keystore(file("localhost.jks"), "JKS", PASSWORD))).isNotNull();
    }

    @Test
    void loadsAnRsaCertificateAndKeyFromPem() throws Exception {
        assertThat(ClientTls.create(ClientSecurity.pem(file("localhost.crt"), file("localhost.key")))).isNotNull();
    }

    @Test
    void loadsAnEcCertificateAndKeyFromPem() throws Exception {
        assertThat(ClientTls.create(ClientSecurity.pem(file("localhost-ec.crt"), file("localhost-ec.key")))).isNotNull();
    }

    @Test
    void offersOnlyTls12And13WithForwardSecretAeadSuites() throws Exception {
        ClientTls tls = ClientTls.create(ClientSecurity.keystore(file("localhost.p12"), "PKCS12", PASSWORD));
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.cipherSuites()).isNotEmpty()
                .allMatch(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_")
                        || s.matches("TLS_(EC)?DHE_.*_(GCM|CHACHA20_POLY1305)_.*"))
                .noneMatch(s -> s.contains("_CBC_") || s.startsWith("TLS_RSA_") || s.endsWith("_SHA"));
    }

    @Test
    void aWrongKeystorePasswordIsAStartupErrorNamingTheFile() throws Exception {
        Path keystore = file("localhost.p12");
        assertThatThrownBy(() -> ClientTls.create(ClientSecurity.keystore(keystore, "PKCS12", "wrong")))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining(keystore.toString())
                .hasMessageContaining("password");
    }

    @Test
    void aMissingKeystoreIsAStartupErrorNamingTheFile() {
        Path missing = dir.resolve("nope.p12");
        assertThatThrownBy(() -> ClientTls.create(ClientSecurity.keystore(missing, "PKCS12", PASSWORD)))
                .hasMessageContaining(missing.toString()).hasMessageContaining("no such file");
    }

    @Test
    void aKeystoreWithoutAPrivateKeyIsRefused() throws Exception {
        Path trustOnly = dir.resolve("trust.p12");
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = Files.newInputStream(file("localhost.crt"))) {
            store.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (var out = Files.newOutputStream(trustOnly)) {
            store.store(out, PASSWORD.toCharArray());
        }
        assertThatThrownBy(() -> ClientTls.create(ClientSecurity.keystore(trustOnly, "PKCS12", PASSWORD)))
                .hasMessageContaining(trustOnly.toString()).hasMessageContaining("no private key");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() throws Exception {
        Path key = file("localhost-ec.key");
        assertThatThrownBy(() -> ClientTls.create(ClientSecurity.pem(file("localhost.crt"), key)))
                .hasMessageContaining(key.toString()).hasMessageContaining("does not belong");
    }

    @Test
    void anOldStyleRsaKeyGetsTheCommandToConvertIt() throws Exception {
        Path pkcs1 = dir.resolve("rsa.key");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> ClientTls.create(ClientSecurity.pem(file("localhost.crt"), pkcs1)))
                .hasMessageContaining(pkcs1.toString()).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aCertificateFileThatIsNotPemIsRefused() throws Exception {
        Path garbage = dir.resolve("cert.pem");
        Files.writeString(garbage, "hello");
        assertThatThrownBy(() -> ClientTls.create(ClientSecurity.pem(garbage, file("localhost.key"))))
                .hasMessageContaining(garbage.toString()).hasMessageContaining("not a PEM file");
    }

    @Test
    void neverShowsThePasswordInItsDescription() throws Exception {
        assertThat(ClientSecurity.keystore(file("localhost.p12"), "PKCS12", PASSWORD).toString()).doesNotContain(PASSWORD);
    }
}
