package org.xmppcm.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.engine.testing.CmTestClient;

/** A host that records what the engine tells it; tests drive deliveries through the recorded channels. */
final class FakeHost implements HostServer {
    static final String DOMAIN = "example.test";
    static final String MANAGER = "cmtest";
    static final String SECRET = "s3cret";

    final Map<String, String> secrets = new ConcurrentHashMap<>(Map.of(MANAGER, SECRET, "othercm", "other"));
    final AtomicReference<ClientConfiguration> configuration = new AtomicReference<>(
            new ClientConfiguration(TlsPolicy.OPTIONAL, List.of("PLAIN", "SCRAM-SHA-1"), List.of("zlib"),
                    false, true, Map.of("max-clients", "100")));
    /** Sessions in the order they were opened. */
    final BlockingQueue<FakeSession> opened = new LinkedBlockingQueue<>();
    /** Every session ever opened, by stream id. */
    final Map<String, FakeSession> byStreamId = new ConcurrentHashMap<>();

    /** The grace period the engine asks for; zero unless a test sets it. */
    final AtomicReference<java.time.Duration> grace = new AtomicReference<>(java.time.Duration.ZERO);

    @Override
    public java.time.Duration sessionGracePeriod() {
        return grace.get();
    }

    /** The idle limit of links; the default unless a test sets it (read when a link connects). */
    final AtomicReference<java.time.Duration> idle = new AtomicReference<>(java.time.Duration.ofSeconds(90));

    @Override
    public java.time.Duration linkIdleTimeout() {
        return idle.get();
    }

    @Override
    public String domain() {
        return DOMAIN;
    }

    @Override
    public ClientConfiguration clientConfiguration() {
        return configuration.get();
    }

    @Override
    public Optional<String> managerSecret(String managerName) {
        return Optional.ofNullable(secrets.get(managerName));
    }

    @Override
    public FakeSession openSession(ClientDescriptor client, ClientChannel channel) {
        FakeSession session = new FakeSession(client, channel);
        byStreamId.put(client.streamId(), session);
        opened.add(session);
        return session;
    }

    FakeSession awaitOpened() throws InterruptedException {
        FakeSession session = opened.poll(CmTestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (session == null) {
            throw new AssertionError("no session was opened");
        }
        return session;
    }
}
