package org.xmppcm.cm.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xmppcm.cm.CmSettings;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.cm.tls.ClientSecurity;
import org.xmppcm.protocol.cm.TuningParameter;
import org.xmppcm.transport.compress.ZlibTuning;

/** The conf/connection-manager.properties that ships in the distribution documents every setting and parses. */
class ShippedConfigTest {
    /**
     * Every key the CM reads: SettingsLoader's keys plus Main's shutdown.timeout.seconds. When a
     * key is added to SettingsLoader, add it here and document it in the shipped file.
     */
    static final Set<String> KNOWN_KEYS = Set.of(
            "manager.name", "manager.secret", "xmpp.domain",
            "server.host", "server.port", "server.failover",
            "link.count", "link.keepalive.seconds", "link.timeout.seconds", "link.grace.seconds", "link.hold.client.bytes",
            "link.hold.total.bytes", "link.tls", "link.tls.truststore", "link.tls.truststore.password",
            "link.tls.server.name", "link.tls.pins", "link.compression",
            "client.address", "client.port", "client.max", "client.rate.per.ip", "client.rate.burst",
            "client.rate.loopback", "client.idle.timeout.seconds", "client.keepalive.seconds",
            "client.auth.timeout.seconds", "client.pending.write.max.bytes", "stanza.max.bytes",
            "client.tls.keystore", "client.tls.keystore.type", "client.tls.keystore.password",
            "client.tls.certificate", "client.tls.key", "client.tls.direct.port",
            "client.compression", "client.compression.level", "client.compression.window.bits",
            "client.compression.memory.level",
            "metrics.address", "metrics.port",
            "shutdown.timeout.seconds");

    /** A setting line, active ("key=value") or showing its default ("#key=value"). */
    private static final Pattern KEY_LINE = Pattern.compile("^#?([a-z][a-z0-9]*(?:\\.[a-z0-9]+)+)=(.*)$");

    static final Path SHIPPED = Path.of("src", "dist", "conf", "connection-manager.properties");

    private static List<String> lines() throws Exception {
        return Files.readAllLines(SHIPPED, StandardCharsets.ISO_8859_1);
    }

