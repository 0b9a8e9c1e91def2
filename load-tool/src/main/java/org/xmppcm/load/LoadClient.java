package org.xmppcm.load;

import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * One simulated client: a few fields beside its MINA session. Events of one session arrive on
 * one I/O thread; the terminal transitions are synchronized because the ramp's timeout may race
 * them from another thread.
 */
final class LoadClient {
    static final AttributeKey KEY = new AttributeKey(LoadClient.class, "client");

    static final int CONNECTING = 0;
    static final int OPENING = 1;
    static final int STARTTLS = 2;
    static final int TLS_HANDSHAKE = 3;
    static final int AUTH = 4;
    static final int AUTHENTICATED = 5;
    static final int COMPRESS = 6;
    static final int BINDING = 7;
    static final int ONLINE = 8;
    static final int CLOSING = 9;
    static final int DONE = 10;

    final int index;
    final long startNanos;
    volatile int state = CONNECTING;
    volatile IoSession session;
    ScramClient.Exchange scram;
    boolean tlsDone;
    boolean zlibDone;
    /** Set by the handler once the framer is no longer needed (see {@link ClientCodec}). */
    volatile boolean raw;
    boolean framerDropped;

    LoadClient(int index, long startNanos) {
        this.index = index;
        this.startNanos = startNanos;
    }

    static LoadClient of(IoSession session) {
        return (LoadClient) session.getAttribute(KEY);
    }

    /** Moves to ONLINE unless already terminal; true when it did. */
    synchronized boolean toOnline() {
        if (state >= ONLINE) {
            return false;
        }
        state = ONLINE;
        scram = null;
        return true;
    }

    /** Moves to a terminal state; returns the state it had, or -1 when it was already terminal. */
    synchronized int finish(int terminal) {
        int before = state;
        if (before >= CLOSING) {
            return -1;
        }
        state = terminal;
        scram = null;
        return before;
    }

    boolean isOnline() {
        return state == ONLINE;
    }
}
