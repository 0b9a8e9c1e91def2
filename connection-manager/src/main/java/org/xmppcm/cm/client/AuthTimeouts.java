package org.xmppcm.cm.client;

import java.time.Duration;
import org.apache.mina.core.service.IoService;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.cm.limits.LiveLimits;

/**
 * Closes client connections that have not authenticated within {@link ClientLimits#authTimeout()} of being accepted,
 * whatever they sent meanwhile, with {@code connection-timeout}; their server sessions close as on any other close.
 * Runs on the CM's timer thread every {@link #period}.
 *
 * <p>Why one periodic sweep over the acceptor's sessions, and not:
 * <ul>
 * <li>a timer per client: an object and a queue entry for each of up to hundreds of thousands of connections, for
 *     a deadline almost none of them reaches;</li>
 * <li>{@link org.xmppcm.cm.limits.IdleFilter}'s idle events: MINA raises them only while a direction stays idle. A
 *     client trickling whitespace keeps its reads busy, and it can keep our writes busy as well (every SASL attempt
 *     is answered; a TLS 1.3 key update request is answered by the TLS layer, below every filter), so no idle event
 *     need ever come.</li>
 * </ul>
 * The sweep keeps nothing per client beyond what exists already (MINA's creation time, the stream's
 * state, read without a lock) and costs one pass over the sessions per period, as MINA's own idle
 * check makes every second.
 */
public final class AuthTimeouts implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AuthTimeouts.class);
    private static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    private static final Duration MAX_PERIOD = Duration.ofSeconds(5);

    private final IoService clients;
    private final LiveLimits limits;

    public AuthTimeouts(IoService clients, LiveLimits limits) {
        this.clients = clients;
        this.limits = limits;
    }

    /**
     * How often to sweep for {@code timeout}: a tenth of it, between 1 and 5 s. A client is closed at most that long
     * after its deadline (5 s late at the default 60 s), and long timeouts do not cost a pass every second.
     */
    public static Duration period(Duration timeout) {
        Duration tenth = timeout.dividedBy(10);
        return tenth.compareTo(MIN_PERIOD) < 0 ? MIN_PERIOD : tenth.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD : tenth;
    }

    @Override
    public void run() {
        try {
            sweep(System.currentTimeMillis());
        } catch (RuntimeException e) {
            // Thrown out of run(), it would cancel every later sweep.
            LOG.error("Checking clients' authentication deadline failed", e);
        }
    }

    /**
     * Closes every client accepted {@code authTimeout} or more before {@code now} (MINA's wall-clock milliseconds, as
     * its creation times) that has not authenticated.
     *
     * @return how many were closed
     */
    int sweep(long now) {
        Duration timeout = limits.get().authTimeout();
        long timeoutMillis = timeout.toMillis();
        int closed = 0;
        for (IoSession session : clients.getManagedSessions().values()) {
            if (now - session.getCreationTime() < timeoutMillis) {
                continue;
            }
            ClientStream stream = ClientHandler.stream(session);
            if (stream == null) {
                // Refused at the door (AdmissionFilter) and not gone yet: there is no stream to end.
                session.closeNow();
            } else if (stream.awaitsAuthentication() && timedOut(stream, session)) {
                closed++;
            }
        }
        if (closed > 0) {
            LOG.info("Closed {} client connection(s) not authenticated within {} s", closed, timeout.toSeconds());
        }
        return closed;
    }

    private static boolean timedOut(ClientStream stream, IoSession session) {
        try {
            if (stream.authenticationTimedOut()) {
                LOG.debug("Client {} did not authenticate in time", session.getRemoteAddress());
                return true;
            }
        } catch (RuntimeException e) {
            // One broken session must not spare the others this sweep.
            LOG.warn("Could not close client {} after its authentication deadline", session.getRemoteAddress(), e);
            session.closeNow();
        }
        return false;
    }
}