    @Test
    void documentsExactlyTheKeysTheConnectionManagerReads() throws Exception {
        Set<String> documented = new LinkedHashSet<>();
        for (String line : lines()) {
            Matcher m = KEY_LINE.matcher(line);
            if (m.matches()) {
                assertThat(documented.add(m.group(1))).as("documented once: %s", m.group(1)).isTrue();
            }
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(KNOWN_KEYS);
    }

    @Test
    void everyKeyHasAnExplanationAboveIt() throws Exception {
        List<String> lines = lines();
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY_LINE.matcher(lines.get(i));
            if (m.matches() && (i == 0 || !lines.get(i - 1).startsWith("# "))) {
                undocumented.add(m.group(1));
            }
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void commentedDefaultsAreTheConnectionManagersDefaults() throws Exception {
        ClientLimits limits = ClientLimits.DEFAULTS;
        Map<String, String> expected = Map.ofEntries(
                Map.entry("server.host", "127.0.0.1"),
                Map.entry("server.port", "" + CmSettings.DEFAULT_SERVER_PORT),
                Map.entry("link.count", "" + LinkSettings.DEFAULT_COUNT),
                Map.entry("link.keepalive.seconds", "" + LinkSettings.DEFAULT_KEEPALIVE.toSeconds()),
                Map.entry("link.timeout.seconds",
                        "" + LinkSettings.defaultTimeout(LinkSettings.DEFAULT_KEEPALIVE).toSeconds()),
                Map.entry("link.grace.seconds", "" + LinkSettings.DEFAULT_GRACE.toSeconds()),
                Map.entry("link.hold.client.bytes", "" + LinkSettings.DEFAULT_HOLD_PER_CLIENT),
                Map.entry("link.hold.total.bytes", "" + LinkSettings.DEFAULT_HOLD_TOTAL),
                Map.entry("link.tls", "off"),
                Map.entry("client.address", "0.0.0.0"),
                Map.entry("client.port", "" + CmSettings.DEFAULT_CLIENT_PORT),
                Map.entry("client.max", "" + limits.maxClients()),
                Map.entry("client.rate.per.ip", "" + limits.connectionsPerIpPerSecond()),
                Map.entry("client.rate.burst", "" + limits.connectionBurstPerIp()),
                Map.entry("client.rate.loopback", "" + limits.limitLoopback()),
                Map.entry("client.idle.timeout.seconds", "" + limits.idleTimeout().toSeconds()),
                Map.entry("client.keepalive.seconds", "" + limits.keepalive().toSeconds()),
                Map.entry("client.pending.write.max.bytes", "" + limits.maxPendingWriteBytes()),
                Map.entry("stanza.max.bytes", "" + CmSettings.DEFAULT_MAX_STANZA_BYTES),
                Map.entry("client.tls.keystore.type", ClientSecurity.DEFAULT_KEYSTORE_TYPE),
                Map.entry("client.tls.direct.port", "" + ClientSecurity.DEFAULT_DIRECT_TLS_PORT),
                Map.entry("client.compression", "true"),
                Map.entry("client.compression.level", "" + ZlibTuning.DEFAULT.level()),
                Map.entry("client.compression.window.bits", "" + ZlibTuning.DEFAULT.windowBits()),
                Map.entry("client.compression.memory.level", "" + ZlibTuning.DEFAULT.memLevel()),
                Map.entry("shutdown.timeout.seconds", "10"));
        for (String line : lines()) {
            Matcher m = KEY_LINE.matcher(line);
            if (m.matches() && expected.containsKey(m.group(1))) {
                assertThat(line).as(m.group(1)).isEqualTo("#" + m.group(1) + "=" + expected.get(m.group(1)));
            }
        }
    }

    @Test
    void everySettingTheServerMayPushStatesTheRangeBothEndsAccept() throws Exception {
        List<String> lines = lines();
        for (TuningParameter parameter : TuningParameter.values()) {
            int line = lines.indexOf("#" + parameter.wireName() + "=" + parameter.defaultValue());
            assertThat(line).as("%s documented with its default", parameter.wireName()).isPositive();
            StringBuilder comment = new StringBuilder();
            for (int i = line - 1; i >= 0 && lines.get(i).startsWith("# "); i--) {
                comment.insert(0, lines.get(i).substring(2) + " ");
            }
            assertThat(comment.toString()).as(parameter.wireName())
                    .contains("from " + parameter.min() + " ").contains(" to " + parameter.max());
        }
    }

    @Test
    void explainsTheEnvironmentOverride() throws Exception {
        assertThat(String.join("\n", lines())).contains("XMPPCM_<KEY>").contains("XMPPCM_MANAGER_SECRET");
    }

    @Test
    void parsesWithTheRequiredValuesFromTheEnvironment() throws Exception {
        CmSettings settings = load(SHIPPED, Map.of(
                "XMPPCM_MANAGER_NAME", "edge1",
                "XMPPCM_MANAGER_SECRET", "s3cret",
                "XMPPCM_XMPP_DOMAIN", "example.org"));
        assertThat(settings.managerName()).isEqualTo("edge1");
        assertThat(settings.secret()).isEqualTo("s3cret");
        assertThat(settings.xmppDomain()).isEqualTo("example.org");
        assertThat(settings.links().servers()).hasSize(1);
        assertThat(settings.links().servers().get(0).getHostString()).isEqualTo("127.0.0.1");
        assertThat(settings.links().servers().get(0).getPort()).isEqualTo(CmSettings.DEFAULT_SERVER_PORT);
        assertThat(settings.links().tls().required()).isFalse();
        assertThat(settings.clientAddress().getPort()).isEqualTo(CmSettings.DEFAULT_CLIENT_PORT);
        assertThat(settings.maxStanzaBytes()).isEqualTo(CmSettings.DEFAULT_MAX_STANZA_BYTES);
        assertThat(settings.limits()).isEqualTo(ClientLimits.DEFAULTS);
        assertThat(settings.metricsAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 9465));
        assertThat(settings.clientSecurity().hasCertificate()).isFalse();
        assertThat(settings.clientSecurity().compression()).isTrue();
        assertThat(settings.clientSecurity().zlib()).isEqualTo(ZlibTuning.DEFAULT);
    }

    /** SettingsLoader is package-private in org.xmppcm.cm; this package reaches it reflectively. */
    static CmSettings load(Path file, Map<String, String> env) throws Exception {
        Method load = Class.forName("org.xmppcm.cm.SettingsLoader")
                .getDeclaredMethod("load", Path.class, Map.class, int.class);
        load.setAccessible(true);
        try {
            return (CmSettings) load.invoke(null, file, env, -1);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
