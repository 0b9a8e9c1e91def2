package org.xmppcm.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.xml.StreamErrorCondition;

class DemoHostTest {
    @Test
    void demoDefaultsServeLocalhostWithAliceAndBob() {
        DemoHost host = DemoHost.withDemoDefaults();

        assertThat(host.domain()).isEqualTo("localhost");
        new TestClient(host).login("alice", "a");
        new TestClient(host).login("bob", "b");
        assertThat(host.sessionCount()).isEqualTo(2);
    }

    @Test
    void acceptsTheSameSecretForAnyManagerName() {
        DemoHost host = DemoHost.withDemoDefaults();

        assertThat(host.managerSecret("cm1")).contains("demo-secret");
        assertThat(host.managerSecret("anything")).contains("demo-secret");
        assertThat(DemoHost.builder().managerSecret("s3cret").build().managerSecret("x")).contains("s3cret");
    }

    @Test
    void offersPlainTcpWithScramSha1AndPlainOnly() {
        ClientConfiguration config = DemoHost.withDemoDefaults().clientConfiguration();

        assertThat(config.tls()).isEqualTo(TlsPolicy.DISABLED);
        assertThat(config.mechanisms()).containsExactly("SCRAM-SHA-1", "PLAIN");
        assertThat(config.compressionMethods()).isEmpty();
        assertThat(config.iqAuth()).isFalse();
        assertThat(config.register()).isFalse();
        assertThat(config.tuning()).isEmpty();
    }

    @Test
    void closesSessionsBeyondTheCapWithResourceConstraintAndAcceptsAgainWhenOneEnds() {
        DemoHost host = DemoHost.builder().maxSessions(2).build();
        TestClient first = new TestClient(host);
        TestClient second = new TestClient(host);

        TestClient third = new TestClient(host);

        assertThat(third.channel.closedWith()).isEqualTo(StreamErrorCondition.RESOURCE_CONSTRAINT);
        third.authPlain("alice", "alice");
        third.session.closed();
        assertThat(third.take()).isEmpty();
        assertThat(first.channel.closedWith()).isNull();
        assertThat(second.channel.closedWith()).isNull();
        first.session.closed();
        assertThat(host.sessionCount()).isEqualTo(1);
        assertThat(new TestClient(host).channel.closedWith()).isNull();
    }

    @Test
    void loadsUsersFromAPropertiesFileAndLowerCasesTheirNames(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "# demo\nCarol=pässword\ndave = dave\n", StandardCharsets.UTF_8);

        DemoHost host = DemoHost.builder().domain("Example.TEST").usersFile(file).build();

        assertThat(host.domain()).isEqualTo("example.test");
        assertThat(host.users().usernames()).containsExactly("carol", "dave");
        TestClient carol = new TestClient(host);
        carol.authPlain("carol", "pässword");
        assertThat(carol.take()).extracting(e -> e.getName()).containsExactly("success");
    }

    @Test
    void loadsUsersFromProperties() {
        Properties properties = new Properties();
        properties.setProperty("erin", "erin");

        DemoHost host = DemoHost.builder().users(properties).build();

        assertThat(host.users().usernames()).containsExactly("erin");
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> DemoHost.builder().users(Map.of("x", "")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty password");
        assertThatThrownBy(() -> DemoHost.builder().users(Map.of("Al", "1", "al", "2")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> DemoHost.builder().users(Map.of("a@b", "1")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DemoHost.builder().domain("user@localhost").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DemoHost.builder().managerSecret("").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesJidsWithResourcesContainingSlashesAndAts() {
        Jid jid = Jid.parse("Alice@LocalHost/phone/a@b");

        assertThat(jid.local()).isEqualTo("alice");
        assertThat(jid.domain()).isEqualTo("localhost");
        assertThat(jid.resource()).isEqualTo("phone/a@b");
        assertThat(jid.bare().toString()).isEqualTo("alice@localhost");
        assertThat(List.of("", "@localhost", "alice@", "alice@localhost/", "a\"b@localhost"))
                .allSatisfy(bad -> assertThatThrownBy(() -> Jid.parse(bad)).isInstanceOf(IllegalArgumentException.class));
    }
}
