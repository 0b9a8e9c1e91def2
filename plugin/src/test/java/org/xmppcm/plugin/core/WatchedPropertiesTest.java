package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class WatchedPropertiesTest {
    private final WatchedProperties watched = new WatchedProperties(Set.of(PropertyKeys.GRACE_SECONDS));

    /** Verifies that the Openfire settings the pushed configuration is made of are watched. */
    @Test
    void clientSettingsAreWatched() {
        for (String key : new String[] {"xmpp.client.tls.policy", "xmpp.client.compression.policy", "sasl.mechs",
                "sasl.scram-sha-1.iteration-count", "xmpp.auth.anonymous", "xmpp.auth.iqauth", "register.inband",
                PropertyKeys.GRACE_SECONDS}) {
            assertThat(watched.affectsClientConfiguration(key)).as(key).isTrue();
        }
    }

    /** Verifies that unrelated settings, secrets and start-up-only settings do not cause a push. */
    @Test
    void otherSettingsAreNot() {
        for (String key : new String[] {null, "", "xmpp.domain", "xmpp.client.idle", "xmpp.socket.plain.port",
                "xmpp.multiplex.defaultSecret", PropertyKeys.DEFAULT_SECRET, PropertyKeys.PORT,
                PropertyKeys.MAX_STANZA_BYTES, ManagerSecrets.PER_MANAGER_PREFIX + "edge1", "saslx", "registered"}) {
            assertThat(watched.affectsClientConfiguration(key)).as(String.valueOf(key)).isFalse();
        }
    }
}
