package org.xmppcm.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.atomic.AtomicBoolean;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostSession;

/**
 * One client session in the table: the host's side of it, and the order in which the engine
 * calls it. Calls into the host are serialized per session (the monitor), because the CM may
 * send a session's stanzas over any of its links and those are read on different I/O threads.
 * The host's calls back into the engine ({@link RoutedClientChannel}) never take this monitor,
 * so a host that holds its own locks while calling us cannot deadlock with an I/O thread.
 */
final class RoutedSession {
    private static final Logger LOG = LoggerFactory.getLogger(RoutedSession.class);

    private final ClientDescriptor client;
    private final AtomicBoolean ended = new AtomicBoolean();
    private HostSession host; // guarded by this; null until openSession returned
    /**
     * Stanzas for the client while its manager has no link, in order. Its own lock, never held
     * while calling the host: hosts deliver from inside their own callbacks.
     */
    private final Object outbox = new Object();
    private ArrayDeque<Held> held; // guarded by outbox; null while stanzas go straight out
    private int heldBytes; // guarded by outbox

    /**
     * Flow control of the client's input: its own lock, because the host pauses and resumes from its own threads and
     * from inside {@link #received}, whose monitor they must not wait for.
     */
    private final Object inputGate = new Object();
    /** The link the client's latest input came on: the one to pause when the host falls behind. */
    private volatile CmLink inputLink;
    private CmLink pausedLink; // guarded by inputGate

    static final int MAX_HELD_STANZAS = 1000;
    static final int MAX_HELD_CHARS = 1024 * 1024;

    /** One held stanza; {@code message} is kept (a copy) only for messages, for offline storage. */
    private record Held(String xml, Element message) {
    }

    /** What {@link #deliver} did. */
    enum Delivery { SENT, HELD, FULL, DROPPED }

    private final java.time.Instant opened = java.time.Instant.now();

    RoutedSession(ClientDescriptor client) {
        this.client = client;
    }

    ClientDescriptor client() {
        return client;
    }

    /** When the manager announced the client. */
    java.time.Instant opened() {
        return opened;
    }

    String streamId() {
        return client.streamId();
    }

    boolean isEnded() {
        return ended.get();
    }

    /** Marks the session ended without telling the host (the host itself ended it). True the first time. */
    boolean markEnded() {
        return ended.compareAndSet(false, true);
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
    void pauseInput() {
        synchronized (inputGate) {
            CmLink link = inputLink;
            if (pausedLink == null && link != null && !ended.get()) {
                pausedLink = link;
                link.pauseInput(this);
            }
        }
    }

    /** The host caught up, or the session ended: the link this session paused is read again. */
    void resumeInput() {
        synchronized (inputGate) {
            if (pausedLink != null) {
                pausedLink.resumeInput(this);
                pausedLink = null;
            }
        }
    }

    synchronized void received(Element stanza) {
        if (ended.get() || host == null) {
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
    Delivery deliver(String xml, Element original, ManagerEntry manager) {
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
    void flushHeld(ManagerEntry manager) {
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
}
