package org.xmppcm.cm;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/** Settings from a properties file, each key overridable by an {@code XMPPCM_*} environment variable. */
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
        Function<String, String> get = key -> {
            String fromEnv = env.get("XMPPCM_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
            return fromEnv != null ? fromEnv : properties.getProperty(key);
        };
        String clientHost = orDefault(get.apply("client.address"), "0.0.0.0");
        int clientPort = clientPortOverride >= 0 ? clientPortOverride
                : Integer.parseInt(orDefault(get.apply("client.port"), "" + CmSettings.DEFAULT_CLIENT_PORT));
        String serverHost = orDefault(get.apply("server.host"), "127.0.0.1");
        int serverPort = Integer.parseInt(orDefault(get.apply("server.port"), "" + CmSettings.DEFAULT_SERVER_PORT));
        return new CmSettings(new InetSocketAddress(clientHost, clientPort),
                new InetSocketAddress(serverHost, serverPort),
                get.apply("manager.name"), get.apply("manager.secret"), get.apply("xmpp.domain"),
                Integer.parseInt(orDefault(get.apply("stanza.max.bytes"), "" + CmSettings.DEFAULT_MAX_STANZA_BYTES)));
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
