package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmppcm.transport.compress.ZlibTuning;
import org.xmppcm.cm.tls.ClientSecurity;

/** Verifies the client.tls.* and client.compression* settings keys. */
class ClientSecuritySettingsTest {
    private static final String BASE = "manager.name=edge1\nmanager.secret=s\nxmpp.domain=example.org\n";

    @TempDir
    Path dir;

    private ClientSecurity load(String extra, Map<String, String> env) throws Exception {
        Path file = dir.resolve("cm.properties");
        Files.writeString(file, BASE + extra);
        return SettingsLoader.load(file, env, -1).clientSecurity();
    }

    @Test
    void withoutACertificateThereIsNoTlsAndNoDirectTlsPortButZlibIsOn() throws Exception {
        ClientSecurity security = load("", Map.of());
        assertThat(security.hasCertificate()).isFalse();
        assertThat(security.directTlsAddress()).isNull();
        assertThat(security.compression()).isTrue();
        assertThat(security.zlib()).isEqualTo(ZlibTuning.DEFAULT);
    }

    @Test
    void aKeystoreOpensTheDirectTlsPort5223OnTheClientAddressAndTheEnvironmentGivesItsPassword() throws Exception {
        ClientSecurity security = load("client.address=127.0.0.1\nclient.tls.keystore=conf/cm.p12\n",
                Map.of("XMPPCM_CLIENT_TLS_KEYSTORE_PASSWORD", "from-env"));
        assertThat(security.keystore()).isEqualTo(Path.of("conf/cm.p12"));
        assertThat(security.keystoreType()).isEqualTo("PKCS12");
        assertThat(security.keystorePassword()).isEqualTo("from-env");
        assertThat(security.directTlsAddress().getPort()).isEqualTo(5223);
        assertThat(security.directTlsAddress().getHostString()).isEqualTo("127.0.0.1");
    }

    @Test
    void pemFilesZeroDirectPortAndZlibTuning() throws Exception {
        ClientSecurity security = load("""
                client.tls.certificate=/etc/cm/fullchain.pem
                client.tls.key=/etc/cm/privkey.pem
                client.tls.direct.port=0
                client.compression=false
                client.compression.level=1
                client.compression.window.bits=9
                client.compression.memory.level=3
                """, Map.of());
        assertThat(security.certificate()).isEqualTo(Path.of("/etc/cm/fullchain.pem"));
        assertThat(security.privateKey()).isEqualTo(Path.of("/etc/cm/privkey.pem"));
        assertThat(security.directTlsAddress()).isNull();
        assertThat(security.compression()).isFalse();
        assertThat(security.zlib()).isEqualTo(new ZlibTuning(1, 9, 3));
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() {
        assertThatThrownBy(() -> load("client.tls.certificate=/etc/cm/fullchain.pem\n", Map.of()))
                .hasMessageContaining("client.tls.key");
    }

    @Test
    void aKeystoreAndPemFilesTogetherAreRefused() {
        assertThatThrownBy(() -> load("client.tls.keystore=a.p12\nclient.tls.certificate=c.pem\nclient.tls.key=k.pem\n",
                Map.of())).hasMessageContaining("not both");
    }
}
