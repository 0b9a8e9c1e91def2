package org.xmppcm.plugin.core;

import java.util.List;
import java.util.Optional;

/**
 * The log lines an administrator needs when the plugin cannot listen: which setting to change, not a bare
 * {@code BindException}. The usual cause is Openfire's own connection-manager listener, which also defaults to
 * port 5262.
 */
public final class PortConflicts {
    /**
     * One of Openfire's built-in connection-manager listeners as configured.
     *
     * @param description how the admin console calls it, e.g. "plain (StartTLS)"
     * @param enabled whether Openfire is configured to run it
     * @param port its configured port
     * @param enabledProperty the property that switches it off
     */
    public record BuiltInListener(String description, boolean enabled, int port, String enabledProperty) {
    }

    private PortConflicts() {
    }

    /** A message when an enabled built-in listener is configured on {@code port}; empty when none is. */
    public static Optional<String> builtInConflict(int port, String portProperty, List<BuiltInListener> builtIns) {
        for (BuiltInListener listener : builtIns) {
            if (listener.enabled() && listener.port() == port) {
                return Optional.of("Connection Manager plugin: not listening, because Openfire's built-in connection"
                        + " manager listener (" + listener.description() + ") is enabled on port " + port + ". Either"
                        + " disable it (admin console: Server > Server Settings > Connection Managers, or set the system"
                        + " property " + listener.enabledProperty() + " to false), or choose another port on the"
                        + " plugin's settings page (Server > Connection Manager Plugin > Plugin Settings; system property "
                        + portProperty + "). The plugin starts listening as soon as either is done.");
            }
        }
        return Optional.empty();
    }

    /** A message for any other failure to bind {@code port}. */
    public static String bindFailed(int port, String portProperty, String reason) {
        return "Connection Manager plugin: cannot listen on port " + port + " (" + reason + "). Another program, or"
                + " another Openfire listener, holds it. Choose a free port on the plugin's settings page (Server >"
                + " Connection Manager Plugin > Plugin Settings; system property " + portProperty + "): the listener"
                + " moves there at once.";
    }

    /** An informational note: a built-in listener runs next to ours (both accept managers, with different rules). */
    public static Optional<String> builtInAlsoRunning(List<BuiltInListener> builtIns) {
        for (BuiltInListener listener : builtIns) {
            if (listener.enabled()) {
                return Optional.of("Connection Manager plugin: Openfire's built-in connection manager listener ("
                        + listener.description() + ", port " + listener.port() + ") is enabled as well. Managers that"
                        + " connect to it get stock Openfire's behaviour, not this plugin's; set "
                        + listener.enabledProperty() + " to false unless that is intended.");
            }
        }
        return Optional.empty();
    }
}
