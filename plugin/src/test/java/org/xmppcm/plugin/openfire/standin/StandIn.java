package org.xmppcm.plugin.openfire.standin;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.io.IOException;
import javax.servlet.GenericServlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.dom4j.Element;
import org.jivesoftware.openfire.Connection;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.container.PluginManager;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.jivesoftware.openfire.spi.ConnectionListener;
import org.jivesoftware.openfire.spi.ConnectionType;
import org.jivesoftware.util.PropertyEventListener;
import org.xmpp.packet.Message;
import org.xmpp.packet.StreamError;

/**
 * The state behind the test stand-ins of Openfire's classes (same names as openfire-stub's, under
 * plugin/src/test/java; test classes precede the stub on surefire's class path, so they replace its throwing
 * bodies at run time while the main code stays compiled against the stub). The Openfire-named classes keep exactly
 * the stub's public members; everything a test configures or inspects is here. Call {@link #reset} before each test.
 */
public final class StandIn {
    /** What Openfire did with a routed client: {@code SessionManager.createClientSession(connection, id)}. */
    public record CreatedSession(Connection connection, String streamId, LocalClientSession session) {
    }

    /** One stanza handed to {@code SessionPacketRouter.route}. */
    public record Routed(LocalClientSession session, Element element) {
    }

    /** One {@code VirtualConnection.close(error)} that actually closed (the first per connection). */
    public record Closed(Connection connection, StreamError error) {
    }

    /** Openfire's BasicStreamID prints as its id. */
    public record Id(String id) implements StreamID {
        @Override
        public String toString() {
            return id;
        }
    }

    private static final Map<String, String> PROPERTIES = new ConcurrentHashMap<>();
    private static final Set<String> ENCRYPTED = ConcurrentHashMap.newKeySet();
    private static final List<PropertyEventListener> LISTENERS = new CopyOnWriteArrayList<>();
    private static final Map<String, GenericServlet> SERVLETS = new ConcurrentHashMap<>();
    private static final Map<String, ConnectionListener> BUILT_IN = new ConcurrentHashMap<>();
    private static final List<CreatedSession> SESSIONS = new CopyOnWriteArrayList<>();
    private static final List<Routed> ROUTED = new CopyOnWriteArrayList<>();
    private static final List<Closed> CLOSED = new CopyOnWriteArrayList<>();
    private static final List<Message> OFFLINE = new CopyOnWriteArrayList<>();
    private static final List<org.xmpp.packet.IQ> ROUTED_IQS = new CopyOnWriteArrayList<>();
    private static final List<Connection> ALLOW_CHECKS = new CopyOnWriteArrayList<>();
    private static final Set<String> IQ_NAMESPACES = ConcurrentHashMap.newKeySet();
    private static final Set<String> SASL = ConcurrentHashMap.newKeySet();

    private static volatile String domain;
    private static volatile Locale locale;
    private static volatile java.net.InetAddress networkInterface;
    private static volatile boolean inbandRegistration;
    private static volatile Predicate<Connection> allowed;
    private static volatile java.util.concurrent.CountDownLatch routingGate;
    private static volatile XMPPServer server;
    private static volatile SessionManager sessionManager;

    static {
        reset("example.test");
    }

    private StandIn() {
    }

    /**
     * Forgets everything and installs a fresh server for {@code xmppDomain}: a plain client listener on 5222 (TLS and
     * compression optional), Openfire's connection-manager listeners disabled, PLAIN SASL, iq:auth and in-band
     * registration off, every address allowed.
     */
    public static synchronized void reset(String xmppDomain) {
        PROPERTIES.clear();
        ENCRYPTED.clear();
        LISTENERS.clear();
        SERVLETS.clear();
        BUILT_IN.clear();
        SESSIONS.clear();
        ROUTED.clear();
        CLOSED.clear();
        OFFLINE.clear();
        ROUTED_IQS.clear();
        ALLOW_CHECKS.clear();
        IQ_NAMESPACES.clear();
        SASL.clear();
        SASL.add("PLAIN");
        domain = xmppDomain;
        locale = Locale.ENGLISH;
        networkInterface = null;
        inbandRegistration = false;
        allowed = connection -> true;
        routingGate = null;
        setListener(ConnectionType.SOCKET_C2S, false, true, 5222, Connection.TLSPolicy.optional,
                Connection.CompressionPolicy.optional);
        setListener(ConnectionType.CONNECTION_MANAGER, false, false, 5262, Connection.TLSPolicy.optional,
                Connection.CompressionPolicy.optional);
        setListener(ConnectionType.CONNECTION_MANAGER, true, false, 5263, Connection.TLSPolicy.directTLS,
                Connection.CompressionPolicy.optional);
        server = instantiate(XMPPServer.class);
        sessionManager = instantiate(SessionManager.class);
    }

