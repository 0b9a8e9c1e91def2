package org.xmppcm.cm;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.xmppcm.cm.limits.ClientLimitTuning;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.cm.link.LinkTls;
import org.xmppcm.cm.tls.ClientSecurity;
import org.xmppcm.protocol.cm.TuningParameter;
import org.xmppcm.transport.compress.ZlibTuning;

/**
 * Settings from a properties file, each key overridable by an {@code XMPPCM_*} environment variable
 * (upper case, dots as underscores). A malformed value stops the start with the key's name.
 */
final class SettingsLoader {
    private SettingsLoader() {
    }

    static CmSettings load(Path file, Map<String, String> env, int clientPortOverride) throws IOException {
        Properties properties = new Properties();
        Path path = file != null ? file : Path.of("conf", "connection-manager.properties");
        if (Files.exists(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                properties.load(in);
            }
        } else if (file != null) {
            throw new IOException("no such settings file: " + file);
        }
        Values values = new Values(key -> {
            String fromEnv = env.get("XMPPCM_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
            return fromEnv != null ? fromEnv : properties.getProperty(key);
        });
        String clientHost = values.text("client.address", "0.0.0.0");
        int clientPort = clientPortOverride >= 0 ? clientPortOverride
                : values.integer("client.port", CmSettings.DEFAULT_CLIENT_PORT);
        List<InetSocketAddress> servers = new ArrayList<>();
        servers.add(new InetSocketAddress(values.text("server.host", "127.0.0.1"),
                values.integer("server.port", CmSettings.DEFAULT_SERVER_PORT)));
        for (String extra : values.text("server.failover", "").split(",")) {
            if (!extra.isBlank()) {
                servers.add(hostAndPort(extra.trim()));
            }
        }
        java.time.Duration keepalive = values.seconds("link.keepalive.seconds", LinkSettings.DEFAULT_KEEPALIVE);
        LinkSettings links = new LinkSettings(servers,
                values.integer("link.count", LinkSettings.DEFAULT_COUNT),
                keepalive,
                values.tuned(TuningParameter.GRACE_SECONDS).map(TuningParameter.GRACE_SECONDS::duration)
                        .orElse(LinkSettings.DEFAULT_GRACE),
                values.integer("link.hold.client.bytes", LinkSettings.DEFAULT_HOLD_PER_CLIENT),
                values.integer("link.hold.total.bytes", (int) Math.min(Integer.MAX_VALUE, LinkSettings.DEFAULT_HOLD_TOTAL)),
                linkTls(values),
                values.bool("link.compression", false),
                values.seconds("link.timeout.seconds", LinkSettings.defaultTimeout(keepalive)));
        ClientLimits d = ClientLimits.DEFAULTS;
        // What the server may push is read as a push is (same names, same ranges); the rest only the file sets.
        ClientLimits limits = ClientLimitTuning.configured(d.withConnectionRate(d.connectionsPerIpPerSecond(),
                        values.integer("client.rate.burst", d.connectionBurstPerIp()),
                        values.bool("client.rate.loopback", d.limitLoopback())),
                key -> values.text(key, null));
        int metricsPort = values.integer("metrics.port", 9465);
        InetSocketAddress metrics = metricsPort < 0 ? null
                : new InetSocketAddress(values.text("metrics.address", "127.0.0.1"), metricsPort);
        return new CmSettings(new InetSocketAddress(clientHost, clientPort),
                values.text("manager.name", null), values.text("manager.secret", null), values.text("xmpp.domain", null),
                values.integer("stanza.max.bytes", CmSettings.DEFAULT_MAX_STANZA_BYTES), links, limits, metrics)
                .withClientSecurity(clientSecurity(values, clientHost));
    }

    /** The CM's own TLS towards clients (keystore or PEM), the direct TLS port and zlib. */
    private static ClientSecurity clientSecurity(Values values, String clientHost) {
        String keystore = values.text("client.tls.keystore", null);
        String certificate = values.text("client.tls.certificate", null);
        String key = values.text("client.tls.key", null);
        int directPort = values.integer("client.tls.direct.port", ClientSecurity.DEFAULT_DIRECT_TLS_PORT);
        if (directPort < 0 || directPort > 65535) {
            throw new IllegalArgumentException("client.tls.direct.port must be 0 (off) to 65535: " + directPort);
        }
        ZlibTuning z = ZlibTuning.DEFAULT;
        ZlibTuning zlib = new ZlibTuning(values.integer("client.compression.level", z.level()),
                values.integer("client.compression.window.bits", z.windowBits()),
                values.integer("client.compression.memory.level", z.memLevel()));
        // The password may be given as an empty string on purpose, so it is read raw.
        String password = values.raw().apply("client.tls.keystore.password");
        return new ClientSecurity(keystore == null ? null : Path.of(keystore),
                values.text("client.tls.keystore.type", ClientSecurity.DEFAULT_KEYSTORE_TYPE), password,
                certificate == null ? null : Path.of(certificate), key == null ? null : Path.of(key),
                directPort == 0 || keystore == null && certificate == null ? null
                        : new InetSocketAddress(clientHost, directPort),
                values.bool("client.compression", true), zlib);
    }

    private static LinkTls linkTls(Values values) {
        String mode = values.text("link.tls", "off").toLowerCase(Locale.ROOT);
        if (!mode.equals("off") && !mode.equals("required")) {
            throw new IllegalArgumentException("link.tls must be off or required: " + mode);
        }
        String store = values.text("link.tls.truststore", null);
        List<String> pins = new ArrayList<>();
        for (String pin : values.text("link.tls.pins", "").split(",")) {
            if (!pin.isBlank()) {
                pins.add(pin.trim());
            }
        }
        return new LinkTls(mode.equals("required"), store == null ? null : Path.of(store),
                values.text("link.tls.truststore.password", null), values.text("link.tls.server.name", null), pins);
    }

    private static InetSocketAddress hostAndPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            return new InetSocketAddress(value, CmSettings.DEFAULT_SERVER_PORT);
        }
        try {
            return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("server.failover: bad address " + value);
        }
    }

    /** Typed reads that name the key when a value is malformed. */
    private record Values(Function<String, String> raw) {
        String text(String key, String fallback) {
            String value = raw.apply(key);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        int integer(String key, int fallback) {
            String value = text(key, null);
            if (value == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number: " + value);
            }
        }

        /** A value the server may also push, in that parameter's range; empty when unset. */
        Optional<Integer> tuned(TuningParameter parameter) {
            String value = text(parameter.wireName(), null);
            return value == null ? Optional.empty() : Optional.of(parameter.require(value));
        }

        Duration seconds(String key, Duration fallback) {
            String value = text(key, null);
            return value == null ? fallback : Duration.ofSeconds(integer(key, 0));
        }

        boolean bool(String key, boolean fallback) {
            String value = text(key, null);
            if (value == null) {
                return fallback;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new IllegalArgumentException(key + " must be true or false: " + value);
            };
        }
    }
}
