package org.xmppcm.plugin.openfire;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.jivesoftware.util.JiveGlobals;
import org.xmpp.packet.JID;
import org.xmppcm.engine.ConnectedClient;
import org.xmppcm.plugin.admin.ClientView;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.plugin.admin.ConsoleBackend;
import org.xmppcm.plugin.admin.ConsoleSettings;
import org.xmppcm.plugin.admin.ListenerStatus;
import org.xmppcm.plugin.admin.SettingsChange;
import org.xmppcm.plugin.core.LinkPolicy;
import org.xmppcm.plugin.core.ManagerSecrets;
import org.xmppcm.plugin.core.PropertyKeys;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * The admin pages' view of the running plugin, over Openfire's properties. Writing a property is all a change needs to
 * take effect: the plugin's property listener pushes new tuning to every manager, and secrets are read at each
 * handshake. Only the port needs the plugin to rebind its listener.
 */
final class OpenfireConsoleBackend implements ConsoleBackend {
    private final ConnectionManagerPlugin plugin;
    private final OpenfireHost host;

    OpenfireConsoleBackend(ConnectionManagerPlugin plugin, OpenfireHost host) {
        this.plugin = plugin;
        this.host = host;
    }

    @Override
    public List<ConnectedManager> managers() {
        return plugin.managers();
    }

    @Override
    public Clients clients(String manager, String filter, int limit) {
        String needle = filter == null ? "" : filter.strip().toLowerCase(Locale.ROOT);
        List<ClientView> matching = new ArrayList<>();
        for (ConnectedClient client : plugin.clients(manager)) {
            RoutedConnection connection = host.connection(manager, client.streamId());
            LocalClientSession session = connection == null ? null : connection.session();
            if (session == null) {
                continue; // being created, or already closing
            }
            JID address = session.getAddress();
            ClientView view = new ClientView(client.streamId(), address == null ? "" : address.toString(),
                    client.hostAddress(), client.link(), client.since(), session.getNumClientPackets(),
                    session.getNumServerPackets());
            if (needle.isEmpty() || contains(view.user(), needle) || contains(view.address(), needle)
                    || contains(view.streamId(), needle)) {
                matching.add(view);
            }
        }
        matching.sort(Comparator.comparing(ClientView::user).thenComparing(ClientView::streamId));
        return new Clients(matching.subList(0, Math.min(limit, matching.size())), matching.size());
    }

    private static boolean contains(String value, String lowerCaseNeedle) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(lowerCaseNeedle);
    }

    @Override
    public boolean closeClient(String manager, String streamId) {
        RoutedConnection connection = host.connection(manager, streamId);
        if (connection == null) {
            return false;
        }
        // As Openfire's Sessions page closes a session: no stream error of its own (the client gets policy-violation).
        OpenfireCalls.close(connection, null);
        return true;
    }

    @Override
    public ListenerStatus listener() {
        return plugin.listenerStatus();
    }

    @Override
    public ClientConfiguration pushedConfiguration() {
        return host.clientConfiguration();
    }

    @Override
    public ConsoleSettings settings() {
        String defaultSecret = ConnectionManagerProperties.DEFAULT_SECRET.getValue();
        List<String> withSecret = JiveGlobals.getPropertyNames().stream()
                .filter(key -> key.startsWith(ManagerSecrets.PER_MANAGER_PREFIX))
                .filter(key -> isSet(JiveGlobals.getProperty(key)))
                .map(key -> key.substring(ManagerSecrets.PER_MANAGER_PREFIX.length()))
                .sorted()
                .toList();
        Map<String, Integer> tuning = new LinkedHashMap<>();
        for (TuningParameter parameter : TuningParameter.values()) {
            parameter.parse(JiveGlobals.getProperty(PropertyKeys.tuning(parameter)))
                    .ifPresent(value -> tuning.put(parameter.wireName(), value));
        }
        return new ConsoleSettings(ConnectionManagerProperties.PORT.getValue(), isSet(defaultSecret), withSecret,
                tuning, LinkPolicy.tlsPolicy(ConnectionManagerProperties.LINK_TLS_POLICY.getValue()),
                ConnectionManagerProperties.LINK_COMPRESSION.getValue());
    }

    @Override
    public void apply(SettingsChange change) {
        if (change instanceof SettingsChange.ListenerAndTuning c) {
            // Tuning first: when the port changes too, managers reconnecting to the new port get the new values.
            c.tuning().forEach(this::storeTuning);
            JiveGlobals.setProperty(ConnectionManagerProperties.LINK_TLS_POLICY.getKey(),
                    c.linkTls().name().toLowerCase(Locale.ROOT));
            JiveGlobals.setProperty(ConnectionManagerProperties.LINK_COMPRESSION.getKey(),
                    Boolean.toString(c.linkCompression()));
            if (c.port() != ConnectionManagerProperties.PORT.getValue()) {
                JiveGlobals.setProperty(ConnectionManagerProperties.PORT.getKey(), Integer.toString(c.port()));
                plugin.rebind(c.port());
            }
        } else if (change instanceof SettingsChange.DefaultSecret c) {
            store(ConnectionManagerProperties.DEFAULT_SECRET.getKey(), c.secret());
        } else if (change instanceof SettingsChange.ManagerSecret c) {
            ManagerSecrets.propertyKey(c.manager()).ifPresent(key -> store(key, c.secret()));
        }
    }

    private void storeTuning(String name, Optional<Integer> value) {
        String key = PropertyKeys.tuning(TuningParameter.named(name).orElseThrow());
        if (value.isPresent()) {
            JiveGlobals.setProperty(key, Integer.toString(value.get()));
        } else {
            JiveGlobals.deleteProperty(key);
        }
    }

    /** Secrets are stored encrypted, like every secret Openfire keeps in its database. */
    private static void store(String key, String secret) {
        if (secret == null) {
            JiveGlobals.deleteProperty(key);
        } else {
            JiveGlobals.setProperty(key, secret, true);
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
