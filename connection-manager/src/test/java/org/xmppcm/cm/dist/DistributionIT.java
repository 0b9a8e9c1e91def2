package org.xmppcm.cm.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the built connection-manager-VERSION.tar.gz and runs bin/connection-manager as an
 * operator would: version and help, demo mode with a graceful SIGTERM, forced exits, startup
 * failure, and the Java version check. (A server that cannot be reached is not tried here: the CM
 * keeps retrying for 30 s before it gives up.)
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class DistributionIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final String VERSION = System.getProperty("cm.version");
    /** Small, quick-starting JVMs: these tests measure behaviour, not throughput. */
    private static final String QUICK_JVM = "-Xmx256m -XX:TieredStopAtLevel=1";

    @TempDir
    static Path unpacked;
    static Path home;

    private final List<Launched> launched = new ArrayList<>();

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("cm.dist.archive"));
        assertThat(archive).exists();
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes())).isZero();
        home = unpacked.resolve("connection-manager-" + VERSION);
        assertThat(home.resolve("bin/connection-manager")).isExecutable();
        assertThat(home.resolve("conf/connection-manager.properties")).isRegularFile();
        assertThat(home.resolve("conf/log4j2.xml")).isRegularFile();
        assertThat(home.resolve("systemd/connection-manager.service")).isRegularFile();
        assertThat(home.resolve("README.txt")).content().contains(VERSION);
        assertThat(home.resolve("logs")).isDirectory();
        try (var jars = Files.list(home.resolve("lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("connection-manager-"))
                    .anyMatch(n -> n.startsWith("mina-core-"))
                    .anyMatch(n -> n.startsWith("log4j-core-"));
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Launched l : launched) {
            l.process.destroyForcibly();
        }
    }

    @Test
    void printsVersionHelpAndRejectsUnknownOptions() throws Exception {
        Launched version = launch(Map.of(), "--version");
        assertThat(version.awaitExit(START)).isZero();
        assertThat(version.output()).contains("connection-manager " + VERSION);

        Launched help = launch(Map.of(), "--help");
        assertThat(help.awaitExit(START)).isZero();
        assertThat(help.output()).contains("--demo").contains("--config");

        Launched bad = launch(Map.of(), "--bogus");
        assertThat(bad.awaitExit(START)).isEqualTo(2);
        assertThat(bad.output()).contains("unknown option: --bogus").contains("usage:");
    }

    @Test
    void demoStopsGracefullyOnSigterm() throws Exception {
        int port = freePort();
        Launched cm = launch(Map.of(), "--demo", "--client-port", "" + port);
        try (Socket client = connectWhenListening(port, cm)) {
            OutputStream out = openClientStream(client);
            out.flush();
            StringBuilder received = new StringBuilder();
            readUntil(client, received, Pattern.compile("<stream:stream[^>]*from=['\"]localhost['\"]"));

            cm.terminate();
            readUntil(client, received, null);
            assertThat(received.toString()).contains("<system-shutdown");
        }
        assertThat(cm.awaitExit(Duration.ofSeconds(10))).as(cm.output()).isZero();
        assertThat(cm.output()).contains("Received SIGTERM: stopping gracefully");
        // conf/log4j2.xml's rolling file, under the installation's logs/.
        assertThat(home.resolve("logs/connection-manager.log")).content()
                .contains("Accepting clients on /127.0.0.1:" + port).contains("stopping gracefully");
    }

    @Test
    void theDemoOffersStartTlsWithTheCertificateItsBannerNames() throws Exception {
        int port = freePort();
        Launched cm = launch(Map.of(), "--demo", "--client-port", "" + port);
        try (Socket client = connectWhenListening(port, cm)) {
            OutputStream out = openClientStream(client);
            StringBuilder received = new StringBuilder();
            readUntil(client, received, Pattern.compile("</stream:features>"));
            assertThat(received.toString()).contains("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'")
                    .contains("SCRAM-SHA-1");
            out.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.UTF_8));
            readUntil(client, received, Pattern.compile("<proceed"));

            // The user "accepts" the certificate: trust whatever is presented, then compare it with the banner.
            javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
            java.security.cert.X509Certificate[][] presented = new java.security.cert.X509Certificate[1][];
            trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                    presented[0] = chain;
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) trustAll.getSocketFactory()
                    .createSocket(client, "localhost", port, false)) {
                tls.startHandshake();
                String fingerprint = java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(presented[0][0].getEncoded()));
                assertThat(cm.output()).contains("STARTTLS offered").contains("SHA-256 " + fingerprint);
                assertThat(presented[0][0].getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
            }
        }
    }

    @Test
    void aStopOverrunningTheTimeoutIsForced() throws Exception {
        int port = freePort();
        Launched cm = launch(stalling(Map.of("XMPPCM_SHUTDOWN_TIMEOUT_SECONDS", "1")),
                "--demo", "--client-port", "" + port);
        connectWhenListening(port, cm).close();
        cm.terminate();
        assertThat(cm.awaitExit(Duration.ofSeconds(6))).as(cm.output()).isEqualTo(3);
        assertThat(cm.output()).contains("Graceful stop did not finish within 1 s");
    }

    @Test
    void aSecondSigtermForcesTheExit() throws Exception {
        int port = freePort();
        Launched cm = launch(stalling(Map.of("XMPPCM_SHUTDOWN_TIMEOUT_SECONDS", "60")),
                "--demo", "--client-port", "" + port);
        connectWhenListening(port, cm).close();
        cm.terminate();
        cm.awaitOutput("stopping gracefully", Duration.ofSeconds(5));
        cm.terminate();
        assertThat(cm.awaitExit(Duration.ofSeconds(5))).as(cm.output()).isEqualTo(128 + 15);
        assertThat(cm.output()).contains("Received SIGTERM again while stopping: forcing exit");
    }

    @Test
    void aPortInUseIsOneLogLineAndStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Launched cm = launch(Map.of(), "--demo", "--client-port", "" + taken.getLocalPort());
            assertThat(cm.awaitExit(START)).as(cm.output()).isEqualTo(1);
            assertThat(cm.output()).contains("Cannot start: ").contains("" + taken.getLocalPort())
                    .contains("--client-port").doesNotContain("\tat ");
            // No teardown noise before the one line that matters (the demo server's own notice aside).
            assertThat(cm.output().lines().filter(line -> line.contains(" WARN ") && !line.contains("DemoHost")))
                    .as(cm.output()).isEmpty();
            assertThat(cm.output().lines().filter(line -> line.contains("ERROR"))).as(cm.output()).hasSize(1);
        }
    }

    @Test
    void refusesAJavaOlderThan17() throws Exception {
        Path fakeJavaHome = unpacked.resolve("old-java");
        Files.createDirectories(fakeJavaHome.resolve("bin"));
        Path java = fakeJavaHome.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Launched cm = launch(Map.of("JAVA_HOME", fakeJavaHome.toString()), "--version");
        assertThat(cm.awaitExit(START)).isEqualTo(1);
        assertThat(cm.output()).contains("needs Java 17 or later").contains("11.0.21");
    }

    /**
     * Env that makes the graceful stop hang (see {@link StallingMessageFactory}): the factory goes
     * into a jar in this test's copy of lib/, and the JVM is told to use it.
     */
    private static Map<String, String> stalling(Map<String, String> env) throws IOException {
        Path jar = home.resolve("lib/zz-test-stalling.jar");
        if (!Files.exists(jar)) {
            String entry = StallingMessageFactory.class.getName().replace('.', '/') + ".class";
            try (InputStream in = StallingMessageFactory.class.getClassLoader().getResourceAsStream(entry);
                 JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new JarEntry(entry));
                in.transferTo(out);
                out.closeEntry();
            }
        }
        Map<String, String> result = new HashMap<>(env);
        result.put("XMPPCM_JAVA_OPTS", QUICK_JVM + " -Dlog4j2.messageFactory=" + StallingMessageFactory.class.getName());
        return result;
    }

    private Launched launch(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/connection-manager").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("XMPPCM_") || k.equals("JAVA_OPTS"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("XMPPCM_JAVA_OPTS", QUICK_JVM);
        builder.environment().putAll(env);
        Launched l = new Launched(builder.start());
        launched.add(l);
        return l;
    }

    private static Socket connectWhenListening(int port, Launched cm) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout(10_000);
                return socket;
            } catch (IOException e) {
                if (!cm.process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("CM not listening on " + port + ":\n" + cm.output(), e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Reads into {@code into} until it matches {@code until}, or until the socket closes when null. */
    private static void readUntil(Socket socket, StringBuilder into, Pattern until) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (until == null || !until.matcher(into).find()) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("timed out; read so far: " + into, e);
            } catch (IOException e) {
                n = -1; // a reset after the close counts as the end
            }
            if (n < 0) {
                assertThat(until).as("socket closed before %s; read: %s", until, into).isNull();
                return;
            }
            into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
    }

    /** Opens a client stream to the demo's domain; returns the socket's output for what follows. */
    private static OutputStream openClientStream(Socket client) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(("<?xml version='1.0'?><stream:stream to='localhost' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>").getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A launched bin/connection-manager with its merged stdout/stderr collected. */
    private static final class Launched {
        final Process process;
        private final StringBuffer output = new StringBuffer();

        Launched(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        output.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // The process is gone.
                }
            }, "cm-output");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * SIGTERM, as systemd sends it. Not Process.destroy(): that also closes our end of the
         * output pipe, and the lines logged while stopping would be lost.
         */
        void terminate() {
            assertThat(process.toHandle().destroy()).isTrue();
        }

        String output() {
            return output.toString();
        }

        int awaitExit(Duration within) throws InterruptedException {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + within + ":\n" + output());
            }
            Thread.sleep(100); // let the reader drain the last lines
            return process.exitValue();
        }

        void awaitOutput(String text, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (!output().contains(text)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no '" + text + "' within " + within + ":\n" + output());
                }
                Thread.sleep(20);
            }
        }
    }
}
