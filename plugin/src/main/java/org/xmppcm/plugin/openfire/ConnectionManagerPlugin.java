package org.xmppcm.plugin.openfire;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.servlet.GenericServlet;
import javax.servlet.ServletException;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;
import org.jivesoftware.openfire.container.PluginServlet;
import org.jivesoftware.util.JiveGlobals;
import org.jivesoftware.util.PropertyEventDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.ConnectedClient;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.engine.ConnectionManagerListener;
import org.xmppcm.engine.EngineSettings;
import org.xmppcm.plugin.admin.ConsoleServlets;
import org.xmppcm.plugin.admin.ListenerStatus;
import org.xmppcm.plugin.admin.ManagersServlet;
import org.xmppcm.plugin.admin.Messages;
import org.xmppcm.plugin.admin.SettingsServlet;
import org.xmppcm.plugin.core.BindAddress;
import org.xmppcm.plugin.core.Debouncer;
import org.xmppcm.plugin.core.PortConflicts;
import org.xmppcm.plugin.core.PortConflicts.BuiltInListener;
import org.xmppcm.plugin.core.PropertyKeys;
import org.xmppcm.plugin.core.WatchedProperties;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * Openfire's entry point into the plugin, named by {@code <class>} in {@code plugin.xml}. It only wires: the
 * {@link OpenfireHost}, the engine's {@link ConnectionManagerListener} on the configured port, a property listener
 * that re-pushes the client configuration when Openfire's client settings change, and the admin console pages.
 * {@link #destroyPlugin()} undoes each, in reverse, whatever got built. The pages come up even when the listener
 * cannot, so that they can say why and take a new port.
 */
public final class ConnectionManagerPlugin implements Plugin {
    /** Coalesces a burst of setting changes into one push; short enough for "within a second". */
    static final long PUSH_DELAY_MILLIS = 250;
    /** How long unloading waits for client sessions to finish closing in Openfire. */
    static final long SESSION_CLOSE_WAIT_MILLIS = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionManagerPlugin.class);

    private OpenfireHost host;
    private ConnectionManagerListener listener;
    private ListenerStatus status = new ListenerStatus(0, "*:0", false, null);
    private ScheduledExecutorService pushScheduler;
    private ClientSettingsWatcher watcher;
    private final Map<String, GenericServlet> servlets = new LinkedHashMap<>();
    private final OpenfireLinkSecurity linkSecurity = new OpenfireLinkSecurity();

    /** Openfire instantiates plugins reflectively through this constructor. */
    public ConnectionManagerPlugin() {
    }

    /**
     * Openfire calls this with the plugin's class loader as the thread's context class loader; every thread started from
     * here (the listener's MINA threads, the engine's and the host's) would inherit it, and so would the Openfire threads
     * those start lazily, holding the plugin after it is unloaded. So the plugin starts with Openfire's (see
     * {@link OpenfireCalls}).
     */
    @Override
    public synchronized void initializePlugin(PluginManager manager, File pluginDirectory) {
        Thread current = Thread.currentThread();
        ClassLoader given = current.getContextClassLoader();
        current.setContextClassLoader(OpenfireCalls.OPENFIRE_LOADER);
        try {
            initialize(manager, pluginDirectory);
        } finally {
            current.setContextClassLoader(given);
        }
    }

    private void initialize(PluginManager manager, File pluginDirectory) {
        host = new OpenfireHost();
        int port = ConnectionManagerProperties.PORT.getValue();
        listen(port);

        pushScheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "connectionmanager-config-push");
            thread.setDaemon(true);
            thread.setContextClassLoader(OpenfireCalls.OPENFIRE_LOADER);
            return thread;
        });
        Debouncer.Scheduler later = (task, delay) -> pushScheduler.schedule(task, delay, TimeUnit.MILLISECONDS);
        Debouncer push = new Debouncer(later, PUSH_DELAY_MILLIS, this::pushConfiguration);
        Debouncer relisten = new Debouncer(later, PUSH_DELAY_MILLIS, this::listenIfNotListening);
        watcher = new ClientSettingsWatcher(
                new WatchedProperties(Arrays.stream(TuningParameter.values()).map(PropertyKeys::tuning)
                        .collect(Collectors.toSet())), push, relisten);
        PropertyEventDispatcher.addListener(watcher);
        registerAdminPages(manager);
        LOG.info("Connection Manager plugin loaded from {}.", pluginDirectory);
    }

    /**
     * Starts the listener on {@code port}, where Openfire's own listeners bind unless the bind-address property says
     * otherwise, recording why not when it cannot.
     */
    private void listen(int port) {
        String portKey = ConnectionManagerProperties.PORT.getKey();
        Optional<InetAddress> bind;
        try {
            bind = BindAddress.choose(ConnectionManagerProperties.BIND_ADDRESS.getValue(), BuiltInListeners.bindAddress());
        } catch (UnknownHostException e) {
            String message = "Connection Manager plugin: not listening, because the system property "
                    + ConnectionManagerProperties.BIND_ADDRESS.getKey() + " is unusable: " + e.getMessage();
            LOG.error(message);
            status = new ListenerStatus(port, ConnectionManagerProperties.BIND_ADDRESS.getValue().strip() + ":" + port,
                    false, message);
            return;
        }
        String address = BindAddress.describe(bind, port);
        List<BuiltInListener> builtIns = BuiltInListeners.read();
        Optional<String> conflict = PortConflicts.builtInConflict(port, portKey, builtIns);
        if (conflict.isPresent()) {
            LOG.error(conflict.get());
            status = new ListenerStatus(port, address, false, conflict.get());
            return;
        }
        PortConflicts.builtInAlsoRunning(builtIns).ifPresent(LOG::warn);
        EngineSettings engine = new EngineSettings(
                bind.map(a -> new InetSocketAddress(a, port)).orElseGet(() -> new InetSocketAddress(port)),
                ConnectionManagerProperties.MAX_STANZA_BYTES.getValue(), linkSecurity);
        ConnectionManagerListener started = new ConnectionManagerListener(engine, host);
        try {
            started.start();
        } catch (IOException | RuntimeException e) {
            String message = PortConflicts.bindFailed(port, portKey, String.valueOf(e.getMessage()));
            LOG.error(message, e);
            status = new ListenerStatus(port, address, false, message);
            return;
        }
        listener = started;
        status = new ListenerStatus(port, address, true, null);
        LOG.info("Connection managers connect on {}.", address);
    }

    /**
     * Moves the listener to {@code port}: managers on the old one get {@code system-shutdown} and their sessions the
     * grace period, in which they can reconnect to the new port.
     */
    synchronized void rebind(int port) {
        if (host == null) {
            return; // unloading
        }
        if (listener != null) {
            listener.stop();
            listener = null;
        }
        listen(port);
    }

    /**
     * A setting that kept the listener from starting changed (Openfire's built-in listener was disabled or moved, the
     * bind address was corrected): it starts now, with no reload. A running listener is left alone.
     */
    private synchronized void listenIfNotListening() {
        if (host != null && listener == null) {
            listen(ConnectionManagerProperties.PORT.getValue());
        }
    }

    synchronized ListenerStatus listenerStatus() {
        return status;
    }

    synchronized List<ConnectedManager> managers() {
        return listener == null ? List.of() : listener.managers();
    }

    synchronized List<ConnectedClient> clients(String managerName) {
        return listener == null ? List.of() : listener.clients(managerName);
    }

    private synchronized void pushConfiguration() {
        if (listener != null) {
            listener.pushConfiguration();
        }
    }

    private void registerAdminPages(PluginManager manager) {
        OpenfireConsoleBackend backend = new OpenfireConsoleBackend(this, host);
        ClassLoader loader = getClass().getClassLoader();
        // The admin console's language, as Openfire's own pages use it.
        Supplier<Messages> messages = () -> Messages.forLocale(JiveGlobals.getLocale(), loader);
        register(manager, new ManagersServlet(backend, messages, Instant::now), ConsoleServlets.MANAGERS_PATH);
        register(manager, new SettingsServlet(backend, messages), ConsoleServlets.SETTINGS_PATH);
    }

    private void register(PluginManager manager, GenericServlet servlet, String path) {
        try {
            servlet.init(new NamedServletConfig("connectionmanager" + path));
            PluginServlet.registerServlet(manager, this, servlet, path);
            servlets.put(path, servlet);
        } catch (ServletException | RuntimeException e) {
            LOG.error("Cannot register the admin page {}", path, e);
        }
    }

    @Override
    public synchronized void destroyPlugin() {
        // Openfire may call this after a failed or partial initializePlugin: undo only what exists.
        servlets.forEach((path, servlet) -> {
            try {
                PluginServlet.unregisterServlet(this, path);
            } catch (ServletException | RuntimeException e) {
                LOG.warn("Cannot unregister the admin page {}", path, e);
            }
            servlet.destroy(); // Openfire's unregisterServlet leaves that to us
        });
        servlets.clear();
        if (watcher != null) {
            PropertyEventDispatcher.removeListener(watcher);
            watcher = null;
        }
        if (pushScheduler != null) {
            pushScheduler.shutdownNow();
            pushScheduler = null;
        }
        if (listener != null) {
            listener.stop(); // system-shutdown on every link, then every client session ends
            listener = null;
        }
        if (host != null) {
            host.shutdown(SESSION_CLOSE_WAIT_MILLIS);
            host = null;
        }
        RecordMethodCaches.release();
        LOG.info("Connection Manager plugin unloaded.");
    }
}
