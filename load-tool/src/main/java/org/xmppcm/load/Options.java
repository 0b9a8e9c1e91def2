package org.xmppcm.load;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Everything a run is told on the command line. Mutable while parsing, read-only afterwards by convention. */
final class Options {
    enum Pattern { IDLE, PINGPONG, FANOUT }

    /** Clients per loopback source address: well below the ~28k ephemeral ports of one address. */
    static final int CLIENTS_PER_SOURCE = 10_000;

    int clients = 1000;
    /** Clients per second; 0 = as fast as {@link #maxInflight} allows (measures the login rate). */
    double ramp = 500;
    int maxInflight = 500;
    List<InetAddress> sources = new ArrayList<>();
    String mechanism = "SCRAM-SHA-1";
    /**
     * Accounts on the server; clients share them with distinct resources. 0 = min(clients, 100):
     * each account costs one PBKDF2 (4096 HMACs) in the server at start and in the generator at
     * its first SCRAM login, which at one account per client would be what the login rate measures.
     */
    int users;
    boolean presence = true;
    /** Server roster model: "none" (presence echoed to its sender only) or "all" (DemoHost: everyone, O(N^2)). */
    String roster = "none";
    Pattern pattern = Pattern.IDLE;
    /** Stanzas per second sent by all clients together, one traffic step each; 0 = "max" (closed loop). */
    List<Double> rates = new ArrayList<>(List.of(1000.0));
    /** Seconds per traffic step. */
    int duration = 20;
    /** Seconds to hold the idle clients before the heap is measured. */
    int idleSeconds = 5;
    /** Seconds of unrecorded traffic before the first step, so the JIT has compiled the message path. */
    int warmup = 5;
    int loginTimeout = 60;
    /** Seconds between whitespace keepalives per online client (real clients send them; the CM closes silent ones). 0 = none. */
    int keepalive = 60;
    int payload = 64;
    int group = 10;
    /** Closed-loop ("max") steps: active pingers and messages in flight per pinger. */
    int activePairs = 500;
    int window = 4;
    boolean tls;
    boolean zlib;
    boolean baseline;
    int maxSeconds = 600;
    String cmJvm = "-Xmx4g -XX:+UseG1GC";
    String serverJvm = "-Xmx4g -XX:+UseG1GC";
    List<String> cmEnv = new ArrayList<>();
    String cmMain = "org.xmppcm.cm.Main";
    Path out;
    String label = "";
    boolean quiet;

