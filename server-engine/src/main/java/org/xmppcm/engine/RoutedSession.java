package org.xmppcm.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.SessionIq;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * One client session in the table: the host's side of it, and the order in which the engine
 * calls it. Calls into the host are serialized per session (the monitor), because the CM may
 * send a session's stanzas over any of its links and those are read on different I/O threads.
 * The host's calls back into the engine (this session is also its {@link ClientChannel}: one object per client
 * rather than two, for the many idle ones) never take this monitor,
 * so a host that holds its own locks while calling us cannot deadlock with an I/O thread.
 */
final class RoutedSession implements ClientChannel {
    private static final Logger LOG = LoggerFactory.getLogger(RoutedSession.class);

    private static final java.lang.invoke.VarHandle ENDED;

    static {
        try {
            ENDED = java.lang.invoke.MethodHandles.lookup().findVarHandle(RoutedSession.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ClientDescriptor client;
    private final ManagerEntry manager;
    private final SessionContext context;
    /** Set once the session ended; a field, not an AtomicBoolean: one object less for each of many idle clients. */
    private volatile boolean ended;
    private final long openedMillis = System.currentTimeMillis();
    private HostSession host; // guarded by this; null until openSession returned
    /**
     * Stanzas for the client while its manager has no link, in order. Its own lock, never held
     * while calling the host: hosts deliver from inside their own callbacks.
     */
    private final Object outbox = new Object();
    private ArrayDeque<Held> held; // guarded by outbox; null while stanzas go straight out
    private int heldBytes; // guarded by outbox
    private boolean overflowed; // guarded by outbox: the hold passed its limit once, and the session is ending

    /**
     * The link everything for this client goes on, kept while it lives so that the client's stanzas stay in order:
     * moved only when it is lost, and, when it was acknowledged, only once what it had not delivered has gone again
     * (see {@link ManagerEntry#linkFor(RoutedSession)}).
     */
    private volatile CmLink pinned;

    /** The link the client's latest input came on: the one to pause when the host falls behind. */
    private volatile CmLink inputLink;
    /**
     * Guarded by {@link #outbox}, not this monitor: the host pauses and resumes from its own threads and from inside
     * {@link #received}, whose monitor they must not wait for; nothing holding the outbox calls the host.
     */
    private CmLink pausedLink;

    static final int MAX_HELD_STANZAS = 1000;
    static final int MAX_HELD_CHARS = 1024 * 1024;

    /**
     * One held element (a route, or the session's close); {@code message} is kept (a copy) only for messages, for
     * offline storage.
     */
    private record Held(String xml, Element message) {
    }

    /** What {@link #send} did. */
    enum Delivery { SENT, HELD, OVERFLOWED, FULL, DROPPED }

    RoutedSession(ClientDescriptor client, ManagerEntry manager, SessionContext context) {
        this.client = client;
        this.manager = manager;
        this.context = context;
    }

    ClientDescriptor client() {
        return client;
    }

    /** When the manager announced the client. */
    java.time.Instant opened() {
        return java.time.Instant.ofEpochMilli(openedMillis);
    }

    @Override
    public String streamId() {
        return client.streamId();
    }

    boolean isEnded() {
        return ended;
    }

    /** Marks the session ended without telling the host (the host itself ended it). True the first time. */
    boolean markEnded() {
        return ENDED.compareAndSet(this, false, true);
    }

    /** Called with this monitor held (see SessionIqHandler) so that nothing reaches the host before it. */
    void attach(HostSession hostSession) {
        assert Thread.holdsLock(this);
        this.host = hostSession;
    }

    /** The link the next {@link #received} stanza came on. */
    void inputFrom(CmLink link) {
        inputLink = link;
    }

    /** The host fell behind this client: its input's link stops being read until {@link #resumeInput()}. */
    @Override
    public void pauseInput() {
        synchronized (outbox) {
            CmLink link = inputLink;
            if (pausedLink == null && link != null && !ended) {
                pausedLink = link;
                link.pauseInput(this);
            }
        }
    }

    /** The host caught up, or the session ended: the link this session paused is read again. */
    @Override
    public void resumeInput() {
        synchronized (outbox) {
            if (pausedLink != null) {
                pausedLink.resumeInput(this);
                pausedLink = null;
            }
        }
    }

    synchronized void received(Element stanza) {
        if (ended || host == null) {
            LOG.debug("dropping stanza for ended session {}", client.streamId());
            return;
        }
        try {
            host.received(stanza);
        } catch (RuntimeException e) {
            LOG.error("host failed on a stanza of session {}", client.streamId(), e);
        }
    }

    synchronized void deliveryFailed(Element stanza) {
        if (host == null) {
            return;
        }
        try {
            host.deliveryFailed(stanza);
        } catch (RuntimeException e) {
            LOG.error("host failed on an undeliverable stanza of session {}", client.streamId(), e);
        }
    }

    CmLink pinned() {
        return pinned;
    }

    /** Pins the session to {@code link} (the manager chose it); only {@link ManagerEntry} calls this. */
    void pin(CmLink link) {
        pinned = link;
    }

    /**
     * Whether the session's stanzas must wait: its link was lost and, being acknowledged, may still be taken over,
     * in which case what it had not delivered goes first.
     */
    boolean awaitsResumption() {
        CmLink link = pinned;
        return link != null && link.awaitsTakeover();
    }

    /**
     * Sends {@code xml} on the session's link, or holds it while the manager is offline or the link is being taken
     * over (and behind anything held before, so order is kept). The first stanza over the hold limit is still held and
     * OVERFLOWED tells the caller to end the session; after it FULL says this one was not held; DROPPED that there is
     * no link and will be none.
     */
    Delivery send(String xml, Element original) {
        synchronized (outbox) {
            if (held == null) {
                CmLink link = manager.linkFor(this);
                if (link != null) {
                    link.send(xml, this);
                    return Delivery.SENT;
                }
                boolean resuming = awaitsResumption();
                if (!manager.isOffline() && !resuming) {
                    return Delivery.DROPPED; // no grace period: the session is ending
                }
                held = new ArrayDeque<>();
                if (resuming) {
                    pinned.holding(this); // so that the takeover releases it even once the session left the table
                }
            }
            if (held.size() >= MAX_HELD_STANZAS || heldBytes + xml.length() > MAX_HELD_CHARS) {
                if (!overflowed) {
                    // The first one over the limit is still held, so that it goes back to the host with the rest,
                    // in order; the session ends, and any after it go back one by one, after those.
                    overflowed = true;
                    held.add(new Held(xml, original != null && "message".equals(original.getName())
                            ? original.createCopy() : null));
                    return Delivery.OVERFLOWED;
                }
                return Delivery.FULL;
            }
            held.add(new Held(xml, original != null && "message".equals(original.getName()) ? original.createCopy() : null));
            heldBytes += xml.length();
            return Delivery.HELD;
        }
    }

    /**
     * What was held goes out in order on the session's link, unless the manager is still offline or the link it
     * lost is still to be taken over.
     */
    void flushHeld() {
        synchronized (outbox) {
            if (held == null || awaitsResumption()) {
                return;
            }
            CmLink link = manager.linkFor(this);
            if (link == null) {
                return;
            }
            flushTo(link);
        }
    }

    /**
     * The link {@code from} was taken over: the session moves to {@code to} (null: whichever link the manager picks,
     * or none while it is offline) and what it held goes there first. Under the outbox lock, so a stanza delivered
     * meanwhile either was held or goes after these.
     */
    void moveFrom(CmLink from, CmLink to) {
        synchronized (outbox) {
            if (pinned != from) {
                return;
            }
            pinned = to;
            CmLink link = to != null ? to : manager.linkFor(this);
            if (held != null && link != null) {
                flushTo(link);
            }
        }
    }

    private void flushTo(CmLink link) {
        for (Held stanza : held) {
            link.send(stanza.xml(), this);
        }
        held = null;
        heldBytes = 0;
    }

    /**
     * The grace period is over, or the session ends while its manager is away: everything held, for the host to
     * store (messages) or answer (IQ requests); presence and answers go with the session.
     */
    List<Element> takeHeld() {
        synchronized (outbox) {
            List<Element> stanzas = new ArrayList<>();
            if (held != null) {
                for (Held stanza : held) {
                    Element element = stanza.message() != null ? stanza.message() : RouteCodec.carriedStanza(
                            stanza.xml().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    if (element != null) {
                        stanzas.add(element);
                    }
                }
            }
            held = null;
            heldBytes = 0;
            return stanzas;
        }
    }

    /** The client is gone: tells the host once, unless the host ended the session itself. */
    void end() {
        if (!markEnded()) {
            return;
        }
        resumeInput();
        synchronized (this) {
            if (host == null) {
                return;
            }
            try {
                host.closed();
            } catch (RuntimeException e) {
                LOG.error("host failed closing session {}", client.streamId(), e);
            }
        }
    }

    // ---- ClientChannel: how the host reaches the client, from host threads; never blocks

    /** Every element goes out as a {@code <route>} on the manager's sticky link for this stream id. */
    @Override
    public void deliver(Element stanza) {
        if (ended) {
            LOG.debug("dropping a {} for ended session {}", stanza.getName(), streamId());
            return;
        }
        // Serialize before picking the link: the caller may reuse the element once we return.
        String xml = RouteCodec.route(streamId(), context.domain(), manager.name(), XmlDom.toXml(stanza));
        switch (send(xml, stanza)) {
            case SENT, HELD -> {
            }
            case OVERFLOWED -> context.holdOverflowed().accept(manager, this);
            // After the end above on the registry's one thread: what was held went back first, then this.
            case FULL -> context.undeliverable().accept(this, stanza.createCopy());
            case DROPPED -> {
                LOG.debug("no link of {} for session {}; a {} goes back to the host", manager.name(), streamId(),
                        stanza.getName());
                context.undeliverable().accept(this, stanza.createCopy());
            }
        }
    }

    @Override
    public void close(StreamErrorCondition condition) {
        if (!markEnded()) {
            return;
        }
        resumeInput();
        manager.remove(this);
        String streamError = CmElements.standaloneStreamError(condition, null);
        // Held like a stanza while the link is being taken over: the client must still hear of it, after the rest.
        send(CmElements.sessionIq(new SessionIq.Close(context.ids().nextIqId(), streamId(), streamError)), null);
    }
}
