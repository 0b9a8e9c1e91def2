package org.xmppcm.demo;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * A DEMO XMPP server, in memory — not for production. It backs the connection manager's
 * {@code --demo} mode, where a person points a real client at the CM and chats, and the tests,
 * load runs and fault suite that need a server behind the engine: fixed accounts from a
 * properties file, SASL PLAIN and SCRAM-SHA-1, resource binding, a roster where everyone is
 * everyone's contact, presence, message routing with a bounded offline store, and a few server
 * IQs. Nothing is persisted; there is no federation, no registration, no privacy lists, no MUC.
 *
 * <p>Thread-safe and non-blocking: the only locks are short per-session and per-user monitors
 * held while handing stanzas to {@link ClientChannel#deliver}, which never blocks.
 */
public final class DemoHost implements HostServer {
    public static final String DEFAULT_DOMAIN = "localhost";
    public static final String DEFAULT_MANAGER_SECRET = "demo-secret";
    public static final int DEFAULT_MAX_SESSIONS = 100_000;
    public static final int DEFAULT_MAX_OFFLINE_MESSAGES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(DemoHost.class);

    private final String domain;
    private final UserStore users;
    private final String managerSecret;
    private final ClientConfiguration clientConfiguration;
    private final int maxSessions;
    private final AtomicInteger openSessions = new AtomicInteger();
    private final SessionRegistry registry;
    private final OfflineStore offline;
    private final PresenceRouter presences;
    private final MessageRouter messages;
    private final IqRouter iqs;

    private DemoHost(Builder builder) {
        Jid domainJid = Jid.parse(Objects.requireNonNull(builder.domain, "domain"));
        if (domainJid.local() != null || !domainJid.isBare()) {
            throw new IllegalArgumentException("not a domain: " + builder.domain);
        }
        if (builder.managerSecret == null || builder.managerSecret.isEmpty()) {
            throw new IllegalArgumentException("the manager secret must not be empty");
        }
        if (builder.maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions < 1");
        }
        this.domain = domainJid.domain();
        this.users = builder.users != null ? builder.users : UserStore.demoUsers();
        this.managerSecret = builder.managerSecret;
        this.clientConfiguration = demoClientConfiguration();
        this.maxSessions = builder.maxSessions;
        this.registry = new SessionRegistry(users);
        this.offline = new OfflineStore(builder.maxOfflineMessages, domain, builder.clock);
        this.presences = new PresenceRouter(domain, registry, offline);
        this.messages = new MessageRouter(domain, registry, offline);
        this.iqs = new IqRouter(domain, registry, new ServerIqHandler(new Roster(users, domain)));
        LOG.warn("Demo server — not for production: domain {}, {} users, everything in memory",
                domain, users.usernames().size());
    }

    /** The demo defaults: domain {@code localhost}, users alice/alice and bob/bob, secret {@code demo-secret}. */
    public static DemoHost withDemoDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What the demo offers clients through the CM: plain TCP (no STARTTLS in this slice),
     * SCRAM-SHA-1 then PLAIN, no compression, no iq-auth, no registration, no tuning.
     */
    public static ClientConfiguration demoClientConfiguration() {
        return new ClientConfiguration(TlsPolicy.DISABLED, List.of(ScramSha1Server.NAME, PlainMechanism.NAME),
                List.of(), false, false, Map.of());
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public ClientConfiguration clientConfiguration() {
        return clientConfiguration;
    }

    /** The same secret for every manager name: the demo trusts whoever knows it. */
    @Override
    public Optional<String> managerSecret(String managerName) {
        return Optional.of(managerSecret);
    }

    @Override
    public void deliveryFailedAfterSessionEnd(Element stanza) {
        if ("message".equals(stanza.getName())) {
            messages.redeliver(null, stanza.createCopy());
        }
    }

    @Override
    public HostSession openSession(ClientDescriptor client, ClientChannel channel) {
        int open;
        do {
            open = openSessions.get();
            if (open >= maxSessions) {
                LOG.warn("Demo server: {} sessions open, refusing stream {} of {}", open, client.streamId(),
                        client.managerName());
                channel.close(StreamErrorCondition.RESOURCE_CONSTRAINT);
                return RejectedSession.INSTANCE;
            }
        } while (!openSessions.compareAndSet(open, open + 1));
        DemoSession session = new DemoSession(this, client, channel);
        LOG.debug("Demo server: {} opened by {} for {}", session, client.managerName(), client.hostAddress());
        return session;
    }

    /** Sessions opened and not yet ended. */
    public int sessionCount() {
        return openSessions.get();
    }

    void sessionEnded(DemoSession session) {
        openSessions.decrementAndGet();
    }

    UserStore users() {
        return users;
    }

    SessionRegistry registry() {
        return registry;
    }

    OfflineStore offline() {
        return offline;
    }

    PresenceRouter presences() {
        return presences;
    }

    MessageRouter messages() {
        return messages;
    }

    IqRouter iqs() {
        return iqs;
    }

    /** Configures a {@link DemoHost}; every setting has the demo default. */
    public static final class Builder {
        private String domain = DEFAULT_DOMAIN;
        private UserStore users;
        private String managerSecret = DEFAULT_MANAGER_SECRET;
        private int maxSessions = DEFAULT_MAX_SESSIONS;
        private int maxOfflineMessages = DEFAULT_MAX_OFFLINE_MESSAGES;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /** Accounts as username → password (usernames are lower-cased). */
        public Builder users(Map<String, String> passwords) {
            this.users = UserStore.of(passwords);
            return this;
        }

        /** Accounts as {@code username=password} properties. */
        public Builder users(Properties passwords) {
            this.users = UserStore.of(passwords);
            return this;
        }

        /** Accounts from a UTF-8 properties file of {@code username=password} lines. */
        public Builder usersFile(Path file) {
            this.users = UserStore.load(file);
            return this;
        }

        /** The secret every CM must prove, whatever its name. */
        public Builder managerSecret(String secret) {
            this.managerSecret = secret;
            return this;
        }

        /** Open client sessions beyond which new ones are closed with {@code resource-constraint}. */
        public Builder maxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        /** Messages kept per offline user; more are refused with {@code service-unavailable}. */
        public Builder maxOfflineMessages(int maxOfflineMessages) {
            this.maxOfflineMessages = maxOfflineMessages;
            return this;
        }

        /** The clock stamping offline messages (tests). */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public DemoHost build() {
            return new DemoHost(this);
        }
    }

    /** What {@link #openSession} returns when full: its channel is already closed, so it ignores everything. */
    private static final class RejectedSession implements HostSession {
        static final RejectedSession INSTANCE = new RejectedSession();

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
