package org.xmppcm.cm;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Command line entry point. {@code --demo} starts an embedded demo server too, so a newcomer can
 * connect a real XMPP client at once; otherwise settings come from a properties file and
 * {@code XMPPCM_*} environment variables (an environment variable wins over the file).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(List.of(args), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Deque<String> queue = new ArrayDeque<>(args);
        boolean demo = false;
        Path config = null;
        int clientPort = -1;
        while (!queue.isEmpty()) {
            String arg = queue.poll();
            switch (arg) {
                case "--help", "-h" -> {
                    out.println(usage());
                    return 0;
                }
                case "--version" -> {
                    out.println("connection-manager " + version());
                    return 0;
                }
                case "--demo" -> demo = true;
                case "--config" -> config = Path.of(require(queue, arg));
                case "--client-port" -> clientPort = Integer.parseInt(require(queue, arg));
                default -> {
                    err.println("unknown option: " + arg);
                    err.println(usage());
                    return 2;
                }
            }
        }
        Runnable stop;
        if (demo) {
            DemoMode demoMode = DemoMode.start(clientPort < 0 ? CmSettings.DEFAULT_CLIENT_PORT : clientPort);
            out.println(demoMode.banner());
            stop = demoMode::stop;
        } else {
            CmSettings settings = SettingsLoader.load(config, System.getenv(), clientPort);
            ConnectionManager cm = new ConnectionManager(settings);
            cm.start();
            stop = cm::stop;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "cm-shutdown"));
        stopped.await();
        return 0;
    }

    private static String require(Deque<String> queue, String option) {
        String value = queue.poll();
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    static String usage() {
        return String.join(System.lineSeparator(),
                "usage: connection-manager [--demo] [--config FILE] [--client-port N] [--help] [--version]",
                "  --demo           start an embedded DEMO server (domain localhost, users alice/alice, bob/bob)",
                "                   and accept clients on localhost:5222; for trying it out, never for production",
                "  --config FILE    settings file (default: conf/connection-manager.properties)",
                "  --client-port N  override the client port",
                "Settings (file keys; environment variables XMPPCM_<KEY upper-cased, dots as _> override them):",
                "  server.host, server.port (5262), manager.name, manager.secret, xmpp.domain,",
                "  client.address (0.0.0.0), client.port (5222), stanza.max.bytes (262144)");
    }

    static String version() {
        Properties properties = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/org/xmppcm/cm/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}
