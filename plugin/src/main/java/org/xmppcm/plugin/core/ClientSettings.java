package org.xmppcm.plugin.core;

import java.util.Collection;
import java.util.List;

/**
 * Openfire's client settings as read, before any mapping: the values the configuration pushed to connection managers
 * is derived from ({@link ClientConfigurations}).
 *
 * @param tlsPolicy the name of the client listener's {@code Connection.TLSPolicy} ({@code required}, {@code optional},
 *        {@code disabled}, {@code directTLS}), or null when Openfire has no such listener
 * @param compressionPolicy the name of its {@code Connection.CompressionPolicy} ({@code optional}, {@code disabled}),
 *        or null
 * @param mechanisms the SASL mechanisms Openfire supports for clients, in no particular order
 * @param iqAuth whether Openfire handles non-SASL authentication ({@code jabber:iq:auth})
 * @param inbandRegistration whether in-band registration is enabled
 * @param graceSeconds how long the plugin keeps a manager's sessions after its last link dropped
 */
public record ClientSettings(String tlsPolicy, String compressionPolicy, Collection<String> mechanisms, boolean iqAuth,
                             boolean inbandRegistration, int graceSeconds) {
    public ClientSettings {
        mechanisms = mechanisms == null ? List.of() : List.copyOf(mechanisms);
        if (graceSeconds < 0) {
            throw new IllegalArgumentException("graceSeconds < 0: " + graceSeconds);
        }
    }
}
