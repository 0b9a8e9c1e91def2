package org.xmppcm.cm.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {
    @Test
    void isAValidSelfSignedCertificateForTheDomain() throws Exception {
        SelfSignedCertificate made = SelfSignedCertificate.create("localhost", Duration.ofDays(30));
        X509Certificate certificate = made.certificate();

        certificate.checkValidity(new Date());
        certificate.checkValidity(Date.from(Instant.now().plus(Duration.ofDays(29))));
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(made.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(SelfSignedCertificate.create("localhost", Duration.ofDays(30)).certificate().getSerialNumber())
                .isNotEqualTo(certificate.getSerialNumber());
    }

    @Test
    void opensAsTheKeystoreClientTlsReads(@TempDir Path dir) throws Exception {
        SelfSignedCertificate made = SelfSignedCertificate.create("example.test", Duration.ofDays(1));
        Path file = dir.resolve("demo.p12");
        made.writePkcs12(file, "pw".toCharArray());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, "pw".toCharArray());
        }
        assertThat(store.isKeyEntry("demo")).isTrue();
        assertThat(store.getCertificate("demo")).isEqualTo(made.certificate());
        // What the CM itself does with a configured keystore: fails at start when unusable.
        ClientTls.create(ClientSecurity.keystore(file, "PKCS12", "pw"));
    }
}
