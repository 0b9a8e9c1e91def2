package org.xmppcm.plugin.core;

import java.util.List;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * The keys of the plugin's Openfire system properties, kept apart from their typed definitions (which need a running
 * Openfire) so that tests can check that every key has a description in every language.
 */
public final class PropertyKeys {
    /** What every key of ours starts with. */
    public static final String PREFIX = "plugin.connectionmanager.";
    public static final String PORT = PREFIX + "port";
    /** An IP address, or {@code *} for every interface; unset: where Openfire's own listeners bind. */
    public static final String BIND_ADDRESS = PREFIX + "bind.address";
    public static final String DEFAULT_SECRET = PREFIX + "defaultSecret";
    public static final String GRACE_SECONDS = tuning(TuningParameter.GRACE_SECONDS);
    /** Seconds a manager link may send nothing before it counts as lost (half-open, or a frozen manager). */
    public static final String LINK_IDLE_SECONDS = PREFIX + "link.idle.seconds";
    public static final String MAX_STANZA_BYTES = PREFIX + "link.stanza.max.bytes";
    /** {@code disabled}, {@code optional} (default) or {@code required}: STARTTLS on manager links. */
    public static final String LINK_TLS_POLICY = PREFIX + "link.tls.policy";
    /** {@code true} (default) or {@code false}: zlib offered on manager links. */
    public static final String LINK_COMPRESSION = PREFIX + "link.compression";

    /** Every key defined as a typed property (per-manager secrets are not: their keys depend on the name). */
    public static final List<String> TYPED = List.of(PORT, BIND_ADDRESS, DEFAULT_SECRET, GRACE_SECONDS, LINK_IDLE_SECONDS,
            MAX_STANZA_BYTES, LINK_TLS_POLICY, LINK_COMPRESSION);

    private PropertyKeys() {
    }

    /** The property that holds a tuning value: our prefix and its name on the wire. */
    public static String tuning(TuningParameter parameter) {
        return PREFIX + parameter.wireName();
    }
}
