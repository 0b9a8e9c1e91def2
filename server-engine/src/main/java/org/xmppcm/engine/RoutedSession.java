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

    /** The link the client's latest input came on: the one to pause when the host falls behind. */
    private volatile CmLink inputLink;
    /**
     * Guarded by {@link #outbox}, not this monitor: the host pauses and resumes from its own threads and from inside
     * {@link #received}, whose monitor they must not wait for; nothing holding the outbox calls the host.
     */
    private CmLink pausedLink;

    static final int MAX_HELD_STANZAS = 1000;
    static final int MAX_HELD_CHARS = 1024 * 1024;

    /** One held stanza; {@code message} is kept (a copy) only for messages, for offline storage. */
    private record Held(String xml, Element message) {
    }

    /** What {@link #send} did. */
    enum Delivery { SENT, HELD, FULL, DROPPED }

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

    /**
     * Sends {@code xml} on the session's link, or holds it while the manager is offline (and
     * behind anything held before, so order is kept). A message over the hold limit is still
     * held, and FULL tells the caller to end the session soon; anything else over it is DROPPED.
     */
    Delivery send(String xml, Element original) {
        synchronized (outbox) {
            if (held == null) {
                CmLink link = manager.linkFor(streamId());
                if (link != null) {
                    link.send(xml);
                    return Delivery.SENT;
                }
                if (!manager.isOffline()) {
                    return Delivery.DROPPED; // no grace period: the session is ending
                }
                held = new ArrayDeque<>();
            }
            boolean message = "message".equals(original.getName());
            boolean full = held.size() >= MAX_HELD_STANZAS || heldBytes + xml.length() > MAX_HELD_CHARS;
            if (full && !message) {
                return Delivery.DROPPED;
            }
            held.add(new Held(xml, message ? original.createCopy() : null));
            heldBytes += xml.length();
            return full ? Delivery.FULL : Delivery.HELD;
        }
    }

    /** The manager is back: what was held goes out on the session's link, in order. */
    void flushHeld() {
        synchronized (outbox) {
            if (held == null) {
                return;
            }
            CmLink link = manager.linkFor(streamId());
            if (link == null) {
                return;
            }
            for (Held stanza : held) {
                link.send(stanza.xml());
            }
            held = null;
            heldBytes = 0;
        }
    }

    /** The grace period is over: the held messages, for the host to store; the rest is gone with the session. */
    List<Element> takeHeldMessages() {
        synchronized (outbox) {
            List<Element> messages = new ArrayList<>();
            if (held != null) {
                for (Held stanza : held) {
                    if (stanza.message() != null) {
                        messages.add(stanza.message());
                    }
                }
            }
            held = null;
            heldBytes = 0;
            return messages;
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
            case FULL -> context.holdOverflowed().accept(manager, this);
            case DROPPED -> LOG.debug("no link of {} for session {}; dropped a {}", manager.name(), streamId(),
                    stanza.getName());
        }
    }

    @Override
    public void close(StreamErrorCondition condition) {
        if (!markEnded()) {
            return;
        }
        resumeInput();
        manager.remove(this);
        CmLink link = manager.linkFor(streamId());
        if (link == null) {
            return;
        }
        String streamError = CmElements.standaloneStreamError(condition, null);
        link.send(CmElements.sessionIq(new SessionIq.Close(context.ids().nextIqId(), streamId(), streamError)));
    }
}
