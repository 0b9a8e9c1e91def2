package org.xmppcm.plugin.openfire;

import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.spi.ConnectionListener;
import org.jivesoftware.openfire.spi.ConnectionType;
import org.jivesoftware.openfire.spi.EncryptionArtifactFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.LinkSecurity;
import org.xmppcm.plugin.core.LinkPolicy;

/**
 * What each new manager link is offered: the TLS policy and compression from the plugin's properties, and TLS with
 * the certificate Openfire keeps for the connection-manager connection type (Server > TLS/SSL Certificates), read
 * afresh for every link so a renewed certificate needs no reload.
 */
final class OpenfireLinkSecurity implements Supplier<LinkSecurity> {
    private static final Logger LOG = LoggerFactory.getLogger(OpenfireLinkSecurity.class);

    /** The last warning logged, so a manager retrying every few seconds does not repeat it at WARN. */
    private volatile String lastWarning;

    @Override
    public LinkSecurity get() {
        return LinkPolicy.decide(LinkPolicy.tlsPolicy(ConnectionManagerProperties.LINK_TLS_POLICY.getValue()),
                ConnectionManagerProperties.LINK_COMPRESSION.getValue(), OpenfireLinkSecurity::tlsContext, this::warn);
    }

    private static Optional<SSLContext> tlsContext() {
        ConnectionListener listener = XMPPServer.getInstance().getConnectionManager()
                .getListener(ConnectionType.CONNECTION_MANAGER, false);
        if (listener == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EncryptionArtifactFactory(listener.generateConnectionConfiguration()).getSSLContext());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void warn(String message) {
        if (message.equals(lastWarning)) {
            LOG.debug(message);
        } else {
            lastWarning = message;
            LOG.warn(message);
        }
    }
}
