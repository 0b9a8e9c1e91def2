package org.xmppcm.plugin.openfire;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;
import org.jivesoftware.util.PropertyEventDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.ConnectionManagerListener;
import org.xmppcm.engine.EngineSettings;
import org.xmppcm.plugin.core.Debouncer;
import org.xmppcm.plugin.core.PortConflicts;
import org.xmppcm.plugin.core.PortConflicts.BuiltInListener;
import org.xmppcm.plugin.core.WatchedProperties;

/**
 * Openfire's entry point into the plugin, named by {@code <class>} in {@code plugin.xml}. It only wires: the
 * {@link OpenfireHost}, the engine's {@link ConnectionManagerListener} on the configured port, and a property
 * listener that re-pushes the client configuration when Openfire's client settings change. {@link #destroyPlugin()}
 * undoes each, in reverse, whatever got built.
 */
public final class ConnectionManagerPlugin implements Plugin {
    /** Coalesces a burst of setting changes into one push; short enough for "within a second". */
    static final long PUSH_DELAY_MILLIS = 250;
    /** How long unloading waits for client sessions to finish closing in Openfire. */
    static final long SESSION_CLOSE_WAIT_MILLIS = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionManagerPlugin.class);

    private OpenfireHost host;
    private ConnectionManagerListener listener;
    private ScheduledExecutorService pushScheduler;
    private ClientSettingsWatcher watcher;

    /** Openfire instantiates plugins reflectively through this constructor. */
    public ConnectionManagerPlugin() {
    }

    @Override
    public synchronized void initializePlugin(PluginManager manager, File pluginDirectory) {
        int port = ConnectionManagerProperties.PORT.getValue();
        String portKey = ConnectionManagerProperties.PORT.getKey();
        List<BuiltInListener> builtIns = BuiltInListeners.read();
        Optional<String> conflict = PortConflicts.builtInConflict(port, portKey, builtIns);
        if (conflict.isPresent()) {
            LOG.error(conflict.get());
            return;
        }
        PortConflicts.builtInAlsoRunning(builtIns).ifPresent(LOG::warn);

        host = new OpenfireHost();
        EngineSettings engine = new EngineSettings(new InetSocketAddress(port),
                ConnectionManagerProperties.MAX_STANZA_BYTES.getValue());
        ConnectionManagerListener started = new ConnectionManagerListener(engine, host);
        try {
            started.start();
        } catch (IOException | RuntimeException e) {
            LOG.error(PortConflicts.bindFailed(port, portKey, String.valueOf(e.getMessage())), e);
            host.shutdown(0);
            host = null;
            return;
        }
        listener = started;

        pushScheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "connectionmanager-config-push");
            thread.setDaemon(true);
            return thread;
        });
        Debouncer push = new Debouncer((task, delay) -> pushScheduler.schedule(task, delay, TimeUnit.MILLISECONDS),
                PUSH_DELAY_MILLIS, started::pushConfiguration);
        watcher = new ClientSettingsWatcher(
                new WatchedProperties(Set.of(ConnectionManagerProperties.GRACE_SECONDS.getKey())), push);
        PropertyEventDispatcher.addListener(watcher);
        LOG.info("Connection Manager plugin loaded from {}: connection managers connect on port {}.",
                pluginDirectory, port);
    }

    @Override
    public synchronized void destroyPlugin() {
        // Openfire may call this after a failed or skipped initializePlugin: undo only what exists.
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
        LOG.info("Connection Manager plugin unloaded.");
    }
}
