package org.xmppcm.cm;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line entry point. {@code --demo} starts an embedded demo server too, so a newcomer can
 * connect a real XMPP client at once; otherwise settings come from a properties file and
 * {@code XMPPCM_*} environment variables (an environment variable wins over the file).
 *
 * <p>Exit statuses: 0 after a clean stop (or {@code --help}/{@code --version}), 1 when it cannot
 * start (or its stop failed), 2 for a bad command line, 3 when a graceful stop overran {@code shutdown.timeout.seconds},
 * 128+N when a second signal N forced the exit.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_STOP_TIMED_OUT = 3;

    static final String SHUTDOWN_TIMEOUT_KEY = "shutdown.timeout.seconds";
    static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    static final Path DEFAULT_CONFIG = Path.of("conf", "connection-manager.properties");

    private Main() {
    }

    public static void main(String[] args) {
        // Always exit explicitly: MINA's I/O threads are not daemons, and the status must be ours.
        System.exit(run(List.of(args), System.out, System.err, System.getenv(), Runtime.getRuntime()::halt));
    }

    /** The parsed command line. */
    private record Options(boolean demo, Path config, int clientPort) {
    }

    static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> env, IntConsumer halt) {
        Deque<String> queue = new ArrayDeque<>(args);
        boolean demo = false;
        Path config = null;
        int clientPort = -1;
        try {
            while (!queue.isEmpty()) {
                String arg = queue.poll();
                switch (arg) {
                    case "--help", "-h" -> {
                        out.println(usage());
                        return EXIT_OK;
                    }
                    case "--version" -> {
                        out.println("connection-manager " + version());
                        return EXIT_OK;
                    }
                    case "--demo" -> demo = true;
                    case "--config" -> config = Path.of(require(queue, arg));
                    case "--client-port" -> clientPort = port(require(queue, arg), arg);
                    default -> throw new IllegalArgumentException("unknown option: " + arg);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(usage());
            return EXIT_USAGE;
        }
        return serve(new Options(demo, config, clientPort), out, env, halt);
    }

    /** Starts, waits for a stop request, stops. The logger is only made here so --help stays quiet. */
    private static int serve(Options options, PrintStream out, Map<String, String> env, IntConsumer halt) {
        Logger log = LoggerFactory.getLogger(Main.class);
        Duration timeout;
        try {
            timeout = shutdownTimeout(options.config(), !options.demo(), env);
        } catch (IOException | IllegalArgumentException e) {
            log.error("Cannot start: {}", e.getMessage());
            return EXIT_FAILURE;
        }
        Shutdown shutdown = new Shutdown(timeout, halt, log);
        shutdown.install();
        Runnable stop;
        try {
            stop = start(options, out, env);
        } catch (Exception e) {
            // One line for the operator; the stack trace only when org.xmppcm.cm.Main logs at debug.
            log.error("Cannot start: {}", describe(e));
            log.debug("Startup failure", e);
            shutdown.finished();
            return EXIT_FAILURE;
        }
        try {
            shutdown.awaitStopRequest();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            stop.run();
            return EXIT_OK;
        } catch (RuntimeException e) {
            log.error("Stop failed: {}", describe(e), e);
            return EXIT_FAILURE;
        } finally {
            shutdown.finished();
        }
    }

    private static Runnable start(Options options, PrintStream out, Map<String, String> env) throws IOException {
        if (options.demo()) {
            int port = options.clientPort() < 0 ? CmSettings.DEFAULT_CLIENT_PORT : options.clientPort();
            DemoMode demoMode = DemoMode.startWithStartTls(port);
            out.println(demoMode.banner());
            return demoMode::stop;
        }
        CmSettings settings;
        try {
            settings = SettingsLoader.load(options.config(), env, options.clientPort());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a numeric setting is not a number (" + e.getMessage() + "); check "
                    + configName(options.config()) + " and XMPPCM_* environment variables", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(withKeyNames(e.getMessage()) + " (check " + configName(options.config())
                    + " and XMPPCM_* environment variables)", e);
        }
        ConnectionManager cm = new ConnectionManager(settings);
        try {
            cm.start();
        } catch (IOException | RuntimeException e) {
            stopAfterFailedStart(cm);
            throw e;
        }
        return cm::stop;
    }

    /** The link may be up when only the client port failed: close it properly rather than drop it. */
    private static void stopAfterFailedStart(ConnectionManager cm) {
        try {
            cm.stop();
        } catch (RuntimeException ignored) {
            // Best effort: the process exits next anyway.
        }
    }

    private static String configName(Path config) {
        return (config != null ? config : DEFAULT_CONFIG).toString();
    }

    /**
     * The message chain without wrapper noise or repeats, e.g. "Error while binding on
     * /0.0.0.0:5222: Address already in use".
     */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < 10; t = t.getCause()) {
            if (t instanceof ExecutionException || t instanceof CompletionException
                    || t instanceof InvocationTargetException) {
                continue;
            }
            String message = t.getMessage();
            if (message != null && !message.isBlank() && !text.toString().contains(message)) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.length() == 0 ? e.getClass().getSimpleName() : text.toString();
    }

    /** CmSettings names its fields; operators know the keys. */
    private static String withKeyNames(String message) {
        return message == null ? "invalid settings" : message
                .replace("managerName", "manager.name")
                .replace("xmppDomain", "xmpp.domain")
                .replaceFirst("^secret ", "manager.secret ")
                .replace("maxStanzaBytes", "stanza.max.bytes");
    }

    /**
     * {@value #SHUTDOWN_TIMEOUT_KEY}: read here rather than in {@link SettingsLoader} because it
     * concerns the process, not the CM, and applies to {@code --demo} too; same file and
     * {@code XMPPCM_*} override rules.
     */
    static Duration shutdownTimeout(Path config, boolean useDefaultFile, Map<String, String> env) throws IOException {
        String value = env.get("XMPPCM_" + SHUTDOWN_TIMEOUT_KEY.toUpperCase(Locale.ROOT).replace('.', '_'));
        if (value == null) {
            Path file = config != null ? config : useDefaultFile ? DEFAULT_CONFIG : null;
            if (file != null && Files.exists(file)) {
                Properties properties = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
                value = properties.getProperty(SHUTDOWN_TIMEOUT_KEY);
            }
        }
        if (value == null || value.isBlank()) {
            return DEFAULT_SHUTDOWN_TIMEOUT;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 1) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException(SHUTDOWN_TIMEOUT_KEY + " must be a whole number of seconds >= 1: " + value);
    }

    private static String require(Deque<String> queue, String option) {
        String value = queue.poll();
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int port(String value, String option) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException(option + " needs a port number (0-65535), not " + value);
    }

    static String usage() {
        return String.join(System.lineSeparator(),
                "usage: connection-manager [--demo] [--config FILE] [--client-port N] [--help] [--version]",
                "  --demo           start an embedded DEMO server (domain localhost, users alice/alice, bob/bob)",
                "                   and accept clients on localhost:5222; for trying it out, never for production",
                "  --config FILE    settings file (default: conf/connection-manager.properties)",
                "  --client-port N  override the client port",
                "  --help           show this help",
                "  --version        print the version",
                "Settings: every key is documented in conf/connection-manager.properties; an environment",
                "variable XMPPCM_<KEY upper-cased, dots as _> overrides the file (e.g. XMPPCM_MANAGER_SECRET).",
                "Required: manager.name, manager.secret, xmpp.domain; usually server.host too.",
                "SIGTERM or SIGINT stops gracefully (clients get system-shutdown); a second one, or a stop",
                "longer than shutdown.timeout.seconds, forces the exit.");
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

    /**
     * Turns stop requests into one graceful stop that is bounded in time: the first SIGTERM/SIGINT
     * (or JVM shutdown) requests the stop and arms a watchdog; a second signal, or the watchdog
     * firing, halts the JVM with a non-zero status.
     *
     * <p>Why {@code sun.misc.Signal} and not only a shutdown hook: once shutdown hooks run, the JVM
     * ignores further SIGTERM/SIGINT, so "press Ctrl-C again to force" is impossible, and the exit
     * status is fixed at 128+signal, while operators (and systemd) expect 0 after a clean stop. The
     * API lives in the {@code jdk.unsupported} module, which the JDK keeps for exactly this use; it
     * is called reflectively so the build has no proprietary-API warnings and a runtime without
     * that module falls back to the shutdown hook alone. The hook stays as that fallback and for
     * other exits (SIGHUP, {@code System.exit}).
     *
     * <p>Public only so tests in other packages can drive it with a fake {@code halt}.
     */
    public static final class Shutdown {
        private final Duration timeout;
        private final IntConsumer halt;
        private final Logger log;
        private final AtomicInteger signals = new AtomicInteger();
        private final AtomicBoolean requested = new AtomicBoolean();
        private final CountDownLatch stopRequested = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);

        public Shutdown(Duration timeout, IntConsumer halt, Logger log) {
            this.timeout = timeout;
            this.halt = halt;
            this.log = log;
        }

        /** Traps SIGTERM and SIGINT and adds the fallback shutdown hook. */
        void install() {
            for (String name : List.of("TERM", "INT")) {
                if (!trap(name, number -> signal("SIG" + name, number))) {
                    log.debug("Cannot trap SIG{}; relying on the JVM shutdown hook", name);
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                requestStop("JVM shutdown");
                try {
                    finished.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "cm-shutdown-hook"));
        }

        /** A signal arrived: the first requests a graceful stop, the next forces the exit. */
        public void signal(String name, int number) {
            if (signals.incrementAndGet() == 1) {
                requestStop("Received " + name);
            } else if (finished.getCount() > 0) {
                log.error("Received {} again while stopping: forcing exit", name);
                halt.accept(128 + number);
            }
        }

        /** Releases {@link #awaitStopRequest()} once and arms the watchdog; no-op when already done. */
        public void requestStop(String why) {
            if (finished.getCount() == 0 || !requested.compareAndSet(false, true)) {
                return;
            }
            log.info("{}: stopping gracefully (forced after {} s or on a second signal)", why,
                    timeout.toSeconds());
            Thread watchdog = new Thread(() -> {
                try {
                    if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        log.error("Graceful stop did not finish within {} s ({}): forcing exit",
                                timeout.toSeconds(), SHUTDOWN_TIMEOUT_KEY);
                        halt.accept(EXIT_STOP_TIMED_OUT);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "cm-shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            stopRequested.countDown();
        }

        public void awaitStopRequest() throws InterruptedException {
            stopRequested.await();
        }

        /** The process is done with stopping (or never started): disarms the watchdog and signals. */
        public void finished() {
            finished.countDown();
        }

        /** Installs {@code handler} (given the signal number) via sun.misc.Signal; false if impossible. */
        static boolean trap(String name, IntConsumer handler) {
            try {
                Class<?> signalClass = Class.forName("sun.misc.Signal");
                Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                int number = (Integer) signalClass.getMethod("getNumber").invoke(signal);
                Object proxy = Proxy.newProxyInstance(Main.class.getClassLoader(), new Class<?>[] {handlerClass},
                        (self, method, args) -> switch (method.getName()) {
                            case "handle" -> {
                                handler.accept(number);
                                yield null;
                            }
                            case "hashCode" -> System.identityHashCode(self);
                            case "equals" -> self == args[0];
                            default -> "cm-signal-handler(SIG" + name + ")";
                        });
                signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
                return true;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // Absent module, or the signal is reserved (-Xrs): the shutdown hook still stops gracefully.
                return false;
            }
        }
    }
}
