package org.xmppcm.engine;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.Handshake;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;

/**
 * Opening a link: the CM's stream header, our answer with a fresh stream id, the handshake, and
 * the greeting (handshake ack + configuration push).
 */
final class LinkNegotiator {
    private static final Logger LOG = LoggerFactory.getLogger(LinkNegotiator.class);

    private final HostServer host;
    private final ManagerRegistry registry;
    private final Ids ids;

    LinkNegotiator(HostServer host, ManagerRegistry registry, Ids ids) {
        this.host = host;
        this.registry = registry;
        this.ids = ids;
    }

    void onHeader(CmLink link, StreamOpen open) {
        String to = open.attribute("to");
        String managerName = to == null ? "" : managerName(to);
        if (!managerName.isEmpty()) {
            link.identify(to, managerName, open.namespaces());
        }
        if (!Namespaces.CONNECTION_MANAGER.equals(open.defaultNamespace())) {
            link.fail(StreamErrorCondition.INVALID_NAMESPACE, null, LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        if (managerName.isEmpty()) {
            // Unlike stock Openfire (bare header, silent close) the CM is told what was wrong.
            link.fail(StreamErrorCondition.IMPROPER_ADDRESSING, null, LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        if (host.managerSecret(managerName).isEmpty()) {
            LOG.warn("refused link {} from {}: no connection manager of that name is configured", to, link.remoteAddress());
            link.fail(StreamErrorCondition.HOST_UNKNOWN, null, LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        if (link.moveTo(LinkState.AWAIT_HANDSHAKE)) {
            link.sendHeader();
        }
    }

    /** {@code <handshake>} with its text (the digest) already extracted. */
    void onHandshake(CmLink link, String digest) {
        // Asked again here rather than remembered from the header: the secret may have just changed.
        Optional<String> secret = host.managerSecret(link.managerName());
        if (secret.isEmpty() || !Handshake.verify(digest, link.streamId(), secret.get())) {
            LOG.warn("connection manager link {} from {} failed the handshake", link.connection(), link.remoteAddress());
            link.fail(StreamErrorCondition.NOT_AUTHORIZED, null, LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        if (link.isAuthenticated()) {
            // A repeated handshake changes nothing; answer it like the first, as stock Openfire does.
            link.send(CmElements.handshakeAck());
            link.send(configurationIq(host.clientConfiguration()));
            return;
        }
        ManagerEntry manager = registry.entry(link.managerName());
        boolean attached = manager.attach(link, () -> {
            String configuration = configurationIq(host.clientConfiguration());
            if (!link.moveTo(LinkState.AUTHENTICATED)) {
                return false;
            }
            link.disarmNegotiationTimeout();
            link.send(CmElements.handshakeAck());
            link.send(configuration);
            return true;
        });
        if (attached) {
            LOG.info("connection manager link {} from {} authenticated", link.connection(), link.remoteAddress());
        } else if (link.state() != LinkState.CLOSED) {
            // Stock Openfire lets the newcomer silently take over the name and orphans the old
            // link; refusing keeps the live link's traffic where the CM expects it.
            LOG.warn("refused link {} from {}: a link of that name is already connected",
                    link.connection(), link.remoteAddress());
            link.fail(StreamErrorCondition.CONFLICT, null, LinkCloseReason.PROTOCOL_ERROR);
        }
    }

    String configurationIq(ClientConfiguration configuration) {
        return CmElements.configurationIq(ids.nextIqId(), configuration);
    }

    /** The manager's name: the link's {@code to} before the '/' (the rest names the connection). */
    static String managerName(String to) {
        int slash = to.indexOf('/');
        return (slash < 0 ? to : to.substring(0, slash)).trim();
    }
}
