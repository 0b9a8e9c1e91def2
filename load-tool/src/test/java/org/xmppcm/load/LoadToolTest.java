package org.xmppcm.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole tool at toy size: a server and a CM child process, 20 clients, 3 seconds of
 * pingpong. Proves the plumbing (processes, login, traffic, latency, heap probe, outputs), not
 * any performance figure.
 */
class LoadToolTest {
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @SuppressWarnings("unchecked")
    void tinyPingpongRunHoldsEveryClientAndWritesItsResults(@TempDir Path dir) throws Exception {
        Options options = Options.parse("--clients", "20", "--users", "10", "--ramp", "200", "--pattern", "pingpong",
                "--rates", "400", "--duration", "3", "--idle-seconds", "1", "--warmup", "1", "--max-seconds", "60",
                "--cm-jvm", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                "--server-jvm", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                "--out", dir.toString(), "--label", "unit-test");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Map<String, Object> result = LoadTool.run(options, new PrintStream(console, true, StandardCharsets.UTF_8));

        String output = console.toString(StandardCharsets.UTF_8);
        assertThat(result.get("ok")).as(output).isEqualTo(true);
        Map<String, Object> phase = ((List<Map<String, Object>>) result.get("phases")).get(0);
        Map<String, Object> clients = (Map<String, Object>) phase.get("clients");
        assertThat(clients.get("held_after_idle")).isEqualTo(20);
        assertThat(clients.get("held_at_end")).isEqualTo(20);
        Map<String, Object> traffic = ((List<Map<String, Object>>) phase.get("steps")).stream()
                .filter(s -> "traffic".equals(s.get("kind"))).findFirst().orElseThrow();
        assertThat((Long) traffic.get("delivered")).isGreaterThan(100);
        assertThat((Long) traffic.get("undelivered")).isZero();
        Map<String, Object> latency = (Map<String, Object>) traffic.get("latency_ms");
        assertThat((Long) latency.get("count")).isGreaterThan(50);
        assertThat((Double) latency.get("p99")).isPositive();
        Map<String, Object> memory = (Map<String, Object>) phase.get("idle_memory");
        assertThat((Long) memory.get("heap_after_gc_n")).isPositive();

        String json = Files.readString(dir.resolve("result.json"));
        assertThat(json).contains("\"held_after_idle\": 20").contains("\"p99.9\"");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<svg").doesNotContain("<script");
        assertThat(output).contains("OK: every phase held all clients");
    }
}
