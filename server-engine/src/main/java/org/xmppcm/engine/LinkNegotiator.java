package org.xmppcm.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.Handshake;
import org.xmppcm.protocol.cm.ManagerInstance;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;

/**
 * Opening a link: the CM's stream header, our answer with a fresh stream id and the features the
 * link's {@link LinkSecurity} offers, STARTTLS (RFC 6120 5) and zlib (XEP-0138) with their stream
 * restarts, the handshake, and the greeting (handshake ack + configuration push). What stock
 * Openfire does on its connection manager port, plus compression.
 */
final class LinkNegotiator {
    private static final Logger LOG = LoggerFactory.getLogger(LinkNegotiator.class);

    /** The stream error text a throttled address gets (the condition alone does not say what to wait for). */
    private static final String THROTTLED_TEXT = "Too many failed handshakes for this manager from this address; they are"
            + " throttled,"
            + " try again later";

    private final HostServer host;
    private final ManagerRegistry registry;
    private final Ids ids;
    private final HandshakeThrottle<ThrottleKey> throttle;

    /**
     * Whom failed attempts are counted against: the CM's address (without the port: each guess comes on a new
     * connection) and the manager name it tried, so that a manager with a wrong secret, retrying forever, cannot lock
     * out the correctly configured managers on the same host. Every unknown name of an address shares one count
     * ({@code manager} null), so probing for names is throttled like guessing a secret.
     */
    record ThrottleKey(InetAddress address, String manager) {
        static ThrottleKey of(CmLink link, String manager) {
            InetAddress ip = remoteIp(link);
            return ip == null ? null : new ThrottleKey(ip, manager);
        }
    }

    LinkNegotiator(HostServer host, ManagerRegistry registry, Ids ids, HandshakeThrottle<ThrottleKey> throttle) {
        this.host = host;
        this.registry = registry;
        this.ids = ids;
        this.throttle = throttle;
    }

