package org.xmppcm.e2e.fault;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xmppcm.demo.DemoHost;
import org.xmppcm.engine.ConnectionManagerListener;

/**
 * The server as a process of its own for the fault suite: the engine with the demo host (users {@code u0..},
 * passwords {@code p0..}, see {@link FaultRig#password}) on a loopback port, the link settings of
 * {@link LinkTuning}. Prints {@code @@PORT <port>} once it listens; ends when its stdin closes (the parent is done
 * or died), on SIGTERM, or on SIGKILL.
 *
 * <pre>
 * ServerProcessMain [--port N] [--users N] [--grace-seconds N] [--keepalive-seconds N] [--liveness-seconds N]
 * </pre>
 */
public final class ServerProcessMain {
    static final String READY = "@@PORT ";

    private ServerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.haltWhenStdinCloses(97);
        int port = 0;
        int users = 12;
        LinkTuning tuning = LinkTuning.DEFAULT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--grace-seconds" -> tuning = tuning.withGrace(Duration.ofSeconds(Long.parseLong(args[++i])));
                case "--keepalive-seconds" -> tuning = new LinkTuning(tuning.grace(),
                        Duration.ofSeconds(Long.parseLong(args[++i])), tuning.livenessTimeout());
                case "--liveness-seconds" -> tuning = tuning.withLivenessTimeout(
                        Duration.ofSeconds(Long.parseLong(args[++i])));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ConnectionManagerListener engine = new ConnectionManagerListener(
                tuning.engineSettings(new InetSocketAddress("127.0.0.1", port)),
                new TappedHost(demoHost(users), tuning, null));
        engine.start();
        Runtime.getRuntime().addShutdownHook(new Thread(engine::stop, "server-stop"));
        System.out.println(READY + engine.port());
        System.out.flush();
        Thread.currentThread().join(); // until a signal or the parent's pipe ends this JVM
    }

    /** The demo host of the fault suite: {@code users} accounts, an offline store that never fills in a run. */
    static DemoHost demoHost(int users) {
        Map<String, String> accounts = new LinkedHashMap<>();
        for (int i = 0; i < users; i++) {
            accounts.put(FaultRig.user(i), FaultRig.password(i));
        }
        // A full store bounces, and a bounce to a sender that is offline too is dropped by RFC 6121: no run may
        // reach the limit, or the harness would count those as lost.
        return DemoHost.builder().domain(LinkTuning.DOMAIN).managerSecret(LinkTuning.SECRET).users(accounts)
                .maxOfflineMessages(1_000_000).build();
    }
}
