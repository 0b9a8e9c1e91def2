package org.xmppcm.e2e.fault;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.cm.ConnectionManager;
import org.xmppcm.cm.FaultCmSettings;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.engine.ConnectionManagerListener;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * The fault rig: the engine with the demo host on a loopback port, the {@link FaultProxy} in front of it, a CM with
 * {@code links} links whose only server address is the proxy, and {@code 2 * pairs} raw clients logged in through the
 * CM ({@code u0..}, paired u0-u1, u2-u3, ...), all recording into one {@link Ledger}.
 *
 * <p>Three shapes ({@link Mode}): everything in this JVM; the CM as a process of its own (the product's Main, so
 * SIGKILL and SIGTERM are real) with the engine here; the engine as a process of its own ({@link ServerProcessMain})
 * with the CM here. Whatever is in this JVM is watched directly (the CM's link counters, the engine's link list, the
 * host tap); the proxy sees message ids on every link in every shape.
 *
 * <p>Every link setting comes from {@link LinkTuning} (see there for liveness).
 */
final class FaultRig implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultRig.class);
    static final String RESOURCE = "fault";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger RIGS = new AtomicInteger();

    enum Mode {
        /** Engine, proxy and CM in this JVM. */
        IN_PROCESS,
        /** The CM in a process of its own; engine and proxy here. */
        CM_PROCESS,
        /** The engine (with the demo host) in a process of its own; proxy and CM here. */
        SERVER_PROCESS
    }

    static String user(int i) {
        return "u" + i;
    }

    static String password(int i) {
        return "p" + i;
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private Mode mode = Mode.IN_PROCESS;
        private int pairs = 6;
        private int links = 2;
        private LinkTuning tuning = LinkTuning.DEFAULT;
        private Path logDir = Path.of("target", "fault-logs");

        Builder mode(Mode newMode) {
            mode = newMode;
            return this;
        }

        Builder pairs(int count) {
            pairs = count;
            return this;
        }

        Builder links(int count) {
            links = count;
            return this;
        }

        /** The link settings: the one place liveness and grace come from (see {@link LinkTuning}). */
        Builder tuning(LinkTuning newTuning) {
            tuning = newTuning;
            return this;
        }

        /** Where child processes write their logs and the CM process its settings file. */
        Builder logDir(Path dir) {
            logDir = dir;
            return this;
        }

        FaultRig start() throws Exception {
            FaultRig rig = new FaultRig(this);
            try {
                rig.startAll();
            } catch (Exception | AssertionError e) {
                rig.close();
                throw e;
            }
            return rig;
        }
    }

    final Mode mode;
    final int links;
    final LinkTuning tuning;
    final Ledger ledger = new Ledger();
    private final int users;
    private final Path logDir;
    private final int rigNumber = RIGS.incrementAndGet();
    private final RawClient[] clients;
    private final Map<Integer, CountDownLatch> pings = new ConcurrentHashMap<>();
    private final List<String> clientEnds = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger processStarts = new AtomicInteger();
    private ConnectionManagerListener engine;
    private ChildJvm serverProcess;
    private int serverPort;
    private FaultProxy proxy;
    private volatile ConnectionManager cm;
    private ChildJvm cmProcess;
    private int clientPort;
    private final List<RawClient> collectors = new ArrayList<>();

    private final RawClient.Listener listener = new RawClient.Listener() {
        @Override
        public void stanza(RawClient client, StanzaFrame stanza) {
            if (stanza.localName().equals("message")) {
                String id = stanza.attribute("id");
                if ("error".equals(stanza.attribute("type"))) {
                    ledger.bounced(client.index(), id);
                } else {
                    ledger.delivered(client.index(), client.serial(), id, stanza.asString().contains("urn:xmpp:delay"));
                }
            } else if (stanza.localName().equals("iq") && stanza.attribute("id") != null
                    && stanza.attribute("id").startsWith("collect_")) {
                CountDownLatch latch = pings.get(client.index());
                if (latch != null) {
                    latch.countDown();
                }
            }
        }

        @Override
        public void ended(RawClient client, String how) {
            clientEnds.add(client.user() + ": " + how);
        }
    };

    private FaultRig(Builder builder) {
        this.mode = builder.mode;
        this.links = builder.links;
        this.tuning = builder.tuning;
        this.logDir = builder.logDir;
        this.users = 2 * builder.pairs;
        this.clients = new RawClient[users];
    }

    private void startAll() throws Exception {
        InetSocketAddress serverAddress;
        if (mode == Mode.SERVER_PROCESS) {
            ledger.hostTapped(false);
            serverPort = startServerProcess(0);
            serverAddress = new InetSocketAddress("127.0.0.1", serverPort);
        } else {
            ledger.hostTapped(true);
            engine = new ConnectionManagerListener(tuning.engineSettings(new InetSocketAddress("127.0.0.1", 0)),
                    new TappedHost(ServerProcessMain.demoHost(users), tuning, new TappedHost.Tap() {
                        @Override
                        public void received(int sender, long seq) {
                            ledger.hostReceived(sender, seq);
                        }

                        @Override
                        public void delivered(int sender, long seq) {
                            ledger.hostDelivered(sender, seq);
                        }
                    }));
            engine.start();
            serverAddress = new InetSocketAddress("127.0.0.1", engine.port());
        }
        proxy = new FaultProxy(serverAddress, (connection, towardsServer, sender, seq) ->
                ledger.proxySaw(towardsServer, sender, seq));
        if (mode == Mode.CM_PROCESS) {
            startCmProcess();
        } else {
            startCmHere();
        }
        for (int i = 0; i < users; i++) {
            clients[i] = RawClient.login(i, clientPort, user(i), password(i), RESOURCE, listener);
        }
        LOG.info("Fault rig {} ({}) up: {} clients on CM port {}, {} links through proxy port {}", rigNumber, mode,
                users, clientPort, links, proxy.port());
    }

    private void startCmHere() throws Exception {
        ConnectionManager started = new ConnectionManager(FaultCmSettings.fromProperties(
                tuning.cmProperties(proxy.address(), links, 0)));
        started.start();
        cm = started;
        clientPort = started.clientPort();
        if (!waitUntil(() -> started.readyLinkCount() == links, START_TIMEOUT)) {
            throw new IOException("the CM has " + started.readyLinkCount() + " of " + links + " links ready");
        }
    }

    private void startCmProcess() throws Exception {
        clientPort = freePort();
        Properties settings = tuning.cmProperties(proxy.address(), links, clientPort);
        Path file = logDir.resolve("rig" + rigNumber + "-cm.properties");
        Files.createDirectories(logDir);
        try (OutputStream out = Files.newOutputStream(file)) {
            settings.store(out, "fault suite CM process");
        }
        cmProcess = ChildJvm.start("cm", CmProcessMain.class, List.of("--config", file.toString()),
                logDir.resolve("rig" + rigNumber + "-cm-" + processStarts.incrementAndGet() + ".log"));
        cmProcess.awaitLine(line -> line.contains("Accepting clients on"), START_TIMEOUT);
        if (!waitUntil(() -> engineLinkCount() == links, START_TIMEOUT)) {
            throw new IOException("the engine has " + engineLinkCount() + " of " + links + " links of the CM process");
        }
    }

    private int startServerProcess(int port) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port), "--users", String.valueOf(users)));
        args.addAll(tuning.asArguments());
        serverProcess = ChildJvm.start("server", ServerProcessMain.class, args,
                logDir.resolve("rig" + rigNumber + "-server-" + processStarts.incrementAndGet() + ".log"));
        String ready = serverProcess.awaitLine(line -> line.startsWith(ServerProcessMain.READY), START_TIMEOUT);
        return Integer.parseInt(ready.substring(ServerProcessMain.READY.length()).trim());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- what the faults use

    FaultProxy proxy() {
        return proxy;
    }

    /** The CM in this JVM, or null (the CM is a process, or not started). */
    ConnectionManager cm() {
        return cm;
    }

    /** The engine in this JVM, or null (the server is a process). */
    ConnectionManagerListener engine() {
        return engine;
    }

    RawClient[] clients() {
        return clients.clone();
    }

    /** A detector started now for the faulted links ({@code conn1}...; empty for all), on the ends in this JVM. */
    Detector detector(List<String> linkNames, int faultedLinks) {
        return new Detector(cm, engine, linkNames, faultedLinks);
    }

    /** The engine's links of the rig's manager; -1 when the engine is not in this JVM. */
    int engineLinkCount() {
        if (engine == null) {
            return -1;
        }
        for (ConnectedManager manager : engine.managers()) {
            if (manager.name().equals(LinkTuning.MANAGER)) {
                return manager.links().size();
            }
        }
        return 0;
    }

    /** True when the CM has all its links ready, as far as this JVM can see. */
    boolean linksReady() {
        ConnectionManager here = cm;
        if (here != null) {
            return here.readyLinkCount() == links;
        }
        return engine == null || engineLinkCount() == links;
    }

    boolean awaitLinksReady(Duration timeout) throws InterruptedException {
        return waitUntil(this::linksReady, timeout);
    }

    ChildJvm cmProcess() {
        return cmProcess;
    }

    ChildJvm serverProcess() {
        return serverProcess;
    }

    boolean serverUp() {
        return mode != Mode.SERVER_PROCESS || serverProcess != null && serverProcess.isAlive();
    }

    /** SIGKILL to the server process. */
    void killServer() throws InterruptedException {
        serverProcess.kill();
        serverProcess.awaitExit(Duration.ofSeconds(10));
    }

    /** Starts the server process again on the port it had. */
    void restartServer() throws Exception {
        serverProcess.close();
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                startServerProcess(serverPort);
                return;
            } catch (IOException e) {
                last = e; // the port may still be held for a moment
                serverProcess.close();
                Thread.sleep(500);
            }
        }
        throw last;
    }

    /** Descriptions of client streams that ended without the harness asking. */
    List<String> clientEnds() {
        synchronized (clientEnds) {
            return List.copyOf(clientEnds);
        }
    }

    /** Per link open now: messages seen going up and down, e.g. {@code conn1 1234/1190}. */
    String linkTraffic() {
        StringBuilder text = new StringBuilder();
        for (ProxiedConnection c : proxy.connections()) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(c.linkName()).append(c.isOpen() ? "" : "(closed)").append(' ').append(c.messagesUp())
                    .append('/').append(c.messagesDown());
        }
        return text.toString();
    }

    /** True when each of the CM's open links carried harness messages both ways. */
    boolean everyLinkCarriedTraffic() {
        List<ProxiedConnection> open = proxy.open();
        return open.size() == links && open.stream().allMatch(c -> c.messagesUp() > 0 && c.messagesDown() > 0);
    }

    // ---------------------------------------------------------------- after the fault

    /**
     * Waits until every written message has an outcome, or until nothing has arrived for {@code quiet} while the
     * links are back (a message in flight after a reconnect is not lost), or {@code max}.
     */
    void settle(Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (ledger.unaccounted() <= 0) {
                return;
            }
            boolean linksSettled = !serverUp() || linksReady() || cm == null && cmProcess != null && !cmProcess.isAlive();
            if (linksSettled && System.nanoTime() - ledger.lastEventNanos() > quiet.toNanos()) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /**
     * Collects what the server stored offline: closes every client still up, brings back what the fault took down
     * (a CM in this JVM in place of a killed CM process; the server process), logs every user in again with
     * initial presence (which makes the demo host send the stored messages), and waits until a ping answer has
     * come back and nothing more arrives for {@code quiet}.
     */
    void collect(Duration quiet) throws Exception {
        for (RawClient c : clients) {
            if (c != null && c.isUp()) {
                c.close();
            }
        }
        if (mode == Mode.CM_PROCESS && cm == null) {
            startCmHere(); // the killed CM's manager name, a new process: the engine takes it as a restart
        }
        if (mode == Mode.SERVER_PROCESS && !serverProcess.isAlive()) {
            restartServer();
        }
        if (!awaitLinksReady(Duration.ofSeconds(60))) {
            LOG.warn("Collecting with links not all ready ({})", linkTraffic());
        }
        for (int i = 0; i < users; i++) {
            CountDownLatch answered = new CountDownLatch(1);
            pings.put(i, answered);
            RawClient c = loginWithRetry(i, Duration.ofSeconds(20));
            collectors.add(c);
            c.send("<presence/>");
            c.send("<iq type='get' id='collect_" + i + "' to='" + LinkTuning.DOMAIN
                    + "'><ping xmlns='urn:xmpp:ping'/></iq>");
        }
        for (CountDownLatch answered : pings.values()) {
            if (!answered.await(10, TimeUnit.SECONDS)) {
                LOG.warn("A collecting client got no answer to its ping");
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() - ledger.lastEventNanos() < quiet.toNanos() && System.nanoTime() < deadline
                && ledger.unaccounted() > 0) {
            Thread.sleep(50);
        }
        for (RawClient c : collectors) {
            c.close();
        }
    }

    private RawClient loginWithRetry(int i, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return RawClient.login(i, clientPort, user(i), password(i), RESOURCE, listener);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    static boolean waitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Stops everything that is still running, each part on its own so that one failure does not leak the rest. */
    @Override
    public void close() {
        for (RawClient c : clients) {
            if (c != null) {
                c.abort();
            }
        }
        for (RawClient c : collectors) {
            c.abort();
        }
        ConnectionManager here = cm;
        if (here != null) {
            quietly(here::stop);
        }
        if (cmProcess != null) {
            quietly(cmProcess::close);
        }
        if (proxy != null) {
            quietly(proxy::close);
        }
        if (engine != null) {
            quietly(engine::stop);
        }
        if (serverProcess != null) {
            quietly(serverProcess::close);
        }
    }

    private static void quietly(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("Fault rig teardown: {}", e.toString());
        }
    }
}
