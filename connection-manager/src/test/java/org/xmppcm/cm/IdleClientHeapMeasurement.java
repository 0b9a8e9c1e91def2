package org.xmppcm.cm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.xmppcm.cm.tls.ClientSecurity;

/**
 * Measures the connection manager's heap per idle, logged-in client: plain, zlib, TLS and
 * TLS+zlib. Not a CI test (minutes of CPU, numbers to read, not to assert); run it with
 * {@code mvn -o -q test -pl connection-manager -Dtest=IdleClientHeapMeasurement -Dmeasure=true
 * -DargLine="-Xms768m -Xmx768m -XX:+AlwaysPreTouch" [-Dmeasure.clients=2000]} and read
 * target/surefire-reports/*IdleClientHeapMeasurement-output.txt.
 *
 * <p>Method: the demo server and the clients run in a second JVM ({@link IdleClientLoad}), so
 * this JVM holds the CM alone. For each mode: full GC, heap used; N clients connect, (STARTTLS,)
 * authenticate, (compress,) bind, then sit silent; full GC, heap used; the difference over N is
 * the cost per client; the clients close and the next mode starts from a fresh baseline. A
 * class histogram diff shows where the bytes are.
 */
@EnabledIfSystemProperty(named = "measure", matches = "true")
@Timeout(value = 10, unit = TimeUnit.MINUTES) // four modes of thousands of clients: past the suite's 120 s default
class IdleClientHeapMeasurement {
    private static final List<String> MODES = List.of("plain", "zlib", "tls", "tls+zlib");

    @Test
    void heapPerIdleClient() throws Exception {
        int n = Integer.getInteger("measure.clients", 2000);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                IdleClientLoad.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter toChild = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
        int serverPort = Integer.parseInt(expect(fromChild, "SERVER").split(" ")[1]);
        CmSettings settings = new CmSettings(new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", serverPort), DemoMode.MANAGER, DemoMode.SECRET, DemoMode.DOMAIN,
                CmSettings.DEFAULT_MAX_STANZA_BYTES)
                .withClientSecurity(ClientSecurity.keystore(TestCertificates.file("localhost.p12"), "PKCS12",
                        TestCertificates.PASSWORD));
        ConnectionManager cm = new ConnectionManager(settings);
        cm.start();
        Map<String, Long> perClient = new LinkedHashMap<>();
        try {
            for (String mode : MODES) {
                long before = usedAfterGc();
                long rssBefore = residentBytes();
                Map<String, long[]> histogramBefore = histogram();
                toChild.println("CLIENTS " + mode + " " + n + " " + cm.clientPort());
                expect(fromChild, "READY");
                await(() -> cm.clientCount() == n);
                Thread.sleep(2000);
                long after = usedAfterGc();
                long rssAfter = residentBytes();
                perClient.put(mode, (after - before) / n);
                System.out.printf("%-9s %d clients: heap %,d -> %,d bytes: %,d bytes per client;"
                                + " resident set %,d bytes per client%n", mode, n, before, after, (after - before) / n,
                        (rssAfter - rssBefore) / n);
                printDiff(histogramBefore, histogram(), n);
                toChild.println("CLOSE");
                expect(fromChild, "CLOSED");
                await(() -> cm.clientCount() == 0);
            }
        } finally {
            toChild.println("EXIT");
            child.waitFor(30, TimeUnit.SECONDS);
            child.destroy();
            cm.stop();
        }
        System.out.println("SUMMARY heap per idle client (bytes): " + perClient);
    }

    private static String expect(BufferedReader in, String prefix) throws Exception {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
            System.out.println("child: " + line);
        }
        throw new AssertionError("the client process ended before " + prefix);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * The process's resident memory (Linux), or 0. With a fixed, pre-touched heap
     * ({@code -DargLine="-Xms768m -Xmx768m -XX:+AlwaysPreTouch"}) its growth is the native memory
     * the clients cost: zlib's inflate state and window, socket buffers are the kernel's.
     */
    private static long residentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // Not Linux: heap only.
        }
        return 0;
    }

    /** Class name to {instances, bytes}, live objects only (the histogram runs a full GC). */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return classes;
    }

    private static void printDiff(Map<String, long[]> before, Map<String, long[]> after, int n) {
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                        e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                .filter(e -> e.getValue()[1] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(30)
                .forEach(e -> System.out.printf("    %,10d bytes/client %8.2f objects/client  %s%n",
                        e.getValue()[1] / n, (double) e.getValue()[0] / n, e.getKey()));
    }
}
