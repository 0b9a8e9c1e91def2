package org.xmppcm.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human summary of a result, for stdout and summary.txt. */
final class Summary {
    private Summary() {
    }

    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> result) {
        StringBuilder s = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) result.get("machine");
        s.append("\n=== load-tool result ").append(result.get("label")).append(" — ").append(machine.get("cores"))
                .append(" cores, load at start ").append(machine.get("load_average_at_start")).append('\n');
        for (Object warning : (List<?>) result.getOrDefault("warnings", List.of())) {
            s.append("WARNING: ").append(warning).append('\n');
        }
        for (Map<String, Object> phase : (List<Map<String, Object>>) result.get("phases")) {
            s.append("\n--- ").append(phase.get("target")).append(" (pid ").append(phase.get("pid")).append(")\n");
            if (phase.get("error") != null) {
                s.append("ERROR: ").append(phase.get("error")).append('\n');
            }
            Map<String, Object> c = (Map<String, Object>) phase.get("clients");
            s.append(String.format(Locale.ROOT, "clients: %s requested, %s logged in, %s held after idle, %s at end, %s lost%n",
                    c.get("requested"), c.get("logged_in"), c.get("held_after_idle"), c.get("held_at_end"), c.get("lost")));
            if (!((Map<?, ?>) c.get("failures")).isEmpty()) {
                s.append("failures: ").append(c.get("failures")).append("; first: ").append(c.get("first_failure")).append('\n');
            }
            if (!"off".equals(phase.getOrDefault("tls", "off")) || !"off".equals(phase.getOrDefault("zlib", "off"))) {
                s.append("tls: ").append(phase.get("tls")).append("; zlib: ").append(phase.get("zlib")).append('\n');
            }
            Map<String, Object> cmMetrics = (Map<String, Object>) phase.get("cm_metrics_at_idle");
            if (cmMetrics != null && cmMetrics.get("xmppcm_clients_connected") != null) {
                s.append("the CM's own count at idle: xmppcm_clients_connected ")
                        .append(fmt(cmMetrics.get("xmppcm_clients_connected"))).append('\n');
            }
            Map<String, Object> logins = (Map<String, Object>) phase.get("logins");
            if (logins != null) {
                s.append(String.format(Locale.ROOT,
                        "logins: %.0f/s over %.1f s (peak %.0f/s), login latency p50/p99/p99.9 %s ms;%n"
                                + "        CPU ms per 1k logins: %s %s, server %s, generator %s%n",
                        num(logins.get("per_second")), num(logins.get("seconds")), num(logins.get("peak_per_second")),
                        LoadTool.latencyLine((Map<?, ?>) logins.get("latency_ms")), phase.get("target"),
                        fmt(logins.get("measured_cpu_ms_per_1k_logins")), fmt(logins.get("server_cpu_ms_per_1k_logins")),
                        fmt(logins.get("generator_cpu_ms_per_1k_logins"))));
            }
            Map<String, Object> m = (Map<String, Object>) phase.get("idle_memory");
            if (m != null) {
                s.append(String.format(Locale.ROOT,
                        "idle memory: heap after full GC %s -> %s MB = %s bytes/client; RSS %s -> %s MB = %s bytes/client%n",
                        LoadTool.mb(asLong(m.get("heap_after_gc_0"))), LoadTool.mb(asLong(m.get("heap_after_gc_n"))),
                        fmt(m.get("heap_per_client_bytes")), LoadTool.mb(asLong(m.get("rss_0"))),
                        LoadTool.mb(asLong(m.get("rss_n"))), fmt(m.get("rss_per_client_bytes"))));
            }
            List<Map<String, Object>> steps = (List<Map<String, Object>>) phase.getOrDefault("steps", List.of());
            boolean header = false;
            for (Map<String, Object> step : steps) {
                if (!"traffic".equals(step.get("kind"))) {
                    continue;
                }
                if (!header) {
                    s.append(String.format(Locale.ROOT, "%-22s %10s %12s %8s %24s %24s %26s %12s%n", "step", "sent/s",
                            "delivered/s", "skipped", "latency p50/p99/p99.9 ms", "round trip p50/p99/p99.9",
                            "CPU% measured/srv/gen/all", "us CPU/stz"));
                    header = true;
                }
                Map<String, Object> cpu = (Map<String, Object>) step.get("cpu_percent");
                s.append(String.format(Locale.ROOT, "%-22s %10.0f %12.0f %8s %24s %24s %26s %12s%n", step.get("name"),
                        num(step.get("sent_per_s")), num(step.get("delivered_per_s")), step.get("skipped"),
                        LoadTool.latencyLine((Map<?, ?>) step.get("latency_ms")),
                        LoadTool.latencyLine((Map<?, ?>) step.get("round_trip_ms")),
                        String.format(Locale.ROOT, "%.0f/%.0f/%.0f/%.0f", num(cpu.get("measured")), num(cpu.get("server")),
                                num(cpu.get("generator")), num(cpu.get("machine"))),
                        fmt(step.get("measured_cpu_us_per_stanza"))));
            }
        }
        Map<String, Object> cmp = (Map<String, Object>) result.get("comparison");
        if (cmp != null) {
            s.append("\n--- CM / relay\n");
            s.append(String.format(Locale.ROOT, "heap per client %s, RSS per client %s, CPU per login %s, logins/s %s%n",
                    fmt(cmp.get("heap_per_client")), fmt(cmp.get("rss_per_client")), fmt(cmp.get("cpu_per_login")),
                    fmt(cmp.get("logins_per_s"))));
            for (Map<String, Object> step : (List<Map<String, Object>>) cmp.get("steps")) {
                s.append(String.format(Locale.ROOT, "%-22s delivered/s %s, stanzas per CPU-second %s, p99 latency %s%n",
                        step.get("name"), fmt(step.get("delivered_per_s")), fmt(step.get("stanzas_per_measured_cpu_second")),
                        fmt(step.get("p99_latency"))));
            }
            s.append("efficiency (CM stanzas per CPU-second / relay's): ")
                    .append(fmt(cmp.get("efficiency_cm_rate_over_relay_rate"))).append('\n');
        }
        s.append("\ncaveats:\n");
        for (Object caveat : (List<?>) result.get("caveats")) {
            s.append(" - ").append(caveat).append('\n');
        }
        s.append(Boolean.TRUE.equals(result.get("ok")) ? "OK: every phase held all clients\n"
                : "NOT OK: some phase did not hold all clients (see failures)\n");
        return s.toString();
    }

    static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static Long asLong(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    static String fmt(Object o) {
        if (!(o instanceof Number n)) {
            return "-";
        }
        double v = n.doubleValue();
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
