package org.xmppcm.plugin.core;

import java.util.Collection;
import java.util.List;
import java.util.Map;

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
 * @param tuning our tuning values by parameter name ({@link PushedTuning}, {@link org.xmppcm.protocol.cm.TuningParameter})
 */
public record ClientSettings(String tlsPolicy, String compressionPolicy, Collection<String> mechanisms, boolean iqAuth,
                             boolean inbandRegistration, Map<String, Integer> tuning) {
    public ClientSettings {
        mechanisms = mechanisms == null ? List.of() : List.copyOf(mechanisms);
        tuning = Map.copyOf(tuning);
    }
}
