package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmppcm.plugin.core.PortConflicts.BuiltInListener;

class PortConflictsTest {
    private static final BuiltInListener PLAIN_ON_5262 =
            new BuiltInListener("plain/StartTLS", true, 5262, "xmpp.multiplex.socket.active");
    private static final BuiltInListener TLS_ON_5263 =
            new BuiltInListener("Direct TLS", true, 5263, "xmpp.multiplex.ssl.active");

    /** Verifies that an enabled built-in listener on our port is named, with both ways out. */
    @Test
    void namesTheBuiltInListenerOnOurPort() {
        // Execute system under test.
        final String message = PortConflicts.builtInConflict(5262, PropertyKeys.PORT, List.of(PLAIN_ON_5262))
                .orElseThrow();

        // Verify results.
        assertThat(message).contains("port 5262", "plain/StartTLS", "xmpp.multiplex.socket.active",
                PropertyKeys.PORT, "Connection Managers");
    }

    /** Verifies that disabled built-in listeners, or ones on other ports, are no conflict. */
    @Test
    void noConflictWhenDisabledOrElsewhere() {
        final BuiltInListener disabled = new BuiltInListener("plain/StartTLS", false, 5262, "xmpp.multiplex.socket.active");

        assertThat(PortConflicts.builtInConflict(5262, PropertyKeys.PORT, List.of(disabled, TLS_ON_5263))).isEmpty();
        assertThat(PortConflicts.builtInConflict(5263, PropertyKeys.PORT, List.of(TLS_ON_5263)))
                .hasValueSatisfying(m -> assertThat(m).contains("Direct TLS", "xmpp.multiplex.ssl.active"));
        assertThat(PortConflicts.builtInConflict(5262, PropertyKeys.PORT, List.of())).isEmpty();
    }

    /** Verifies that any other bind failure still names the setting to change. */
    @Test
    void bindFailureNamesOurSetting() {
        assertThat(PortConflicts.bindFailed(5262, PropertyKeys.PORT, "Address already in use"))
                .contains("5262", "Address already in use", PropertyKeys.PORT);
    }

    /** Verifies that a built-in listener running next to ours is pointed out, and silence when none runs. */
    @Test
    void notesABuiltInListenerRunningAlongside() {
        assertThat(PortConflicts.builtInAlsoRunning(List.of(TLS_ON_5263)))
                .hasValueSatisfying(m -> assertThat(m).contains("5263", "xmpp.multiplex.ssl.active"));
        assertThat(PortConflicts.builtInAlsoRunning(List.of(
                new BuiltInListener("plain/StartTLS", false, 5262, "xmpp.multiplex.socket.active")))).isEmpty();
    }
}
