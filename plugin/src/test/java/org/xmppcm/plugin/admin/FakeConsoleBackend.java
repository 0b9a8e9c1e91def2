package org.xmppcm.plugin.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;

/** The plugin as the pages see it, in memory: changes are recorded and change what the pages show next. */
final class FakeConsoleBackend implements ConsoleBackend {
    volatile List<ConnectedManager> managers = List.of();
    volatile ListenerStatus listener = new ListenerStatus(5262, "*:5262", true, null);
    final List<SettingsChange> applied = new CopyOnWriteArrayList<>();
    /** A port Openfire's built-in listener holds: saving it leaves the listener not listening, as in the plugin. */
    volatile int builtInListenerPort = -1;
    private int port = 5262;
    private TlsPolicy linkTls = TlsPolicy.OPTIONAL;
    private boolean linkCompression = true;
    private boolean defaultSecret;
    private final TreeSet<String> managerSecrets = new TreeSet<>();
    private final Map<String, Integer> tuning = new TreeMap<>();

    @Override
    public List<ConnectedManager> managers() {
        return managers;
    }

    @Override
    public ListenerStatus listener() {
        return listener;
    }

    @Override
    public ClientConfiguration pushedConfiguration() {
        Map<String, String> pushed = new TreeMap<>();
        pushed.put("link.grace.seconds", "30");
        tuning.forEach((name, value) -> pushed.put(name, value.toString()));
        return new ClientConfiguration(TlsPolicy.REQUIRED, List.of("SCRAM-SHA-1", "PLAIN"), List.of("zlib"), false,
                true, pushed);
    }

    @Override
    public synchronized ConsoleSettings settings() {
        return new ConsoleSettings(port, defaultSecret, new ArrayList<>(managerSecrets), tuning, linkTls,
                linkCompression);
    }

    @Override
    public synchronized void apply(SettingsChange change) {
        applied.add(change);
        if (change instanceof SettingsChange.ListenerAndTuning c) {
            port = c.port();
            linkTls = c.linkTls();
            linkCompression = c.linkCompression();
            listener = port == builtInListenerPort
                    ? new ListenerStatus(port, "*:" + port, false, org.xmppcm.plugin.core.PortConflicts.builtInConflict(
                            port, "plugin.connectionmanager.port", List.of(new org.xmppcm.plugin.core.PortConflicts
                                    .BuiltInListener("plain/StartTLS", true, port, "xmpp.multiplex.socket.active")))
                            .orElseThrow())
                    : new ListenerStatus(port, "*:" + port, true, null);
            c.tuning().forEach((name, value) -> {
                if (value.isPresent()) {
                    tuning.put(name, value.get());
                } else {
                    tuning.remove(name);
                }
            });
        } else if (change instanceof SettingsChange.DefaultSecret c) {
            defaultSecret = c.secret() != null;
        } else if (change instanceof SettingsChange.ManagerSecret c) {
            if (c.secret() == null) {
                managerSecrets.remove(c.manager());
            } else {
                managerSecrets.add(c.manager());
            }
        }
    }

    /** Clients by manager, as the page lists them; closing one records it and takes it out. */
    final Map<String, List<ClientView>> clients = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> closedClients = new CopyOnWriteArrayList<>();

    @Override
    public Clients clients(String manager, String filter, int limit) {
        List<ClientView> matching = clients.getOrDefault(manager, List.of()).stream()
                .filter(c -> filter == null || filter.isBlank() || c.user().contains(filter)).toList();
        return new Clients(matching.subList(0, Math.min(limit, matching.size())), matching.size());
    }

    @Override
    public boolean closeClient(String manager, String streamId) {
        List<ClientView> of = clients.getOrDefault(manager, List.of());
        List<ClientView> rest = of.stream().filter(c -> !c.streamId().equals(streamId)).toList();
        clients.put(manager, rest);
        boolean closed = rest.size() < of.size();
        if (closed) {
            closedClients.add(manager + "/" + streamId);
        }
        return closed;
    }

    Optional<SettingsChange> lastApplied() {
        return applied.isEmpty() ? Optional.empty() : Optional.of(applied.get(applied.size() - 1));
    }
}
