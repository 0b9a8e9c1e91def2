package org.xmppcm.transport;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * Pauses a session's reads while any of several independent reasons asks for it, and resumes them when none does.
 * MINA's {@code suspendRead}/{@code resumeRead} is one flag: two mechanisms pausing the same session for their own
 * reasons (a full event queue, a host that has not caught up with one client, a congested link) would otherwise resume
 * it on each other's behalf. A reason is any object, compared by identity; pausing twice for one reason counts once.
 *
 * <p>Thread-safe; callers may pause and resume from any thread, and may hold their own locks while they do (this class
 * takes only its own per-session lock, and calls out to nothing but MINA's read interest and a selector wakeup).
 */
public final class ReadGate {
    private static final AttributeKey REASONS = new AttributeKey(ReadGate.class, "reasons");

    private ReadGate() {
    }

    /** Stops reading {@code session} until {@link #resume} has been called for {@code reason} and every other one. */
    public static void pause(IoSession session, Object reason) {
        Set<Object> reasons = reasons(session);
        synchronized (reasons) {
            if (reasons.add(reason) && reasons.size() == 1) {
                session.suspendRead();
            }
        }
    }

    /** Withdraws {@code reason}; reads go on when no reason is left. Does nothing for a reason that did not pause. */
    public static void resume(IoSession session, Object reason) {
        Set<Object> reasons = reasons(session);
        synchronized (reasons) {
            if (reasons.remove(reason) && reasons.isEmpty()) {
                wake(session);
            }
        }
    }

    /** Whether {@code reason} pauses {@code session} now. */
    public static boolean isPausedBy(IoSession session, Object reason) {
        Set<Object> reasons = reasons(session);
        synchronized (reasons) {
            return reasons.contains(reason);
        }
    }

    /** Whether anything pauses {@code session} now. */
    public static boolean isPaused(IoSession session) {
        Set<Object> reasons = reasons(session);
        synchronized (reasons) {
            return !reasons.isEmpty();
        }
    }

    /**
     * MINA's resumeRead only sets the selection key's interest, which a selector blocked in select() does not see
     * until it next wakes: up to a second on an I/O thread with nothing else to do, for every pause. Scheduling a
     * flush (what every write does; with nothing queued it writes nothing) wakes it now.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void wake(IoSession session) {
        session.resumeRead();
        if (session instanceof AbstractIoSession io && io.isConnected() && !io.isClosing()) {
            IoProcessor processor = io.getProcessor();
            if (processor != null) {
                processor.flush(io);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<Object> reasons(IoSession session) {
        Set<Object> reasons = (Set<Object>) session.getAttribute(REASONS);
        if (reasons == null) {
            Set<Object> fresh = Collections.newSetFromMap(new IdentityHashMap<>(4));
            reasons = (Set<Object>) session.setAttributeIfAbsent(REASONS, fresh);
            if (reasons == null) {
                reasons = fresh;
            }
        }
        return reasons;
    }
}
