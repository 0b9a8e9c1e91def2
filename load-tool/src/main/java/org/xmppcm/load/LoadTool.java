package org.xmppcm.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The load run: starts the server and the CM (or the relay) as child processes, drives the
 * generator through ramp, idle hold and traffic steps, samples everything once a second, and
 * writes {@code result.json}, {@code report.html} and a summary. Every phase and the whole run
 * are bounded in time; children are killed whatever way the run ends.
 */
public final class LoadTool {
    static final String CM_NAME = "load-cm";

    private LoadTool() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile",
                    String.valueOf(LoadTool.class.getResource("log4j2-quiet.xml")));
        }
        Options options;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                System.out.println(Options.usage());
                return;
            }
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        startWatchdog(options.maxSeconds);
        Map<String, Object> result = run(options, System.out);
        System.exit(Boolean.TRUE.equals(result.get("ok")) ? 0 : 1);
    }

    /** Exits (children are killed by their reaper hook) when the run overstays; halts if even that hangs. */
    private static void startWatchdog(int maxSeconds) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("load-tool: --max-seconds " + maxSeconds + " reached, stopping");
            Thread halter = new Thread(() -> {
                try {
                    Thread.sleep(20_000);
                } catch (InterruptedException e) {
                    return;
                }
                Runtime.getRuntime().halt(4);
            }, "load-halter");
            halter.setDaemon(true);
            halter.start();
            System.exit(3);
        }, "load-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Runs the CM phase and, with {@code --baseline}, the relay phase; writes the outputs under {@code options.out}. */
    static Map<String, Object> run(Options options, PrintStream out) throws Exception {
        Path dir = options.out.toAbsolutePath();
        Files.createDirectories(dir);
        Path quietLog = dir.resolve("log4j2-quiet.xml");
        try (InputStream in = LoadTool.class.getResourceAsStream("log4j2-quiet.xml")) {
            Files.copy(in, quietLog, StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "xmppcm load-tool");
        result.put("label", options.label);
        result.put("started", Instant.now().toString());
        result.put("machine", machine());
        result.put("options", describe(options));
        List<String> warnings = new ArrayList<>();
        long files = openFileLimit();
        if (files > 0 && options.clients + 1000 > files) {
            warnings.add("open-file limit " + files + " < " + (options.clients + 1000)
                    + ": the generator and the CM cannot hold every client (raise ulimit -n, which needs privileges)");
        }
        if (files > 0 && options.baseline && 2L * options.clients + 1000 > files) {
            warnings.add("open-file limit " + files + " < " + (2L * options.clients + 1000)
                    + ": the relay needs two sockets per client and cannot hold them all");
        }
        for (String warning : warnings) {
            log(out, options, "WARNING: " + warning);
        }
        result.put("warnings", warnings);
        List<Map<String, Object>> phases = new ArrayList<>();
        Map<String, Object> cm = phase(options, "cm", dir, quietLog, out);
        phases.add(cm);
        boolean ok = phaseOk(options, cm);
        if (options.baseline) {
            Map<String, Object> relay = phase(options, "relay", dir, quietLog, out);
            phases.add(relay);
            ok &= phaseOk(options, relay);
            result.put("comparison", compare(cm, relay));
        }
        result.put("phases", phases);
        result.put("ok", ok);
        result.put("caveats", caveats(options));
        Files.writeString(dir.resolve("result.json"), Json.write(result));
        Files.writeString(dir.resolve("report.html"), HtmlReport.render(result));
        String summary = Summary.text(result);
        Files.writeString(dir.resolve("summary.txt"), summary);
        out.println(summary);
        out.println("wrote " + dir.resolve("result.json") + ", " + dir.resolve("report.html"));
        return result;
    }

    private static boolean phaseOk(Options options, Map<String, Object> phase) {
        Map<?, ?> clients = (Map<?, ?>) phase.get("clients");
        return phase.get("error") == null && ((Number) clients.get("held_after_idle")).intValue() == options.clients;
    }

    // ---------------------------------------------------------------- one phase

    private static Map<String, Object> phase(Options o, String target, Path dir, Path quietLog, PrintStream out)
            throws Exception {
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("target", target);
        Metrics metrics = new Metrics();
        boolean relay = target.equals("relay");
        List<String> quiet = List.of("-Dlog4j2.configurationFile=" + quietLog);
        List<String> serverArgs = new ArrayList<>(List.of("--users", "" + o.users,
                "--max-sessions", "" + (o.clients + 1000), "--roster", o.roster));
        if (relay) {
            serverArgs.add("--embedded-cm");
        }
        if (o.tls) {
            serverArgs.add("--tls");
        }
        if (o.zlib) {
            serverArgs.add("--zlib");
        }
        log(out, o, target + ": starting server (" + o.users + " accounts)");
        ChildProcess server = ChildProcess.start(target + "-server", concat(split(o.serverJvm), quiet),
                LoadServer.class.getName(), serverArgs, Map.of(), dir, dir.resolve(target + "-server.log"));
        ChildProcess measured = null;
        int metricsPort = -1;
        Generator generator = null;
        Sampler sampler = null;
        try {
            Map<String, String> ready = keyValues(server.await("@@READY", Duration.ofSeconds(600)));
            int port;
            if (relay) {
                List<String> relayArgs = List.of(ByteRelay.class.getName(), ready.get("cm"), relaySources(o));
                measured = ChildProcess.start("relay", concat(split(o.cmJvm), quiet), ChildMain.class.getName(),
                        relayArgs, Map.of(), dir, dir.resolve("relay.log"));
                port = Integer.parseInt(keyValues(measured.await("@@READY", Duration.ofSeconds(60))).get("port"));
            } else {
                port = freePort();
                Path work = Files.createDirectories(dir.resolve("cm-work")); // no conf/ here: settings come from env
                Map<String, String> env = new LinkedHashMap<>();
                env.put("XMPPCM_SERVER_HOST", "127.0.0.1");
                env.put("XMPPCM_SERVER_PORT", ready.get("engine"));
                env.put("XMPPCM_MANAGER_NAME", CM_NAME);
                env.put("XMPPCM_MANAGER_SECRET", LoadServer.SECRET);
                env.put("XMPPCM_XMPP_DOMAIN", LoadServer.DOMAIN);
                env.put("XMPPCM_CLIENT_ADDRESS", "127.0.0.1");
                env.put("XMPPCM_CLIENT_PORT", "" + port);
                // Its own metrics endpoint on a free port: the default one may be taken on a shared machine.
                metricsPort = freePort();
                env.put("XMPPCM_METRICS_PORT", "" + metricsPort);
                for (String kv : o.cmEnv) {
                    int eq = kv.indexOf('=');
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                measured = ChildProcess.start("cm", split(o.cmJvm), ChildMain.class.getName(), List.of(o.cmMain),
                        env, work, dir.resolve("cm.log"));
                awaitPort(port, measured, Duration.ofSeconds(60));
            }
            phase.put("port", port);
            phase.put("pid", measured.pid());
            Thread.sleep(1000); // let start-up work (class loading, JIT) settle before the zero point
            Map<String, Long> zero = measured.agent("gc", Duration.ofSeconds(60));
            long rssZero = settledRss(measured.pid());

            sampler = new Sampler(metrics, measured, server);
            sampler.start();
            generator = new Generator(o, metrics, new InetSocketAddress("127.0.0.1", port), o.sources,
                    line -> log(out, o, target + ":" + line));
            log(out, o, target + ": ramping " + o.clients + " clients at "
                    + (o.ramp <= 0 ? "max" : fmt(o.ramp)) + "/s from " + o.sources.size() + " source addresses");
            long rampStart = System.nanoTime();
            Sampler.Step ramp = sampler.beginStep("ramp", o.ramp);
            generator.ramp();
            ramp = sampler.endStep();
            long loggedIn = metrics.logins.sum();
            double rampSeconds = Math.max(1e-3, ((loggedIn > 0 ? metrics.lastLoginNanos : System.nanoTime()) - rampStart) / 1e9);
            log(out, o, target + ": " + loggedIn + " logged in in " + fmt(rampSeconds) + " s, "
                    + metrics.failed() + " failed" + (metrics.firstFailure != null ? " (first: " + metrics.firstFailure + ")" : ""));

            Sampler.Step hold = sampler.beginStep("idle", 0);
            Thread.sleep(TimeUnit.SECONDS.toMillis(o.idleSeconds));
            Map<String, Long> loaded = measured.agent("gc", Duration.ofSeconds(120));
            long rssLoaded = settledRss(measured.pid());
            int held = metrics.online.get();
            Map<String, Object> cmMetrics = scrapeMetrics(metricsPort);
            if (!cmMetrics.isEmpty()) {
                phase.put("cm_metrics_at_idle", cmMetrics);
            }
            hold = sampler.endStep();
            log(out, o, target + ": holding " + held + " clients, heap after GC "
                    + mb(loaded.get("heapUsed")) + " MB (was " + mb(zero.get("heapUsed")) + " MB with none)");

            List<Map<String, Object>> steps = new ArrayList<>();
            steps.add(stepResult(ramp, "ramp", 0));
            steps.add(stepResult(hold, "idle", 0));
            if (o.pattern != Options.Pattern.IDLE && held >= 2 && o.warmup > 0) {
                double first = o.rates.stream().filter(r -> r > 0).findFirst().orElse(1000.0);
                log(out, o, target + ": warm-up at " + fmt(first) + "/s for " + o.warmup + " s (not counted)");
                sampler.beginStep("warmup", first);
                generator.openLoop(first, o.warmup);
                generator.drain(3000);
                sampler.endStep();
            }
            if (o.pattern != Options.Pattern.IDLE && held >= 2) {
                for (double rate : o.rates) {
                    String name = o.pattern.name().toLowerCase(Locale.ROOT) + " " + (rate <= 0 ? "max" : fmt(rate) + "/s");
                    log(out, o, target + ": " + name + " for " + o.duration + " s");
                    sampler.beginStep(name, rate);
                    if (rate <= 0 && o.pattern == Options.Pattern.PINGPONG) {
                        generator.closedLoop(o.duration);
                    } else {
                        generator.openLoop(rate <= 0 ? 1_000_000 : rate, o.duration);
                    }
                    long undelivered = generator.drain(3000);
                    Sampler.Step step = sampler.endStep();
                    Map<String, Object> s = stepResult(step, "traffic", o.duration);
                    s.put("undelivered", undelivered);
                    steps.add(s);
                    log(out, o, target + ":   " + fmt((Double) s.get("delivered_per_s")) + " delivered/s, latency p50/p99/p99.9 "
                            + latencyLine((Map<?, ?>) s.get("latency_ms")) + " ms");
                }
            }
            sampler.sample();
            int heldAtEnd = metrics.online.get();

            Map<String, Object> clients = new LinkedHashMap<>();
            clients.put("requested", o.clients);
            clients.put("logged_in", loggedIn);
            clients.put("held_after_idle", held);
            clients.put("held_at_end", heldAtEnd);
            clients.put("lost", metrics.lost.sum());
            clients.put("failures", metrics.failureCounts());
            clients.put("first_failure", metrics.firstFailure);
            phase.put("clients", clients);
            phase.put("tls", featureStatus(o.tls, metrics, "tls-not-offered", "STARTTLS"));
            phase.put("zlib", featureStatus(o.zlib, metrics, "zlib-not-offered", "zlib compression"));

            Map<String, Object> logins = new LinkedHashMap<>();
            logins.put("seconds", rampSeconds);
            logins.put("per_second", loggedIn / rampSeconds);
            logins.put("peak_per_second", sampler.rows().stream().mapToDouble(Sampler.Row::loginsPerS).max().orElse(0));
            logins.put("latency_ms", percentiles(ramp.login));
            long rampCpu = ramp.end.cpuMeasured() - ramp.start.cpuMeasured();
            logins.put("measured_cpu_ms_per_1k_logins", loggedIn > 0 ? rampCpu / 1e6 / loggedIn * 1000 : null);
            // The other processes' share, to tell who bounds the login rate.
            logins.put("server_cpu_ms_per_1k_logins", loggedIn > 0
                    ? (ramp.end.cpuServer() - ramp.start.cpuServer()) / 1e6 / loggedIn * 1000 : null);
            logins.put("generator_cpu_ms_per_1k_logins", loggedIn > 0
                    ? (ramp.end.cpuGenerator() - ramp.start.cpuGenerator()) / 1e6 / loggedIn * 1000 : null);
            phase.put("logins", logins);

            Map<String, Object> memory = new LinkedHashMap<>();
            long heap0 = zero.getOrDefault("heapUsed", -1L);
            long heapN = loaded.getOrDefault("heapUsed", -1L);
            memory.put("heap_after_gc_0", heap0);
            memory.put("heap_after_gc_n", heapN);
            memory.put("heap_committed_0", zero.getOrDefault("heapCommitted", -1L));
            memory.put("heap_committed_n", loaded.getOrDefault("heapCommitted", -1L));
            memory.put("heap_per_client_bytes", held > 0 ? (double) (heapN - heap0) / held : null);
            memory.put("rss_0", rssZero);
            memory.put("rss_n", rssLoaded);
            memory.put("rss_per_client_bytes", held > 0 && rssZero > 0 ? (double) (rssLoaded - rssZero) / held : null);
            memory.put("threads", loaded.getOrDefault("threads", -1L));
            phase.put("idle_memory", memory);
            phase.put("steps", steps);
            phase.put("whole_phase_latency_ms", percentiles(sampler.latencyTotal));
            phase.put("timeline", timeline(sampler.rows()));
        } catch (IOException | RuntimeException e) {
            phase.put("error", e.toString());
            log(out, o, target + ": FAILED: " + e);
            if (!phase.containsKey("clients")) {
                Map<String, Object> clients = new LinkedHashMap<>();
                clients.put("requested", o.clients);
                clients.put("held_after_idle", metrics.online.get());
                clients.put("failures", metrics.failureCounts());
                clients.put("first_failure", metrics.firstFailure);
                phase.put("clients", clients);
            }
            if (sampler != null && !phase.containsKey("timeline")) {
                phase.put("timeline", timeline(sampler.rows()));
            }
        } finally {
            if (generator != null) {
                generator.closeAll(10_000);
                generator.close();
            }
            if (sampler != null) {
                sampler.close();
            }
            if (measured != null) {
                measured.stop(Duration.ofSeconds(15));
            }
            server.stop(Duration.ofSeconds(15));
        }
        return phase;
    }

    /**
     * RSS once it stops moving: after a full GC, G1 gives memory back to the OS in the background,
     * so a read right after the GC still counts pages about to be released.
     */
    private static long settledRss(long pid) throws InterruptedException {
        long previous = ProcStats.rssBytes(pid);
        for (int i = 0; i < 20; i++) {
            Thread.sleep(500);
            long now = ProcStats.rssBytes(pid);
            if (previous > 0 && Math.abs(now - previous) < previous / 200) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    private static String featureStatus(boolean requested, Metrics metrics, String failure, String what) {
        if (!requested) {
            return "off";
        }
        return metrics.failures.containsKey(failure) ? "unsupported: the CM did not offer " + what : "used";
    }

    /** The CM's own Prometheus text, xmppcm_* lines only; empty when it has no endpoint (yet). */
    private static Map<String, Object> scrapeMetrics(int port) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (port <= 0) {
            return values;
        }
        try {
            java.net.HttpURLConnection http = (java.net.HttpURLConnection)
                    new java.net.URL("http://127.0.0.1:" + port + "/metrics").openConnection();
            http.setConnectTimeout(2000);
            http.setReadTimeout(5000);
            try (InputStream in = http.getInputStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("xmppcm_")) {
                        int space = line.lastIndexOf(' ');
                        try {
                            values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                        } catch (NumberFormatException e) {
                            // not a sample line
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no endpoint: the figure is only a cross-check
        }
        return values;
    }

    private static Map<String, Object> stepResult(Sampler.Step step, String kind, int sendSeconds) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", step.name);
        s.put("kind", kind);
        s.put("target_rate", step.targetRate);
        double seconds = step.seconds();
        // Traffic steps are rated over their sending time; the drain after it only collects stragglers.
        double rateSeconds = sendSeconds > 0 ? sendSeconds : seconds;
        s.put("seconds", seconds);
        long delivered = step.end.delivered() - step.start.delivered();
        long sent = step.end.sent() - step.start.sent();
        s.put("sent", sent);
        s.put("delivered", delivered);
        s.put("sent_per_s", sent / rateSeconds);
        s.put("delivered_per_s", delivered / rateSeconds);
        s.put("skipped", step.end.skipped() - step.start.skipped());
        s.put("stanza_errors", step.end.errors() - step.start.errors());
        s.put("latency_ms", percentiles(step.latency));
        s.put("round_trip_ms", percentiles(step.roundTrip));
        long wall = step.end.nanos() - step.start.nanos();
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("measured", Sampler.cpuPercent(step.end.cpuMeasured(), step.start.cpuMeasured(), wall));
        cpu.put("server", Sampler.cpuPercent(step.end.cpuServer(), step.start.cpuServer(), wall));
        cpu.put("generator", Sampler.cpuPercent(step.end.cpuGenerator(), step.start.cpuGenerator(), wall));
        cpu.put("machine", Sampler.cpuPercent(step.end.machineBusy(), step.start.machineBusy(), wall));
        s.put("cpu_percent", cpu);
        long measuredCpu = step.end.cpuMeasured() - step.start.cpuMeasured();
        if (delivered > 0 && measuredCpu > 0) {
            // Each delivered message crossed the measured process twice (client in, client out).
            s.put("measured_cpu_us_per_stanza", measuredCpu / 1e3 / delivered);
            s.put("stanzas_per_measured_cpu_second", delivered / (measuredCpu / 1e9));
        }
        return s;
    }

    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            p.put("p50", h.getValueAtPercentile(50) / 1000.0);
            p.put("p90", h.getValueAtPercentile(90) / 1000.0);
            p.put("p99", h.getValueAtPercentile(99) / 1000.0);
            p.put("p99.9", h.getValueAtPercentile(99.9) / 1000.0);
            p.put("max", h.getMaxValue() / 1000.0);
            p.put("mean", h.getMean() / 1000.0);
        }
        return p;
    }

    private static List<Map<String, Object>> timeline(List<Sampler.Row> rows) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Sampler.Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", r.t());
            m.put("step", r.step());
            m.put("held", r.held());
            m.put("logins_per_s", r.loginsPerS());
            m.put("sent_per_s", r.sentPerS());
            m.put("delivered_per_s", r.deliveredPerS());
            m.put("p50_ms", r.p50Ms());
            m.put("p99_ms", r.p99Ms());
            m.put("p999_ms", r.p999Ms());
            m.put("heap_used", r.heapUsed());
            m.put("heap_committed", r.heapCommitted());
            m.put("rss", r.rss());
            m.put("cpu_measured", r.cpuMeasured());
            m.put("cpu_server", r.cpuServer());
            m.put("cpu_generator", r.cpuGenerator());
            m.put("cpu_machine", r.cpuMachine());
            list.add(m);
        }
        return list;
    }

    // ---------------------------------------------------------------- comparison

    /** CM over relay for what both measured: memory per client, CPU per login and per stanza, rates. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> compare(Map<String, Object> cm, Map<String, Object> relay) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("meaning", "cm / relay; for costs (bytes, CPU) below 1 would mean the CM is cheaper than a blind byte relay,"
                + " for rates per CPU-second above 1 would mean it does more per core");
        Map<String, Object> cmMem = (Map<String, Object>) cm.get("idle_memory");
        Map<String, Object> relayMem = (Map<String, Object>) relay.get("idle_memory");
        if (cmMem != null && relayMem != null) {
            c.put("heap_per_client", ratio(cmMem.get("heap_per_client_bytes"), relayMem.get("heap_per_client_bytes")));
            c.put("rss_per_client", ratio(cmMem.get("rss_per_client_bytes"), relayMem.get("rss_per_client_bytes")));
        }
        Map<String, Object> cmLogins = (Map<String, Object>) cm.get("logins");
        Map<String, Object> relayLogins = (Map<String, Object>) relay.get("logins");
        if (cmLogins != null && relayLogins != null) {
            c.put("logins_per_s", ratio(cmLogins.get("per_second"), relayLogins.get("per_second")));
            c.put("cpu_per_login", ratio(cmLogins.get("measured_cpu_ms_per_1k_logins"),
                    relayLogins.get("measured_cpu_ms_per_1k_logins")));
        }
        List<Map<String, Object>> cmSteps = (List<Map<String, Object>>) cm.getOrDefault("steps", List.of());
        List<Map<String, Object>> relaySteps = (List<Map<String, Object>>) relay.getOrDefault("steps", List.of());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int i = 0; i < Math.min(cmSteps.size(), relaySteps.size()); i++) {
            Map<String, Object> a = cmSteps.get(i);
            Map<String, Object> b = relaySteps.get(i);
            if (!"traffic".equals(a.get("kind"))) {
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", a.get("name"));
            s.put("delivered_per_s", ratio(a.get("delivered_per_s"), b.get("delivered_per_s")));
            s.put("stanzas_per_measured_cpu_second", ratio(a.get("stanzas_per_measured_cpu_second"),
                    b.get("stanzas_per_measured_cpu_second")));
            s.put("p99_latency", ratio(((Map<?, ?>) a.get("latency_ms")).get("p99"), ((Map<?, ?>) b.get("latency_ms")).get("p99")));
            steps.add(s);
            // The headline: how much useful work per core the CM does, relative to blind copying.
            c.put("efficiency_cm_rate_over_relay_rate", s.get("stanzas_per_measured_cpu_second"));
        }
        c.put("steps", steps);
        return c;
    }

    private static Object ratio(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && y.doubleValue() != 0) {
            return x.doubleValue() / y.doubleValue();
        }
        return null;
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    m.put("memory_bytes", Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                }
            }
            m.put("load_average_at_start", Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return m;
    }

    private static Map<String, Object> describe(Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", o.clients);
        m.put("ramp_per_s", o.ramp <= 0 ? "max" : o.ramp);
        m.put("max_inflight", o.maxInflight);
        m.put("sources", o.sources.stream().map(InetAddress::getHostAddress).toList());
        m.put("mechanism", o.mechanism);
        m.put("users", o.users);
        m.put("presence", o.presence);
        m.put("roster", o.roster);
        m.put("pattern", o.pattern.name().toLowerCase(Locale.ROOT));
        m.put("rates", o.rates.stream().map(r -> r <= 0 ? "max" : (Object) r).toList());
        m.put("step_seconds", o.duration);
        m.put("idle_seconds", o.idleSeconds);
        m.put("payload_bytes", o.payload);
        m.put("group", o.group);
        m.put("active_pairs", o.activePairs);
        m.put("window", o.window);
        m.put("tls", o.tls);
        m.put("zlib", o.zlib);
        m.put("baseline", o.baseline);
        m.put("cm_jvm", o.cmJvm);
        m.put("server_jvm", o.serverJvm);
        m.put("generator_jvm", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return m;
    }

    private static List<String> caveats(Options o) {
        List<String> c = new ArrayList<>();
        c.add("generator, CM, server (and relay) share this machine's " + Runtime.getRuntime().availableProcessors()
                + " cores: rates are bounded by whichever is CPU-starved first; see cpu_percent per step");
        c.add("latency is one way from the intended send time, through CM -> server -> CM, to receipt, in one JVM clock;"
                + " it includes the generator's own scheduling delay");
        if (o.roster.equals("none")) {
            c.add("server roster model 'none': initial presence is echoed to its sender only (the demo roster would"
                    + " broadcast it to all N clients)");
        }
        if (o.mechanism.equals("PLAIN")) {
            c.add("PLAIN: the demo server derives PBKDF2-SHA1 (4096 rounds) per login; the login rate is bounded by that");
        } else {
            c.add("SCRAM-SHA-1: the generator caches salted passwords per account, as clients may; " + o.users
                    + " accounts shared by " + o.clients + " clients with distinct resources");
        }
        return c;
    }

    private static String relaySources(Options o) {
        int count = Math.max(1, (o.clients + Options.CLIENTS_PER_SOURCE - 1) / Options.CLIENTS_PER_SOURCE);
        return "127.0.1.1-127.0.1." + count;
    }

    /** The soft limit on open files, which child processes inherit; -1 when unknown. */
    static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The CM opens its client port only once its link to the server is ready. */
    private static void awaitPort(int port, ChildProcess child, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new IOException(child.name + " exited during start-up (see its log)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IOException(child.name + " did not open port " + port + " within " + timeout);
    }

    static Map<String, String> keyValues(String line) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                map.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return map;
    }

    private static List<String> split(String flags) {
        return flags == null || flags.isBlank() ? List.of() : List.of(flags.trim().split("\\s+"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void log(PrintStream out, Options o, String line) {
        if (!o.quiet) {
            out.println("[" + java.time.LocalTime.now().withNano(0) + "] " + line);
            out.flush();
        }
    }

    static String fmt(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String mb(Long bytes) {
        return bytes == null || bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    static String latencyLine(Map<?, ?> p) {
        if (p == null || p.get("p50") == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f/%.2f/%.2f", (Double) p.get("p50"), (Double) p.get("p99"), (Double) p.get("p99.9"));
    }

}