    void onHeader(CmLink link, StreamOpen open) {
        String to = open.attribute("to");
        String managerName = to == null ? "" : managerName(to);
        if (!managerName.isEmpty()) {
            link.identify(to, managerName, open.namespaces(),
                    ManagerInstance.parse(open.attribute(Namespaces.LINK, ManagerInstance.ATTRIBUTE)).orElse(null));
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
            // Probing for manager names is guessing too: counted and logged like a wrong digest, so a scan costs a
            // couple of log lines and then blocks the address's handshakes.
            unknownName(link, to, ThrottleKey.of(link, null));
            link.fail(StreamErrorCondition.HOST_UNKNOWN, null, LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        link.answerHeader();
    }

    /**
     * The CM's header of the stream restarted after {@code <proceed/>} or {@code <compressed/>}: answered with
     * the new stream id (the one the handshake digest must use) and what is still on offer.
     */
    void onRestartHeader(CmLink link, StreamOpen open) {
        if (!Namespaces.CONNECTION_MANAGER.equals(open.defaultNamespace())) {
            link.fail(StreamErrorCondition.INVALID_NAMESPACE, null, LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        if (!link.connection().equals(open.attribute("to"))) {
            // The link was named by its first header; a restart does not rename it.
            link.fail(StreamErrorCondition.IMPROPER_ADDRESSING, "the restarted stream must address " + link.connection(),
                    LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        link.answerRestartHeader(open.namespaces());
    }

    /** {@code <starttls/>}: {@code <proceed/>} and TLS when offered, otherwise failure and close (RFC 6120 5.4.2). */
    void onStartTls(CmLink link) {
        if (link.startTls(ids.nextStreamId())) {
            LOG.debug("connection manager link {} starts TLS", link);
        } else {
            LOG.warn("connection manager link {} asked for STARTTLS, which was not offered", link);
            link.refuseTls();
        }
    }

    /**
     * {@code <compress>}: zlib when offered; XEP-0138 failures otherwise, after which the stream goes on
     * uncompressed. "Not offered" is answered first, whatever the method.
     *
     * @param method the first {@code <method>}'s text, or null
     */
    void onCompress(CmLink link, String method) {
        if (!link.offersCompression()) {
            link.refuseCompression("setup-failed");
        } else if (!"zlib".equals(method)) {
            link.refuseCompression("unsupported-method");
        } else if (link.startCompression(ids.nextStreamId())) {
            LOG.debug("connection manager link {} starts zlib compression", link);
        }
        // else: the link closed in between; nothing more to say on it.
    }

    /**
     * {@code <handshake>} with its text (the digest) already extracted; {@code acks}: the CM takes our offer of
     * acknowledgements (only a first handshake can).
     */
    void onHandshake(CmLink link, String digest, boolean acks) {
        if (!link.isAuthenticated() && link.mustStartTlsFirst()) {
            // The secret travels only inside TLS; its digest is not even looked at, so nothing is counted.
            LOG.warn("refused handshake of {} from {}: STARTTLS is required first", link.connection(), link.remoteAddress());
            link.fail(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS is required", LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        ThrottleKey source = ThrottleKey.of(link, link.managerName());
        // Checked before the digest, so a blocked source learns nothing about its guess. An
        // authenticated link is exempt: it has proved the secret already, a repeat tells it nothing.
        if (!link.isAuthenticated() && throttle.isBlocked(source)) {
            LOG.debug("refused handshake of {} from {}: address is throttled", link.connection(), link.remoteAddress());
            link.fail(StreamErrorCondition.POLICY_VIOLATION, THROTTLED_TEXT, LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        // Asked again here rather than remembered from the header: the secret may have just changed.
        Optional<String> secret = host.managerSecret(link.managerName());
        if (secret.isEmpty()) {
            // The manager was removed since the header: not a guess, so not counted.
            LOG.warn("connection manager link {} from {}: manager {} is no longer configured", link.connection(),
                    link.remoteAddress(), link.managerName());
            link.fail(StreamErrorCondition.NOT_AUTHORIZED, null, LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        if (!Handshake.verify(digest, link.streamId(), secret.get())) {
            handshakeFailed(link, source);
            link.fail(StreamErrorCondition.NOT_AUTHORIZED, null, LinkCloseReason.PROTOCOL_ERROR);
            return;
        }
        if (link.isAuthenticated()) {
            // A repeated handshake changes nothing; answer it like the first, as stock Openfire does.
            link.send(CmElements.handshakeAck());
            link.send(configurationIq(host.clientConfiguration()));
            return;
        }
        throttle.succeeded(source);
        ManagerEntry manager = registry.entry(link.managerName());
        ManagerEntry.Attachment attachment = attach(manager, link, acks);
        if (attachment.outcome() == ManagerEntry.Outcome.NAME_HELD_BY_ITS_LOST_LINK) {
            CmLink lost = attachment.replacedLinks().get(0);
            LOG.info("connection manager link {} connects again from the same process; its previous link from {} is"
                    + " gone on the manager's side (half-open): taking it as lost", link.connection(),
                    lost.remoteAddress());
            lost.abort(LinkCloseReason.CONNECTION_LOST); // detached now: its sessions wait for the CM's takeover
            attachment = attach(manager, link, acks);
        }
        switch (attachment.outcome()) {
            case ATTACHED -> {
                LOG.info("connection manager link {} from {} authenticated ({}, {})", link.connection(),
                        link.remoteAddress(), link.isSecured() ? "TLS" : "no TLS",
                        link.isCompressed() ? "zlib" : "uncompressed");
                if (attachment.replacedProcess() != null) {
                    managerRestarted(link, attachment);
                }
            }
            // Stock Openfire lets the newcomer silently take over the name and orphans the old
            // link; refusing keeps the live link's traffic where the CM expects it.
            case NAME_TAKEN, NAME_HELD_BY_ITS_LOST_LINK -> refuse(link, "a link of that name is already connected",
                    null);
            case STALE_PROCESS -> refuse(link, "a newer process of this connection manager is connected",
                    "A newer process of this connection manager is connected");
            case CLOSING -> {
                // closed while attaching: nothing more to say on it
            }
        }
    }

    /**
     * Attaches {@code link} to its manager; its handshake ack and configuration go out under the manager's lock.
     *
     * @param acks whether the link is acknowledged: decided before the configuration IQ, the first element both ends
     *        count
     */
    private ManagerEntry.Attachment attach(ManagerEntry manager, CmLink link, boolean acks) {
        return manager.attach(link, () -> {
            String configuration = configurationIq(host.clientConfiguration());
            // This also cancels the negotiation deadline, under the lock its expiry takes.
            if (!link.authenticate(acks)) {
                return false;
            }
            link.send(CmElements.handshakeAck());
            link.send(configuration);
            return true;
        });
    }

    private static void refuse(CmLink link, String why, String text) {
        if (!link.isGone()) {
            LOG.warn("refused link {} from {}: {}", link.connection(), link.remoteAddress(), why);
            link.fail(StreamErrorCondition.CONFLICT, text, LinkCloseReason.PROTOCOL_ERROR);
        }
    }

    /**
     * The manager restarted: the process that held these clients is gone, so their sessions end now (contacts see
     * them go, held messages go to offline storage) instead of waiting as ghosts for a grace period that cannot save
     * them, and whatever is left of its links is closed.
     */
    private static void managerRestarted(CmLink link, ManagerEntry.Attachment attachment) {
        LOG.info("connection manager {} restarted (process {} replaced by {}): ending the {} client session(s) of the"
                + " previous process", link.managerName(), attachment.replacedProcess(), link.instance(),
                attachment.orphanedSessions().size());
        for (CmLink old : attachment.replacedLinks()) {
            old.fail(StreamErrorCondition.CONFLICT, "Replaced by a newer process of this connection manager",
                    LinkCloseReason.MANAGER_RESTARTED);
        }
        // What the old process never acknowledged is older than anything its sessions still hold.
        ManagerRegistry.giveUpLostLinks(link.manager());
        for (RoutedSession session : attachment.orphanedSessions()) {
            ManagerRegistry.endKeepingMessages(session);
        }
    }

    /**
     * Counts the failure and logs it so a guessing attack costs a couple of log lines per block,
     * not one per guess: the first failure of a window and the start of a block are warnings.
     */
    private void handshakeFailed(CmLink link, ThrottleKey source) {
        switch (throttle.failed(source)) {
            case FIRST -> LOG.warn("connection manager link {} from {} failed the handshake (manager {})",
                    link.connection(), link.remoteAddress(), link.managerName());
            case REPEATED -> LOG.debug("connection manager link {} from {} failed the handshake",
                    link.connection(), link.remoteAddress());
            case BLOCKED -> LOG.warn("{} failed handshakes from {} for manager {}; refusing that manager from there for"
                    + " {} seconds", throttle.maxFailures(), source.address().getHostAddress(), link.managerName(),
                    throttle.block().toSeconds());
        }
    }

    private void unknownName(CmLink link, String to, ThrottleKey source) {
        switch (throttle.failed(source)) {
            case FIRST -> LOG.warn("refused link {} from {}: no connection manager of that name is configured", to,
                    link.remoteAddress());
            case REPEATED -> LOG.debug("refused link {} from {}: unknown manager", to, link.remoteAddress());
            case BLOCKED -> LOG.warn("{} attempts from {} for unknown managers (last {}); further ones are logged"
                    + " at debug for {} seconds", throttle.maxFailures(), source.address().getHostAddress(), to,
                    throttle.block().toSeconds());
        }
    }

    /** The CM's IP address without the port: each guess comes on a new connection, hence a new port. */
    private static InetAddress remoteIp(CmLink link) {
        return link.remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
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
