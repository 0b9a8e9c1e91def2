package org.xmppcm.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamFramer;
import org.xmppcm.transport.StreamEnd;
import org.xmppcm.transport.TransportLayers;
import org.xmppcm.transport.compress.ZlibFilter;
import org.xmppcm.transport.compress.ZlibTuning;
import org.xmppcm.transport.XmppCodec;

/**
 * The load generator: N XMPP clients on one MINA connector (a couple of I/O threads, no thread
 * per client), spread over several loopback source addresses. Logs them in at a ramp rate
 * (SASL, bind, initial presence), then drives a traffic pattern. Messages carry their intended
 * send time (nanoseconds since the generator started) in their id, so the receiver, in this same
 * JVM, measures one-way latency without clock skew, and an overloaded sender cannot hide its own
 * delay (no coordinated omission).
 */
final class Generator extends IoHandlerAdapter implements AutoCloseable {
    /** The same zlib as the CM's client side, one filter for every session (its state is per session). */
    private static final ZlibFilter ZLIB = new ZlibFilter(ZlibTuning.DEFAULT);

    private static final int MAX_STANZA_BYTES = 256 * 1024;

    private final Options options;
    private final Metrics metrics;
    private final InetSocketAddress target;
    private final List<InetAddress> sources;
    private final NioSocketConnector connector;
    private final LoadClient[] clients;
    private final ScramClient scram = new ScramClient();
    private final String header;
    private final String body;
    private final long epoch = System.nanoTime();
    private final AtomicInteger inflight = new AtomicInteger();
    private volatile SSLContext sslContext;
    private volatile int launched;
    /** Closed-loop pingpong in progress: each pong releases the next ping. */
    private volatile boolean closedLoop;
    private final ScheduledExecutorService keepalives = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-keepalive");
        t.setDaemon(true);
        return t;
    });
    private final Consumer<String> progress;

    Generator(Options options, Metrics metrics, InetSocketAddress target, List<InetAddress> sources,
              Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
        this.metrics = metrics;
        this.target = target;
        this.sources = List.copyOf(sources);
        this.clients = new LoadClient[options.clients];
        this.header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='"
                + XmlStreamFramer.STREAMS_NS + "' to='" + LoadServer.DOMAIN + "' version='1.0'>";
        this.body = "x".repeat(Math.max(0, options.payload));
        connector = new NioSocketConnector(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        connector.getFilterChain().addLast(org.xmppcm.transport.FilterNames.XMPP, new ProtocolCodecFilter(new ClientCodec(MAX_STANZA_BYTES)));
        connector.getSessionConfig().setTcpNoDelay(true);
        // Lets a source port in TIME_WAIT from the previous phase be bound again.
        connector.getSessionConfig().setReuseAddress(true);
        connector.setConnectTimeoutMillis(TimeUnit.SECONDS.toMillis(options.loginTimeout));
        connector.setHandler(this);
        if (options.keepalive > 0) {
            // Each second a 1/keepalive slice of the clients sends one space: spread, not a burst.
            long[] tick = {0};
            keepalives.scheduleAtFixedRate(() -> {
                int slice = (int) (tick[0]++ % options.keepalive);
                for (int i = slice; i < launched; i += options.keepalive) {
                    LoadClient c = clients[i];
                    if (c != null && c.isOnline()) {
                        c.session.write(" ");
                    }
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
    }

    long nowStamp() {
        return System.nanoTime() - epoch;
    }

    // ---------------------------------------------------------------- ramp

    /** Connects and logs in every client at the ramp rate; returns when all are online or failed, or time is up. */
    void ramp() {
        int n = clients.length;
        long start = System.nanoTime();
        long nextReport = start + TimeUnit.SECONDS.toNanos(5);
        while (launched < n) {
            long now = System.nanoTime();
            if (now > nextReport) {
                nextReport = now + TimeUnit.SECONDS.toNanos(5);
                progress.accept(String.format(java.util.Locale.ROOT, "  %d launched, %d online, %d failed, %d logging in",
                        launched, metrics.online.get(), metrics.failed(), inflight.get()));
            }
            if (unsupported()) {
                progress.accept("  stopping the ramp: " + metrics.firstFailure);
                break;
            }
            long allowed = options.ramp <= 0 ? n : 1 + (long) ((now - start) * options.ramp / 1e9);
            while (launched < Math.min(allowed, n) && inflight.get() < options.maxInflight) {
                connect(launched);
                launched++;
            }
            LockSupport.parkNanos(1_000_000);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.loginTimeout);
        while (metrics.logins.sum() + metrics.failed() < launched && System.nanoTime() < deadline) {
            LockSupport.parkNanos(5_000_000);
        }
        for (LoadClient c : clients) {
            if (c != null && c.state < LoadClient.ONLINE) {
                fail(c, "login-timeout", null);
            }
        }
    }

    /** A feature the run needs is not offered: every further login would fail the same way. */
    private boolean unsupported() {
        return metrics.failures.containsKey("tls-not-offered") || metrics.failures.containsKey("zlib-not-offered")
                || metrics.failures.containsKey("mechanism-not-offered");
    }

    private void connect(int index) {
        LoadClient client = new LoadClient(index, System.nanoTime());
        clients[index] = client;
        inflight.incrementAndGet();
        metrics.connectsStarted.increment();
        InetAddress source = sources.get(index % sources.size());
        ConnectFuture future = connector.connect(target, new InetSocketAddress(source, 0),
                (session, f) -> session.setAttribute(LoadClient.KEY, client));
        future.addListener(f -> {
            if (!future.isConnected()) {
                Throwable cause = future.getException();
                fail(client, "connect", cause == null ? null : cause.toString());
            }
        });
    }

    // ---------------------------------------------------------------- traffic

    /**
     * Open loop: {@code rate} messages per second from all senders together, for {@code seconds},
     * whatever the answers do. When more than two seconds' worth of messages are undelivered the
     * system is saturated: further sends are skipped and counted, so the backlog stays bounded.
     */
    void openLoop(double rate, int seconds) {
        List<Integer> senders = senders();
        if (senders.isEmpty() || rate <= 0) {
            return;
        }
        int perEvent = options.pattern == Options.Pattern.FANOUT ? options.group - 1 : 1;
        long cap = Math.max(1000, (long) (rate * 2));
        // The rate counts stanzas sent: in pingpong every ping brings its pong, so pings go at half of it;
        // in fanout one event is a message to each of the group's other members.
        double eventRate = options.pattern == Options.Pattern.PINGPONG ? rate / 2 : rate / perEvent;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long issued = 0;
        int next = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long due = (long) ((now - start) * eventRate / 1e9) * perEvent;
            boolean saturated = metrics.sent.sum() - metrics.delivered.sum() > cap;
            while (issued < due) {
                long intended = start + (long) (issued / perEvent * 1e9 / eventRate) - epoch;
                int sender = senders.get(next++ % senders.size());
                int sentNow = saturated ? 0 : sendFrom(sender, intended);
                if (sentNow < perEvent) {
                    metrics.skipped.add(perEvent - sentNow);
                }
                issued += perEvent;
            }
            LockSupport.parkNanos(500_000);
        }
    }

    /** Closed loop (pingpong only): each active sender keeps {@code window} pings in flight. */
    void closedLoop(int seconds) {
        List<Integer> senders = senders();
        closedLoop = true;
        int active = Math.min(senders.size(), options.activePairs);
        for (int i = 0; i < active; i++) {
            LoadClient c = clients[senders.get(i)];
            for (int w = 0; w < options.window; w++) {
                sendPing(c, nowStamp());
            }
        }
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
        closedLoop = false;
    }

    /** Waits until every sent message arrived, at most {@code millis}; returns those still missing. */
    long drain(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (metrics.sent.sum() <= metrics.delivered.sum()) {
                return 0;
            }
            LockSupport.parkNanos(10_000_000);
        }
        return Math.max(0, metrics.sent.sum() - metrics.delivered.sum());
    }

    /** Pingpong: the even client of each online pair; fanout: the first of each group of at least two. */
    private List<Integer> senders() {
        List<Integer> senders = new ArrayList<>();
        int n = launched;
        if (options.pattern == Options.Pattern.PINGPONG) {
            for (int i = 0; i + 1 < n; i += 2) {
                if (online(i) && online(i + 1)) {
                    senders.add(i);
                }
            }
        } else if (options.pattern == Options.Pattern.FANOUT) {
            for (int i = 0; i + 1 < n; i += options.group) {
                if (online(i)) {
                    senders.add(i);
                }
            }
        }
        return senders;
    }

    private boolean online(int index) {
        LoadClient c = clients[index];
        return c != null && c.isOnline();
    }

    /** One traffic event from {@code index}; returns the messages written. */
    private int sendFrom(int index, long stamp) {
        LoadClient c = clients[index];
        if (!c.isOnline()) {
            return 0;
        }
        if (options.pattern == Options.Pattern.PINGPONG) {
            return sendPing(c, stamp) ? 1 : 0;
        }
        int sent = 0;
        int last = Math.min(index + options.group, launched);
        for (int to = index + 1; to < last; to++) {
            if (online(to)) {
                send(c, to, 'f', stamp);
                sent++;
            }
        }
        return sent;
    }

    private boolean sendPing(LoadClient c, long stamp) {
        if (!online(c.index ^ 1)) {
            return false;
        }
        send(c, c.index ^ 1, 'p', stamp);
        return true;
    }

    private void send(LoadClient from, int to, char kind, long stamp) {
        IoSession session = from.session;
        if (session == null) {
            return;
        }
        session.write("<message to='" + jid(to) + "' id='" + kind + stamp + "' type='chat'><body>" + body
                + "</body></message>");
        metrics.sent.increment();
    }

    private String jid(int index) {
        return LoadServer.username(index % options.users) + "@" + LoadServer.DOMAIN + "/c" + index;
    }

    // ---------------------------------------------------------------- I/O events

    @Override
    public void sessionOpened(IoSession session) {
        LoadClient c = LoadClient.of(session);
        if (c == null) {
            session.closeNow();
            return;
        }
        c.session = session;
        if (c.state >= LoadClient.CLOSING) {
            session.closeNow(); // timed out while connecting
            return;
        }
        c.state = LoadClient.OPENING;
        session.write(header);
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        LoadClient c = LoadClient.of(session);
        if (c == null || c.state >= LoadClient.CLOSING) {
            return;
        }
        if (message instanceof StanzaFrame frame) {
            if (c.state == LoadClient.ONLINE) {
                online(c, frame);
            } else {
                login(c, session, frame);
            }
        } else if (message instanceof StreamEnd) {
            fail(c, "stream-end", null);
            session.closeNow();
        } else if (message == ClientCodec.Raw.DATA) {
            metrics.otherStanzas.increment();
        } else if (!(message instanceof StreamOpen)) {
            fail(c, "unexpected", String.valueOf(message));
        }
    }

    private void login(LoadClient c, IoSession session, StanzaFrame frame) {
        String name = frame.localName();
        if (frame.is("error", XmlStreamFramer.STREAMS_NS)) {
            fail(c, "stream-error", frame.asString());
            session.closeNow();
            return;
        }
        switch (c.state) {
            case LoadClient.OPENING -> {
                String features = frame.asString();
                if (!name.equals("features")) {
                    fail(c, "unexpected", features);
                } else if (options.tls && !c.tlsDone) {
                    if (!features.contains(Namespaces.TLS)) {
                        fail(c, "tls-not-offered", "the CM offered no STARTTLS");
                        session.closeNow();
                        return;
                    }
                    c.state = LoadClient.STARTTLS;
                    session.write("<starttls xmlns='" + Namespaces.TLS + "'/>");
                } else if (!features.contains(">" + options.mechanism + "<")) {
                    fail(c, "mechanism-not-offered", options.mechanism);
                    session.closeNow();
                } else {
                    c.state = LoadClient.AUTH;
                    authenticate(c, session);
                }
            }
            case LoadClient.STARTTLS -> {
                if (name.equals("proceed")) {
                    c.state = LoadClient.TLS_HANDSHAKE;
                    SslFilter ssl = new SslFilter(sslContext());
                    TransportLayers.addTls(session, ssl); // starts the handshake; SECURED follows
                } else {
                    fail(c, "starttls-failure", frame.asString());
                    session.closeNow();
                }
            }
            case LoadClient.AUTH -> {
                switch (name) {
                    case "challenge" -> {
                        String response = c.scram == null ? null : c.scram.clientFinal(text(frame));
                        if (response == null) {
                            fail(c, "sasl-bad-challenge", frame.asString());
                            session.closeNow();
                        } else {
                            session.write("<response xmlns='" + Namespaces.SASL + "'>" + response + "</response>");
                        }
                    }
                    case "success" -> {
                        if (c.scram != null && !c.scram.verify(text(frame))) {
                            fail(c, "sasl-bad-server-signature", frame.asString());
                            session.closeNow();
                        } else {
                            c.scram = null;
                            c.state = LoadClient.AUTHENTICATED;
                            restart(session);
                        }
                    }
                    default -> {
                        fail(c, "sasl-failure", frame.asString());
                        session.closeNow();
                    }
                }
            }
            case LoadClient.AUTHENTICATED -> {
                String features = frame.asString();
                if (!name.equals("features")) {
                    fail(c, "unexpected", features);
                } else if (options.zlib && !c.zlibDone) {
                    // XEP-0138: compression after SASL.
                    if (!features.contains(Namespaces.COMPRESS_FEATURE) || !features.contains(">zlib<")) {
                        fail(c, "zlib-not-offered", "the CM offered no zlib compression");
                        session.closeNow();
                        return;
                    }
                    c.state = LoadClient.COMPRESS;
                    session.write("<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'><method>zlib</method></compress>");
                } else {
                    c.state = LoadClient.BINDING;
                    session.write("<iq type='set' id='b'><bind xmlns='" + Namespaces.BIND + "'><resource>c" + c.index
                            + "</resource></bind></iq>");
                }
            }
            case LoadClient.COMPRESS -> {
                if (name.equals("compressed")) {
                    c.zlibDone = true;
                    TransportLayers.addZlib(session, ZLIB);
                    c.state = LoadClient.AUTHENTICATED;
                    restart(session);
                } else {
                    fail(c, "compress-failure", frame.asString());
                    session.closeNow();
                }
            }
            case LoadClient.BINDING -> {
                if (name.equals("iq") && "b".equals(frame.attribute("id"))) {
                    if ("result".equals(frame.attribute("type"))) {
                        goOnline(c, session);
                    } else {
                        fail(c, "bind-error", frame.asString());
                        session.closeNow();
                    }
                }
            }
            default -> {
                // TLS_HANDSHAKE: nothing is framed until SECURED
            }
        }
    }

    private void authenticate(LoadClient c, IoSession session) {
        int account = c.index % options.users;
        String user = LoadServer.username(account);
        String password = LoadServer.password(account);
        String initial;
        if (options.mechanism.equals("PLAIN")) {
            initial = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        } else {
            c.scram = scram.start(user, password);
            initial = c.scram.clientFirst();
        }
        session.write("<auth xmlns='" + Namespaces.SASL + "' mechanism='" + options.mechanism + "'>" + initial + "</auth>");
    }

    private void goOnline(LoadClient c, IoSession session) {
        if (!c.toOnline()) {
            return;
        }
        inflight.decrementAndGet();
        metrics.online.incrementAndGet();
        metrics.logins.increment();
        metrics.lastLoginNanos = System.nanoTime();
        Metrics.record(metrics.loginLatency, System.nanoTime() - c.startNanos);
        if (options.presence) {
            session.write("<presence/>");
        } else if (options.pattern == Options.Pattern.IDLE) {
            c.raw = true;
        }
    }

    private void online(LoadClient c, StanzaFrame frame) {
        switch (frame.localName()) {
            case "message" -> message(c, frame);
            case "presence" -> {
                metrics.otherStanzas.increment();
                if (options.pattern == Options.Pattern.IDLE) {
                    c.raw = true; // logged in and present: nothing more to parse
                }
            }
            case "iq" -> {
                metrics.otherStanzas.increment();
                String type = frame.attribute("type");
                if (("get".equals(type) || "set".equals(type)) && frame.asString().contains("urn:xmpp:ping")) {
                    // XEP-0199 from the CM's idle check: answer like any client.
                    String from = frame.attribute("from");
                    c.session.write("<iq type='result' id='" + attr(frame.attribute("id")) + "'"
                            + (from != null ? " to='" + attr(from) + "'" : "") + "/>");
                } else if ("get".equals(type) || "set".equals(type)) {
                    c.session.write("<iq type='error' id='" + attr(frame.attribute("id")) + "'><error type='cancel'>"
                            + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
                }
            }
            default -> {
                if (frame.is("error", XmlStreamFramer.STREAMS_NS)) {
                    fail(c, "stream-error", frame.asString());
                    c.session.closeNow();
                } else {
                    metrics.otherStanzas.increment();
                }
            }
        }
    }

    private void message(LoadClient c, StanzaFrame frame) {
        String id = frame.attribute("id");
        if ("error".equals(frame.attribute("type")) || id == null || id.length() < 2) {
            metrics.stanzaErrors.increment();
            return;
        }
        long stamp;
        try {
            stamp = Long.parseLong(id, 1, id.length(), 10);
        } catch (NumberFormatException e) {
            metrics.stanzaErrors.increment();
            return;
        }
        long now = nowStamp();
        metrics.delivered.increment();
        switch (id.charAt(0)) {
            case 'p' -> {
                Metrics.record(metrics.latency, now - stamp);
                send(c, c.index ^ 1, 'q', stamp);
            }
            case 'q' -> {
                Metrics.record(metrics.roundTrip, now - stamp);
                if (closedLoop) {
                    sendPing(c, now);
                }
            }
            case 'f' -> Metrics.record(metrics.latency, now - stamp);
            default -> metrics.stanzaErrors.increment();
        }
    }

    @Override
    public void event(IoSession session, FilterEvent event) {
        LoadClient c = LoadClient.of(session);
        if (c != null && event == SslEvent.SECURED && c.state == LoadClient.TLS_HANDSHAKE) {
            c.tlsDone = true;
            c.state = LoadClient.OPENING;
            restart(session);
        }
    }

    private void restart(IoSession session) {
        XmppCodec.restartStream(session); // before the header: the answer must meet a fresh parser
        session.write(header);
    }

    @Override
    public void sessionClosed(IoSession session) {
        LoadClient c = LoadClient.of(session);
        if (c != null) {
            fail(c, "closed", null);
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        LoadClient c = LoadClient.of(session);
        if (c != null) {
            fail(c, "exception", cause.toString());
        }
        session.closeNow();
    }

    /** A client's end, counted once: a login failure before ONLINE, a lost client after. */
    private void fail(LoadClient c, String reason, String detail) {
        int before = c.finish(LoadClient.DONE);
        if (before < 0) {
            return;
        }
        if (before == LoadClient.ONLINE) {
            metrics.online.decrementAndGet();
            metrics.lost.increment();
            metrics.fail("lost-" + reason, detail);
        } else {
            inflight.decrementAndGet();
            metrics.fail(reason, detail);
        }
        IoSession session = c.session;
        if (session != null && !"closed".equals(reason)) {
            session.closeNow();
        }
    }

    private SSLContext sslContext() {
        SSLContext context = sslContext;
        if (context == null) {
            context = GeneratorLayers.trustAll();
            sslContext = context;
        }
        return context;
    }

    private static String attr(String value) {
        return value == null ? "" : value.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;");
    }

    private static String text(StanzaFrame frame) {
        return new String(frame.bytes(), frame.contentStart(), frame.contentEnd() - frame.contentStart(),
                StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- end

    /** Ends every stream politely ({@code </stream:stream>}), waits up to {@code millis} for the sockets to close. */
    void closeAll(long millis) {
        for (LoadClient c : clients) {
            if (c == null) {
                continue;
            }
            int before = c.finish(LoadClient.CLOSING);
            if (before == LoadClient.ONLINE) {
                metrics.online.decrementAndGet();
            } else if (before >= 0) {
                inflight.decrementAndGet();
            }
            IoSession session = c.session;
            if (session != null && before >= 0) {
                session.write("</stream:stream>");
                session.closeOnFlush();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (connector.getManagedSessionCount() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000);
        }
    }

    @Override
    public void close() {
        keepalives.shutdownNow();
        connector.dispose(true); // waits for the I/O threads, which would otherwise log a closed selector
    }
}
