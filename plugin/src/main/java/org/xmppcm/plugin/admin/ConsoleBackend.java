package org.xmppcm.plugin.admin;

import java.util.List;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.protocol.cm.ClientConfiguration;

/**
 * What the admin pages read and change, so that they need no Openfire class: the plugin implements it over Openfire,
 * tests over memory.
 */
public interface ConsoleBackend {
    /** The connected managers, by name. */
    List<ConnectedManager> managers();

    /** Whether the plugin's listener runs, on which port, or why not. */
    ListenerStatus listener();

    /** The client configuration managers are given now (Openfire's client settings and our tuning). */
    ClientConfiguration pushedConfiguration();

    /** The settings as stored. Secrets are never read back: only whether one is set. */
    ConsoleSettings settings();

    /** Clients found for the list: at most the number asked for, sorted by user, and how many matched in all. */
    record Clients(List<ClientView> shown, int matching) {
        public Clients {
            shown = List.copyOf(shown);
        }
    }

    /**
     * The clients {@code manager} carries whose user, address or stream id contains {@code filter} (ignoring case;
     * null or blank: all), sorted by user, at most {@code limit} of them.
     */
    Clients clients(String manager, String filter, int limit);

    /**
     * Closes one client of {@code manager} as Openfire's Sessions page closes a session (contacts see it go, the
     * manager closes its socket). False when no such client is there (any more).
     */
    boolean closeClient(String manager, String streamId);

    /**
     * Stores and applies a validated change: a new port rebinds the listener, new tuning is pushed to every connected
     * manager, a new secret applies from the next handshake.
     */
    void apply(SettingsChange change);
}
