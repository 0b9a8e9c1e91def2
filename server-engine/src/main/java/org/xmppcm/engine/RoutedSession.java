package org.xmppcm.engine;

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

    RoutedSession(ClientDescriptor client) {
        this.client = client;
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

    /** The client is gone: tells the host once, unless the host ended the session itself. */
    void end() {
        if (!markEnded()) {
            return;
        }
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