    static Options parse(String... args) throws UnknownHostException {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--clients" -> { o.clients = Integer.parseInt(need(arg, value)); i++; }
                case "--ramp" -> { o.ramp = Double.parseDouble(need(arg, value)); i++; }
                case "--max-inflight" -> { o.maxInflight = Integer.parseInt(need(arg, value)); i++; }
                case "--sources" -> { o.sources = addresses(need(arg, value)); i++; }
                case "--mechanism" -> { o.mechanism = need(arg, value).toUpperCase(Locale.ROOT); i++; }
                case "--users" -> { o.users = Integer.parseInt(need(arg, value)); i++; }
                case "--no-presence" -> o.presence = false;
                case "--roster" -> { o.roster = need(arg, value); i++; }
                case "--pattern" -> { o.pattern = Pattern.valueOf(need(arg, value).toUpperCase(Locale.ROOT)); i++; }
                case "--rate", "--rates" -> { o.rates = rates(need(arg, value)); i++; }
                case "--duration" -> { o.duration = Integer.parseInt(need(arg, value)); i++; }
                case "--idle-seconds" -> { o.idleSeconds = Integer.parseInt(need(arg, value)); i++; }
                case "--warmup" -> { o.warmup = Integer.parseInt(need(arg, value)); i++; }
                case "--login-timeout" -> { o.loginTimeout = Integer.parseInt(need(arg, value)); i++; }
                case "--keepalive" -> { o.keepalive = Integer.parseInt(need(arg, value)); i++; }
                case "--payload" -> { o.payload = Integer.parseInt(need(arg, value)); i++; }
                case "--group" -> { o.group = Integer.parseInt(need(arg, value)); i++; }
                case "--active-pairs" -> { o.activePairs = Integer.parseInt(need(arg, value)); i++; }
                case "--window" -> { o.window = Integer.parseInt(need(arg, value)); i++; }
                case "--tls" -> o.tls = true;
                case "--zlib" -> o.zlib = true;
                case "--baseline" -> o.baseline = true;
                case "--max-seconds" -> { o.maxSeconds = Integer.parseInt(need(arg, value)); i++; }
                case "--cm-jvm" -> { o.cmJvm = need(arg, value); i++; }
                case "--server-jvm" -> { o.serverJvm = need(arg, value); i++; }
                case "--cm-env" -> { o.cmEnv.add(need(arg, value)); i++; }
                case "--cm-main" -> { o.cmMain = need(arg, value); i++; }
                case "--out" -> { o.out = Path.of(need(arg, value)); i++; }
                case "--label" -> { o.label = need(arg, value); i++; }
                case "--quiet" -> o.quiet = true;
                default -> throw new IllegalArgumentException("unknown option: " + arg + "\n" + usage());
            }
        }
        o.validate();
        return o;
    }

    private void validate() throws UnknownHostException {
        if (clients < 1 || duration < 1 || maxSeconds < 10 || maxInflight < 1 || ramp < 0) {
            throw new IllegalArgumentException("clients, duration, max-inflight must be positive; max-seconds >= 10");
        }
        if (!mechanism.equals("PLAIN") && !mechanism.equals("SCRAM-SHA-1")) {
            throw new IllegalArgumentException("mechanism must be PLAIN or SCRAM-SHA-1");
        }
        if (!roster.equals("none") && !roster.equals("all")) {
            throw new IllegalArgumentException("roster must be none or all");
        }
        if (users <= 0) {
            users = Math.min(clients, 100);
        }
        if (group < 2) {
            throw new IllegalArgumentException("group must be at least 2");
        }
        if (sources.isEmpty()) {
            int count = (clients + CLIENTS_PER_SOURCE - 1) / CLIENTS_PER_SOURCE;
            sources = addresses("127.0.0.2-127.0.0." + (1 + count));
        }
        if (out == null) {
            out = Path.of("load-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
    }

    /** "127.0.0.2-127.0.0.9" (last octet range) or a comma list. */
    static List<InetAddress> addresses(String spec) throws UnknownHostException {
        List<InetAddress> list = new ArrayList<>();
        for (String part : spec.split(",")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                list.add(InetAddress.getByName(part.trim()));
                continue;
            }
            String first = part.substring(0, dash).trim();
            String last = part.substring(dash + 1).trim();
            String prefix = first.substring(0, first.lastIndexOf('.') + 1);
            int from = Integer.parseInt(first.substring(first.lastIndexOf('.') + 1));
            int to = Integer.parseInt(last.substring(last.lastIndexOf('.') + 1));
            for (int octet = from; octet <= to; octet++) {
                list.add(InetAddress.getByName(prefix + octet));
            }
        }
        return list;
    }

    private static List<Double> rates(String spec) {
        List<Double> list = new ArrayList<>();
        for (String part : spec.split(",")) {
            list.add(part.trim().equalsIgnoreCase("max") ? 0.0 : Double.parseDouble(part.trim()));
        }
        return list;
    }

    private static String need(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    static String usage() {
        return String.join("\n",
                "usage: load-tool [options]   (every run is bounded: it stops by itself)",
                "  --clients N          clients to log in and hold (1000)",
                "  --ramp R             new clients per second; 0 = as fast as --max-inflight allows (500)",
                "  --max-inflight N     logins in progress at once (500)",
                "  --sources A-B|A,B    loopback source addresses (default 127.0.0.2.. one per 10k clients)",
                "  --mechanism M        SCRAM-SHA-1 (default) or PLAIN",
                "  --users U            server accounts, shared by clients as resources (min(N,100))",
                "  --no-presence        skip initial presence",
                "  --roster none|all    server roster model: none (presence echoed only) or all (O(N^2)!)",
                "  --pattern P          idle | pingpong | fanout (idle)",
                "  --rates R1,R2,max    stanzas/s sent per traffic step; max = closed loop (1000)",
                "  --duration S         seconds per traffic step (20)",
                "  --idle-seconds S     hold before measuring idle heap (5)",
                "  --warmup S           traffic before the first step, not counted in any step (5)",
                "  --keepalive S        whitespace keepalive per client every S seconds, 0 = none (60)",
                "  --login-timeout S    how long logins may take after the last connect (60)",
                "  --payload B          message body bytes (64)",
                "  --group G            fanout group size: one sender, G-1 receivers (10)",
                "  --active-pairs P     closed-loop senders (500); --window W messages in flight each (4)",
                "  --tls, --zlib        STARTTLS / XEP-0138 zlib on client streams (reported unsupported",
                "                       when the CM does not offer them)",
                "  --baseline           repeat the run with a dumb MINA byte relay in place of the CM",
                "  --max-seconds S      hard watchdog for the whole run (600)",
                "  --cm-jvm \"FLAGS\"     JVM flags of the CM (and relay) child (-Xmx4g -XX:+UseG1GC)",
                "  --server-jvm \"FLAGS\" JVM flags of the server child",
                "  --cm-env K=V         extra environment for the CM child (repeatable), e.g. XMPPCM_...",
                "  --out DIR            where result.json, report.html and logs go (load-results/<time>)",
                "  --label TEXT         a name for the run in the report");
    }
}