    public static void reset() {
        reset("example.test");
    }

    // ---- configuration a test may change after reset

    /** What {@code ConnectionManager.getListener(type, directTls)} returns from now on. */
    public static void setListener(ConnectionType type, boolean directTls, boolean enabled, int port,
                                   Connection.TLSPolicy tls, Connection.CompressionPolicy compression) {
        // Openfire keeps the connection-manager listeners' state in these properties (ConnectionManagerImpl).
        boolean multiplex = type == ConnectionType.CONNECTION_MANAGER;
        String prefix = directTls ? "xmpp.multiplex.ssl." : "xmpp.multiplex.socket.";
        BUILT_IN.put(type + "/" + directTls, instantiate(ConnectionListener.class,
                new Class<?>[] {boolean.class, int.class, Connection.TLSPolicy.class,
                        Connection.CompressionPolicy.class, String.class, String.class}, enabled, port, tls, compression,
                multiplex ? prefix + "active" : null, multiplex ? prefix + "port" : null));
    }

    public static void setAllowed(Predicate<Connection> predicate) {
        allowed = Objects.requireNonNull(predicate);
    }

    public static void setInbandRegistration(boolean enabled) {
        inbandRegistration = enabled;
    }

    /** Openfire's {@code network.interface}: where all its listeners bind (null: every interface). */
    public static void setNetworkInterface(java.net.InetAddress address) {
        networkInterface = address;
    }

    public static java.net.InetAddress networkInterface() {
        return networkInterface;
    }

    public static void setLocale(Locale value) {
        locale = value;
    }

    public static PluginManager pluginManager() {
        return instantiate(PluginManager.class);
    }

    // ---- what the stand-ins read and record (public: they live in Openfire's packages)

    public static Map<String, String> properties() {
        return PROPERTIES;
    }

    /** Keys last written with {@code encrypt = true}. */
    public static Set<String> encryptedKeys() {
        return ENCRYPTED;
    }

    /** Stores and then tells every listener on the caller's thread, as Openfire's JiveGlobals does. */
    public static void setProperty(String name, String value, boolean encrypt) {
        if (value == null) {
            deleteProperty(name);
            return;
        }
        PROPERTIES.put(name, value);
        if (encrypt) {
            ENCRYPTED.add(name);
        } else {
            ENCRYPTED.remove(name);
        }
        Map<String, Object> params = Map.of("value", value);
        for (PropertyEventListener listener : LISTENERS) {
            listener.propertySet(name, params);
        }
    }

    public static void deleteProperty(String name) {
        PROPERTIES.remove(name);
        ENCRYPTED.remove(name);
        for (PropertyEventListener listener : LISTENERS) {
            listener.propertyDeleted(name, Map.of());
        }
    }

    public static List<PropertyEventListener> propertyListeners() {
        return LISTENERS;
    }

    /** Servlets registered through {@code PluginServlet}, by relative URL. */
    public static Map<String, GenericServlet> servlets() {
        return SERVLETS;
    }

    /**
     * Serves a request for a registered servlet as Openfire's {@code PluginServlet.service} does: it logs the
     * servlet's {@code getServletName()} first, which throws for a servlet that was never {@code init}ed.
     */
    public static void dispatch(String path, HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        GenericServlet servlet = SERVLETS.get(path);
        if (servlet == null) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        servlet.getServletName();
        servlet.service(request, response);
    }

    public static String domain() {
        return domain;
    }

    public static Locale locale() {
        return locale;
    }

    public static XMPPServer server() {
        return server;
    }

    public static SessionManager sessionManager() {
        return sessionManager;
    }

