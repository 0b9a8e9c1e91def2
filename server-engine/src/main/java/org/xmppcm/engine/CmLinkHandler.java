package org.xmppcm.engine;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.HostServer;
import org.apache.mina.core.session.IdleStatus;
import org.xmppcm.protocol.ack.AckElements;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.transport.IoFailure;
import org.xmppcm.transport.StreamEnd;

/**
 * The MINA handler of every CM link: turns decoder output into calls on the per-concern handlers,
 * according to the link's state. Runs on MINA's I/O threads (on the hand-off pool once a link runs
 * TLS, see {@link LinkLayers}), one event at a time per link, so a link's elements are handled in
 * the order the CM sent them. Nothing here blocks.
 */
final class CmLinkHandler extends IoHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(CmLinkHandler.class);
    private static final AttributeKey LINK = new AttributeKey(CmLinkHandler.class, "link");
    /** Set on a link whose security settings could not be read: it is refused once open. */
    private static final AttributeKey NO_SECURITY = new AttributeKey(CmLinkHandler.class, "noSecurity");

    private final HostServer host;
    private final ManagerRegistry registry;
    private final Ids ids;
    private final LinkNegotiator negotiator;
    private final SessionIqHandler sessionIqs;
    private final RouteHandler routes = new RouteHandler();
    private final LinkTakeover takeover = new LinkTakeover();
    private final BooleanSupplier stopping;
    private final LinkLimits limits;
    private final Supplier<LinkSecurity> security;
    /** The listener's one scheduler for every link's negotiation deadline. */
    private final ScheduledExecutorService deadlines;
    /** What a link's STARTTLS and zlib put under its stream. */
    private final LinkLayers layers;

    CmLinkHandler(HostServer host, ManagerRegistry registry, Ids ids, BooleanSupplier stopping, LinkLimits limits,
                HandshakeThrottle<LinkNegotiator.ThrottleKey> throttle, Supplier<LinkSecurity> security, LinkLayers layers,
                ScheduledExecutorService deadlines) {
        this.host = host;
        this.registry = registry;
        this.ids = ids;
        this.security = security;
        this.negotiator = new LinkNegotiator(host, registry, ids, throttle);
        this.layers = layers;
        this.sessionIqs = new SessionIqHandler(host, ids, registry);
        this.stopping = stopping;
        this.limits = limits;
        this.deadlines = deadlines;
    }

    static CmLink link(IoSession session) {
        return (CmLink) session.getAttribute(LINK);
    }

    @Override
    public void sessionCreated(IoSession session) {
        LinkSecurity offered = currentSecurity();
        CmLink link = newLink(new MinaLinkPort(session, layers), ids.nextStreamId(),
                offered != null ? offered : LinkSecurity.NONE);
        session.setAttribute(LINK, link);
        // Only authenticated links are timed out by it (sessionIdle); the negotiation has its own deadline.
        session.getConfig().setReaderIdleTime(idleTimeoutSeconds());
        // From accept: the header, any TLS or zlib restarts and the handshake all count against it.
        link.armNegotiationTimeout(deadlines);
        if (offered == null) {
            // Not NONE in its place: that could mean a link in clear where the settings require TLS.
            session.setAttribute(NO_SECURITY, Boolean.TRUE);
        }
    }

    /** A link just accepted on {@code port}, with {@code streamId} for its first stream; tests make theirs here. */
    CmLink newLink(LinkPort port, String streamId, LinkSecurity offered) {
        return new CmLink(port, offered, streamId, host.domain(), limits, registry::linkClosed);
    }

    private int idleTimeoutSeconds() {
        try {
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, host.linkIdleTimeout().toSeconds()));
        } catch (RuntimeException e) {
            LOG.warn("cannot read the link idle limit; using 90 s", e);
            return 90;
        }
    }

    /**
     * Nothing came from an authenticated link for the idle limit: the CM sends something at least every keepalive
     * interval, so the link is half-open (a NAT or firewall dropped it) or the CM is frozen. It is treated as lost,
     * which for an acknowledged link means its sessions wait for the CM to take it over.
     */
    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        CmLink link = link(session);
        if (status == IdleStatus.READER_IDLE && link != null && link.isAuthenticated()) {
            LOG.warn("connection manager link {} from {} sent nothing for {} s; taking it as lost", link,
                    link.remoteAddress(), session.getConfig().getReaderIdleTime());
            link.abort(LinkCloseReason.IDLE_TIMEOUT);
        }
    }

    /** The security settings for a new link, or null when the host could not say. */
    private LinkSecurity currentSecurity() {
        try {
            LinkSecurity offered = security.get();
            if (offered == null) {
                LOG.error("no link security settings (TLS, compression) for a new connection manager link; refusing it");
            }
            return offered;
        } catch (RuntimeException e) {
            LOG.error("cannot read the link security settings (TLS, compression); refusing the new link", e);
            return null;
        }
    }

    @Override
    public void sessionOpened(IoSession session) {
        if (stopping.getAsBoolean()) {
            link(session).fail(StreamErrorCondition.SYSTEM_SHUTDOWN, null, LinkCloseReason.SERVER_SHUTDOWN);
        } else if (session.containsAttribute(NO_SECURITY)) {
            link(session).fail(StreamErrorCondition.INTERNAL_SERVER_ERROR, null, LinkCloseReason.PROTOCOL_ERROR);
        }
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        received(link(session), message);
    }

    /**
     * What the decoder read on {@code link}: a {@link StreamOpen}, a {@link StanzaFrame} or {@link StreamEnd}. Called
     * one at a time per link, in the order read (the MINA adapter above; tests feed it frames without a socket).
     */
    void received(CmLink link, Object message) {
        if (link == null || link.isGone()) {
            return; // closing: whatever the CM still sends is moot
        }
        try {
            if (message instanceof StanzaFrame frame) {
                link.elementReceived();
                onFrame(link, frame);
            } else if (message instanceof StreamOpen open) {
                if (link.state() == LinkState.AWAIT_HEADER) {
                    negotiator.onHeader(link, open);
                } else if (link.awaitsRestart()) {
                    negotiator.onRestartHeader(link, open);
                } else {
                    link.fail(StreamErrorCondition.INVALID_XML, null, LinkCloseReason.PROTOCOL_ERROR);
                }
            } else if (message == StreamEnd.INSTANCE) {
                LOG.info("connection manager link {} closed its stream", link);
                link.closeStream(LinkCloseReason.MANAGER_CLOSED);
            } else {
                LOG.error("unexpected decoder output {} on {}", message.getClass().getName(), link);
                link.fail(StreamErrorCondition.INTERNAL_SERVER_ERROR, null, LinkCloseReason.PROTOCOL_ERROR);
            }
        } catch (RuntimeException e) {
            LOG.error("failed handling input of connection manager link {}", link, e);
            link.fail(StreamErrorCondition.INTERNAL_SERVER_ERROR, null, LinkCloseReason.PROTOCOL_ERROR);
        }
    }

    private void onFrame(CmLink link, StanzaFrame frame) {
        String ns = frame.namespace();
        String name = frame.localName();
        if (Namespaces.STREAMS.equals(ns) && "error".equals(name)) {
            onPeerStreamError(link, frame);
            return;
        }
        if (link.state() == LinkState.AWAIT_HEADER) {
            return; // cannot happen: the framer reads the header first
        }
        boolean linkNamespace = Namespaces.CONNECTION_MANAGER.equals(ns);
        boolean counted = link.isAuthenticated() && AckElements.isCounted(frame);
        if (counted && !link.handleCounted(() -> onCountedFrame(link, frame, linkNamespace))) {
            LOG.debug("ignoring a <{}> on {}: another link took it over", name, link);
            return;
        }
        if (counted) {
            return;
        }
        if (AckElements.NAMESPACE.equals(ns) && link.isAuthenticated() && link.isAcknowledged()) {
            onAckElement(link, frame);
        } else if (linkNamespace && "route".equals(name) || "iq".equals(name)
                && (linkNamespace || Namespaces.CLIENT.equals(ns))) {
            onCountedFrame(link, frame, linkNamespace); // before authentication: answered with not-authorized
        } else if (linkNamespace && "handshake".equals(name)) {
            Element handshake = parse(link, frame);
            if (handshake != null) {
                boolean acks = "true".equals(handshake.attributeValue(
                        org.dom4j.QName.get(AckElements.ENABLE_ATTRIBUTE, AckElements.NAMESPACE)));
                negotiator.onHandshake(link, handshake.getText().strip(), acks);
            }
        } else if (frame.is("starttls", Namespaces.TLS)) {
            negotiator.onStartTls(link);
        } else if (frame.is("compress", Namespaces.COMPRESS_PROTOCOL)) {
            Element compress = parse(link, frame);
            if (compress != null) {
                Element method = compress.element("method");
                negotiator.onCompress(link, method == null ? null : method.getTextTrim());
            }
        } else if (!link.isAuthenticated()) {
            link.fail(StreamErrorCondition.NOT_AUTHORIZED, null, LinkCloseReason.PROTOCOL_ERROR);
        } else {
            // e.g. an unwrapped <message>: a CM bug, not something to guess the meaning of.
            LOG.warn("connection manager link {} sent an unexpected <{}> in {}", link, name, ns);
            link.fail(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, null, LinkCloseReason.PROTOCOL_ERROR);
        }
    }

    private void onCountedFrame(CmLink link, StanzaFrame frame, boolean linkNamespace) {
        if (linkNamespace && "route".equals(frame.localName())) {
            routes.handle(link, frame);
        } else {
            Element iq = parse(link, frame);
            if (iq != null) {
                sessionIqs.handle(link, iq);
            }
        }
    }

    /** {@code <r/>}, {@code <a/>} and {@code <resume/>} on an acknowledged link (see {@link AckElements}). */
    private void onAckElement(CmLink link, StanzaFrame frame) {
        if (AckElements.is(frame, "r")) {
            link.answerRequest();
        } else if (AckElements.is(frame, "a")) {
            java.util.OptionalLong h = AckElements.count(frame);
            if (h.isEmpty() || !link.acknowledgedUpTo(h.getAsLong())) {
                LOG.warn("connection manager link {} acknowledged what we never sent: {}", link, frame.asString());
                link.fail(StreamErrorCondition.UNDEFINED_CONDITION, "acknowledged more than was sent",
                        LinkCloseReason.PROTOCOL_ERROR);
            }
        } else if (AckElements.is(frame, "resume")) {
            java.util.OptionalLong h = AckElements.count(frame);
            String previd = frame.attribute("previd");
            if (h.isEmpty() || previd == null) {
                link.fail(StreamErrorCondition.INVALID_XML, "resume needs previd and h", LinkCloseReason.PROTOCOL_ERROR);
            } else {
                takeover.resume(link, previd, h.getAsLong());
            }
        } else {
            LOG.warn("connection manager link {} sent an unknown <{}> of ours", link, frame.localName());
            link.fail(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, null, LinkCloseReason.PROTOCOL_ERROR);
        }
    }

    /** The CM ends the link with a stream error; system-shutdown means its clients go with it. */
    private void onPeerStreamError(CmLink link, StanzaFrame frame) {
        StreamErrorCondition condition = StreamErrorCondition.UNDEFINED_CONDITION;
        try {
            condition = CmElements.parseStreamError(XmlDom.parse(frame, link.streamNamespaces())).condition();
        } catch (CmProtocolException e) {
            LOG.debug("unreadable stream error from {}: {}", link, e.getMessage());
        }
        LOG.info("connection manager link {} sent stream error {}", link, condition.elementName());
        link.closeStream(condition == StreamErrorCondition.SYSTEM_SHUTDOWN
                ? LinkCloseReason.MANAGER_SHUTDOWN : LinkCloseReason.MANAGER_CLOSED);
    }

    private static Element parse(CmLink link, StanzaFrame frame) {
        try {
            return XmlDom.parse(frame, link.streamNamespaces());
        } catch (CmProtocolException e) {
            // The framer already checked well-formedness; this is XML we cannot make sense of.
            LOG.warn("unreadable <{}> from {}: {}", frame.localName(), link, e.getMessage());
            link.fail(StreamErrorCondition.INVALID_XML, null, LinkCloseReason.PROTOCOL_ERROR);
            return null;
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        CmLink link = link(session);
        if (link == null) {
            session.closeNow();
            return;
        }
        IoFailure failure = IoFailure.classify(cause);
        switch (failure.kind()) {
            case STREAM_ERROR -> {
                // Our text stays generic: parser internals are for our log, not for the wire.
                LOG.warn("connection manager link {} broke the stream ({})", link, failure.describe());
                link.fail(failure.streamError().orElseThrow().condition(), null, LinkCloseReason.PROTOCOL_ERROR);
            }
            case WRITE_TO_CLOSED -> {
                if (link.isGone()) {
                    // Our last words raced the CM's own close (more often on TLS links, handled off the I/O thread).
                    LOG.debug("connection manager link {} was gone before our last write", link);
                    session.closeNow();
                } else {
                    LOG.info("connection manager link {} lost: {}", link, failure.describe());
                    link.abort(LinkCloseReason.CONNECTION_LOST);
                }
            }
            case COMPRESSION -> {
                LOG.warn("connection manager link {} sent broken compressed data: {}", link, failure.describe());
                link.failCompression();
            }
            case TLS -> {
                // Nothing readable can reach the CM any more: no stream error, just close.
                LOG.warn("TLS failed on connection manager link {}: {}", link, failure.describe());
                link.abort(LinkCloseReason.PROTOCOL_ERROR);
            }
            case WRITE_OVERFLOW -> {
                // MINA's TLS pipeline queues at most 64 writes (during a handshake, or behind one spanning records).
                LOG.warn("connection manager link {} fell too far behind in TLS writes; closing it", link);
                link.abort(LinkCloseReason.WRITE_OVERFLOW);
            }
            case WRITE_TIMEOUT -> {
                LOG.warn("connection manager link {} stopped reading; closing it", link);
                link.abort(LinkCloseReason.WRITE_OVERFLOW);
            }
            case CONNECTION_LOST -> {
                LOG.info("connection manager link {} lost: {}", link, failure.describe());
                link.abort(LinkCloseReason.CONNECTION_LOST);
            }
            case UNEXPECTED -> {
                LOG.error("unexpected failure on connection manager link {}", link, cause);
                link.fail(StreamErrorCondition.INTERNAL_SERVER_ERROR, null, LinkCloseReason.PROTOCOL_ERROR);
            }
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        CmLink link = link(session);
        if (link != null) {
            link.connectionLost();
        }
    }

    /** Sends every authenticated link of every manager the host's current configuration. */
    void pushConfiguration() {
        ClientConfiguration configuration = host.clientConfiguration();
        for (ManagerEntry manager : registry.entries()) {
            manager.forEachLink(link -> link.send(negotiator.configurationIq(configuration)));
        }
    }
}
