package org.xmppcm.plugin.openfire;

import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.Element;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.jivesoftware.openfire.spi.BasicStreamIDFactory;
import org.jivesoftware.util.JiveGlobals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.plugin.core.ClientConfigurations;
import org.xmppcm.plugin.core.IpLiterals;
import org.xmppcm.plugin.core.ManagerSecrets;
import org.xmppcm.protocol.machine.SerialLane;
import org.xmppcm.plugin.core.SessionTable;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TuningParameter;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Openfire as the engine's host: each client a connection manager announces becomes a real Openfire client session
 * over a {@link RoutedConnection}, created the way Openfire's own multiplexer creates them
 * ({@code SessionManager.createClientSession} with the manager's stream id, after Openfire's IP allow and block
 * lists). Secrets and the pushed configuration come from Openfire's settings, read on every call, so a change applies
 * to the next handshake or push without a restart.
 */
final class OpenfireHost implements HostServer {
    /** Threads doing Openfire's side of client input; Openfire's own client pool defaults to 16 as well. */
    static final int THREADS = 16;
    /**
     * Input a client may have waiting for Openfire before its link stops being read, until Openfire has worked it
     * down to a quarter: a burst slows the client down instead of ending it.
     */
    static final int PAUSE_INPUT_AT = 256;
    /**
     * A safety bound far above what can arrive once the link is paused (what was already decoded or queued for the
     * link); reaching it means the pause did not hold, and the client is ended with {@code resource-constraint}.
     */
    static final int MAX_PENDING_PER_CLIENT = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger(OpenfireHost.class);

    private final String domain;
    private final OpenfireClientSettings settings = new OpenfireClientSettings();
    private final ManagerSecrets secrets = new ManagerSecrets(JiveGlobals::getProperty,
            ConnectionManagerProperties.DEFAULT_SECRET::getValue);
    private final SessionTable<RoutedConnection> sessions = new SessionTable<>(c -> c.client().managerName());
    private final ThreadPoolExecutor pool;
    /** What every client's dispatcher shares: the pool and when its input pauses. */
    private final SerialLane.Limits dispatching;
    /** Made once for every connection: a method reference each would cost every client 16 bytes. */
    private final java.util.function.Consumer<RoutedConnection> whenEnded = this::ended;

    OpenfireHost() {
        this.domain = XMPPServer.getInstance().getServerInfo().getXMPPDomain();
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("connectionmanager-host-"));
        pool.allowCoreThreadTimeOut(true);
        this.dispatching = new SerialLane.Limits(pool, PAUSE_INPUT_AT, MAX_PENDING_PER_CLIENT);
    }

    @Override
    public String domain() {
        return domain;
    }

    /** The same period the CMs are told in their tuning, so both ends hold on equally long. */
    @Override
    public java.time.Duration sessionGracePeriod() {
        return TuningParameter.GRACE_SECONDS.duration(ConnectionManagerProperties.GRACE_SECONDS.getValue());
    }

    @Override
    public java.time.Duration linkIdleTimeout() {
        return java.time.Duration.ofSeconds(ConnectionManagerProperties.LINK_IDLE_SECONDS.getValue());
    }

    @Override
    public ClientConfiguration clientConfiguration() {
        return ClientConfigurations.from(settings.read());
    }

    @Override
    public Optional<String> managerSecret(String managerName) {
        return secrets.secretFor(managerName);
    }

    /** A message the CM reported after the session had ended: to offline storage (Openfire's own listener drops it). */
    @Override
    public void deliveryFailedAfterSessionEnd(Element stanza) {
        if ("message".equals(stanza.getName())) {
            OpenfireCalls.storeOffline(new org.xmpp.packet.Message(stanza.createCopy()));
        }
    }

    @Override
    public HostSession openSession(ClientDescriptor client, ClientChannel channel) {
        RoutedConnection connection = new RoutedConnection(client, channel, whenEnded);
        if (!sessions.add(client.streamId(), connection)) {
            LOG.warn("Refusing stream {} of manager {}: manager {} has a live client with that stream id",
                    client.streamId(), client.managerName(), sessions.managerOf(client.streamId()));
            channel.close(StreamErrorCondition.CONFLICT);
            return RefusedSession.INSTANCE;
        }
        try {
            // Openfire's IP lists need an address; a manager that reports none is not checked (as in stock Openfire).
            if (IpLiterals.parse(client.hostAddress()).isPresent() && !LocalClientSession.isAllowed(connection)) {
                LOG.info("Refusing {}: address {} is blocked or not allowed by Openfire", connection,
                        client.hostAddress());
                sessions.remove(client.streamId(), connection);
                channel.close(StreamErrorCondition.NOT_AUTHORIZED);
                return RefusedSession.INSTANCE;
            }
            LocalClientSession session = OpenfireCalls.createClientSession(connection,
                    BasicStreamIDFactory.createStreamID(client.streamId()));
            connection.carries(session);
            return new OpenfireClientSession(connection, session, dispatching);
        } catch (RuntimeException e) {
            sessions.remove(client.streamId(), connection);
            throw e; // the engine answers the create with internal-server-error
        }
    }

    /** The connection of the client {@code managerName} announced as {@code streamId}, or null. */
    RoutedConnection connection(String managerName, String streamId) {
        RoutedConnection connection = sessions.get(streamId);
        return connection != null && connection.client().managerName().equals(managerName) ? connection : null;
    }

    /**
     * Lets the sessions' pending work finish (the engine has ended them all by now, so each has its close queued)
     * and releases the threads.
     */
    void shutdown(long waitMillis) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("{} client session(s) still closing after {} ms; leaving them to Openfire",
                        sessions.size(), waitMillis);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void ended(RoutedConnection connection) {
        sessions.remove(connection.client().streamId(), connection);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(OpenfireCalls.OPENFIRE_LOADER); // see OpenfireCalls
            return thread;
        };
    }

    /** What {@link #openSession} returns for a refused client: its stream is already ended, so it ignores all. */
    private static final class RefusedSession implements HostSession {
        static final RefusedSession INSTANCE = new RefusedSession();

        @Override
        public void received(Element stanza) {
        }

        @Override
        public void closed() {
        }

        @Override
        public void deliveryFailed(Element stanza) {
        }
    }
}