    public static ConnectionListener listener(ConnectionType type, boolean directTls) {
        return BUILT_IN.get(type + "/" + directTls);
    }

    public static Set<String> iqNamespaces() {
        return IQ_NAMESPACES;
    }

    public static Set<String> saslMechanisms() {
        return SASL;
    }

    public static boolean inbandRegistration() {
        return inbandRegistration;
    }

    public static boolean isAllowed(Connection connection) {
        ALLOW_CHECKS.add(connection);
        return allowed.test(connection);
    }

    /** Connections {@code LocalClientSession.isAllowed} was asked about. */
    public static List<Connection> allowChecks() {
        return ALLOW_CHECKS;
    }

    public static LocalClientSession createClientSession(Connection connection, StreamID id) {
        LocalClientSession session = instantiate(LocalClientSession.class);
        SESSIONS.add(new CreatedSession(connection, String.valueOf(id), session));
        return session;
    }

    /** The client of {@code session} bound {@code node@domain/resource}, as resource binding does in Openfire. */
    public static void bind(LocalClientSession session, String node, String resource) {
        try {
            java.lang.reflect.Method bind = LocalClientSession.class.getDeclaredMethod("bind", org.xmpp.packet.JID.class);
            bind.setAccessible(true);
            bind.invoke(session, new org.xmpp.packet.JID(node, domain, resource, true));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<CreatedSession> createdSessions() {
        return SESSIONS;
    }

    /**
     * Makes Openfire's routing wait until {@code gate} opens, as a busy server (database, offline storage) falls behind
     * a client that sends in a burst; null routes at once again.
     */
    public static void holdRouting(java.util.concurrent.CountDownLatch gate) {
        routingGate = gate;
    }

    /**
     * Openfire's PEP executor ({@code IQPEPHandler}): two threads started by whichever thread routes the first
     * available presence, and never stopped, so they keep what they inherited from it (context class loader, access
     * control context). Static and never reset, like Openfire's: it outlives every plugin load.
     */
    private static volatile java.util.concurrent.ExecutorService pepExecutor;

    private static void presenceRouted() {
        if (pepExecutor == null) {
            synchronized (StandIn.class) {
                if (pepExecutor == null) {
                    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2,
                            task -> {
                                Thread thread = new Thread(task, "pep-worker");
                                thread.setDaemon(true);
                                return thread;
                            });
                    pool.submit(() -> { }); // the threads start now, from the routing thread
                    pepExecutor = pool;
                }
            }
        }
    }

    /**
     * Runs {@code task} on a long-lived Openfire thread, as Openfire delivers to a client from its own threads (an admin
     * console message, a task engine timer). Never stopped, like Jetty's minimum pool.
     */
    public static void onOpenfireThread(Runnable task) throws InterruptedException {
        java.util.concurrent.ExecutorService pool = OPENFIRE_THREAD;
        try {
            pool.submit(task).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.concurrent.ExecutorService OPENFIRE_THREAD =
            java.util.concurrent.Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "openfire-deliverer");
                thread.setDaemon(true);
                return thread;
            });

    public static void routed(LocalClientSession session, Element element) {
        if ("presence".equals(element.getName())) {
            presenceRouted();
        }
        java.util.concurrent.CountDownLatch gate = routingGate;
        if (gate != null) {
            try {
                gate.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ROUTED.add(new Routed(session, element));
    }

    public static List<Routed> routed() {
        return ROUTED;
    }

    public static void closed(Connection connection, StreamError error) {
        CLOSED.add(new Closed(connection, error));
    }

    public static List<Closed> closed() {
        return CLOSED;
    }

    public static List<Message> storedOffline() {
        return OFFLINE;
    }

    /** IQs the plugin routed through Openfire's IQ router (errors for requests it could not deliver). */
    public static List<org.xmpp.packet.IQ> routedIqs() {
        return ROUTED_IQS;
    }

    /** Builds a stand-in through its private constructor, which the stub keeps private too. */
    public static <T> T instantiate(Class<T> type) {
        return instantiate(type, new Class<?>[0]);
    }

    public static <T> T instantiate(Class<T> type, Class<?>[] parameterTypes, Object... args) {
        try {
            Constructor<T> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build stand-in " + type.getName(), e);
        }
    }
}
