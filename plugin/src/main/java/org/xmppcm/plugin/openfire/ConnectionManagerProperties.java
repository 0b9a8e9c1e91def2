package org.xmppcm.plugin.openfire;

import java.util.Locale;
import org.jivesoftware.util.SystemProperty;
import org.xmppcm.engine.EngineSettings;
import org.xmppcm.plugin.core.LinkPolicy;
import org.xmppcm.plugin.core.ManagerSecrets;
import org.xmppcm.plugin.core.PropertyKeys;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * The plugin's settings as Openfire system properties (admin console: Server > Server Manager > System Properties,
 * filtered by plugin). {@link #PLUGIN_NAME} equals {@code plugin.xml}'s resolved {@code <name>}: Openfire removes a
 * plugin's properties by that name on unload, and reads their descriptions ({@code system_property.<key>}) from the
 * bundle named after it lower-cased without non-word characters, which is our {@code connectionmanager_i18n}.
 *
 * <p>A manager's own secret has a key built from its name ({@link ManagerSecrets#PER_MANAGER_PREFIX}), so it cannot
 * be a constant here; it is read with {@code JiveGlobals.getProperty}, which decrypts it, and must be written
 * encrypted.
 */
final class ConnectionManagerProperties {
    static final String PLUGIN_NAME = "Connection Manager";

    /**
     * Where connection managers connect. Read when the plugin starts; the settings page also rebinds the listener
     * when it changes the port (a change on the System Properties page takes effect at the next plugin reload).
     */
    static final SystemProperty<Integer> PORT = SystemProperty.Builder.ofType(Integer.class)
            .setKey(PropertyKeys.PORT)
            .setDefaultValue(EngineSettings.DEFAULT_PORT)
            .setMinValue(1)
            .setMaxValue(65535)
            .setDynamic(true)
            .setPlugin(PLUGIN_NAME)
            .build();

    /**
     * Where the listener binds: an IP address, or {@code *} for every interface. Unset, it binds where Openfire's own
     * listeners bind (Openfire's {@code network.interface}). Read when the listener starts (plugin load, port change).
     */
    static final SystemProperty<String> BIND_ADDRESS = SystemProperty.Builder.ofType(String.class)
            .setKey(PropertyKeys.BIND_ADDRESS)
            .setDefaultValue(null)
            .setDynamic(true)
            .setPlugin(PLUGIN_NAME)
            .build();

    /** The secret of every manager that has none of its own; unset means only managers with their own may connect. */
    static final SystemProperty<String> DEFAULT_SECRET = SystemProperty.Builder.ofType(String.class)
            .setKey(PropertyKeys.DEFAULT_SECRET)
            .setDefaultValue(null)
            .setEncrypted(true)
            .setDynamic(true)
            .setPlugin(PLUGIN_NAME)
            .build();

    /**
     * How long a manager link may send nothing before it is taken as lost; a manager sends at least a keepalive every
     * 30 s by default. Read for each new link.
     */
    static final SystemProperty<Integer> LINK_IDLE_SECONDS = SystemProperty.Builder.ofType(Integer.class)
            .setKey(PropertyKeys.LINK_IDLE_SECONDS)
            .setDefaultValue(90)
            .setMinValue(10)
            .setMaxValue(3600)
            .setDynamic(true)
            .setPlugin(PLUGIN_NAME)
            .build();

    /**
     * How long a manager's client sessions outlive its last link, pushed to managers as
     * {@code link.grace.seconds} so that they hold their clients as long; its range is the one they accept.
     */
    static final SystemProperty<Integer> GRACE_SECONDS = SystemProperty.Builder.ofType(Integer.class)
            .setKey(PropertyKeys.GRACE_SECONDS)
            .setDefaultValue(TuningParameter.GRACE_SECONDS.defaultValue())
            .setMinValue(TuningParameter.GRACE_SECONDS.min())
            .setMaxValue(TuningParameter.GRACE_SECONDS.max())
            .setDynamic(true)
            .setPlugin(PLUGIN_NAME)
            .build();

    /** The largest element a link may carry: a whole client stanza inside {@code <route>}. Read when the plugin starts. */
    static final SystemProperty<Integer> MAX_STANZA_BYTES = SystemProperty.Builder.ofType(Integer.class)
            .setKey(PropertyKeys.MAX_STANZA_BYTES)
            .setDefaultValue(1024 * 1024)
            .setMinValue(16 * 1024)
            .setMaxValue(64 * 1024 * 1024)
            .setDynamic(false)
            .setPlugin(PLUGIN_NAME)
            .build();

    private ConnectionManagerProperties() {
    }

    /** STARTTLS on manager links: {@code disabled}, {@code optional} or {@code required}; read for each new link. */
    static final SystemProperty<String> LINK_TLS_POLICY = SystemProperty.Builder.ofType(String.class)
            .setKey(PropertyKeys.LINK_TLS_POLICY)
            .setDefaultValue(LinkPolicy.DEFAULT_TLS.name().toLowerCase(Locale.ROOT))
            .setDynamic(true)
            .setPlugin(PLUGIN_NAME)
            .build();

    /** Whether zlib is offered on manager links; read for each new link. */
    static final SystemProperty<Boolean> LINK_COMPRESSION = SystemProperty.Builder.ofType(Boolean.class)
            .setKey(PropertyKeys.LINK_COMPRESSION)
            .setDefaultValue(true)
            .setDynamic(true)
            .setPlugin(PLUGIN_NAME)
            .build();
}
