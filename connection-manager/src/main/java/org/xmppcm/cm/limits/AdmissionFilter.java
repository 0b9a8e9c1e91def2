package org.xmppcm.cm.limits;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.xmppcm.cm.metrics.CmMetrics;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Turns clients away at the door: beyond {@link ClientLimits#maxClients()} with
 * {@code resource-constraint}, and an address opening connections faster than its token bucket
 * allows with {@code policy-violation}. A refused client gets a stream header and the error
 * (RFC 6120 4.9.1.1) and nothing of it reaches the handler.
 */
public final class AdmissionFilter extends IoFilterAdapter {
    private static final AttributeKey REFUSED = new AttributeKey(AdmissionFilter.class, "refused");
    /** Addresses remembered at most; the least recently seen is forgotten first. */
    private static final int MAX_TRACKED_ADDRESSES = 65_536;

    private final LiveLimits limits;
    private final String domain;
    private final CmMetrics metrics;
    private final Map<InetAddress, TokenBucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, TokenBucket> eldest) {
            return size() > MAX_TRACKED_ADDRESSES;
        }
    };

    public AdmissionFilter(LiveLimits limits, String domain, CmMetrics metrics) {
        this.limits = limits;
        this.domain = domain;
        this.metrics = metrics;
    }

    @Override
    public void sessionCreated(NextFilter next, IoSession session) throws Exception {
        // Read per connection: a lowered maximum refuses newcomers only, it never closes anyone already in.
        ClientLimits now = limits.get();
        if (session.getService().getManagedSessionCount() > now.maxClients()) {
            refuse(session, StreamErrorCondition.RESOURCE_CONSTRAINT, "this connection manager is full");
            return;
        }
        if (!admittedByRate(session, now)) {
            refuse(session, StreamErrorCondition.POLICY_VIOLATION, "too many connections from your address");
            return;
        }
        next.sessionCreated(session);
    }

    private boolean admittedByRate(IoSession session, ClientLimits limits) {
        if (limits.connectionsPerIpPerSecond() == 0 || !(session.getRemoteAddress() instanceof InetSocketAddress remote)) {
            return true;
        }
        InetAddress address = remote.getAddress();
        if (address == null || address.isLoopbackAddress() && !limits.limitLoopback()) {
            return true;
        }
        synchronized (buckets) {
            return buckets.computeIfAbsent(address, a -> new TokenBucket(limits.connectionBurstPerIp()))
                    .tryTake(System.nanoTime(), limits.connectionsPerIpPerSecond(), limits.connectionBurstPerIp());
        }
    }

    private void refuse(IoSession session, StreamErrorCondition condition, String text) {
        session.setAttribute(REFUSED, Boolean.TRUE);
        metrics.streamErrorSent(condition);
        session.write("<?xml version='1.0' encoding='UTF-8'?><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' from='" + domain + "' id='refused' version='1.0'>"
                + CmElements.streamError(condition, text) + CmElements.STREAM_CLOSE);
        session.closeOnFlush();
    }

    private static boolean refused(IoSession session) {
        return session.containsAttribute(REFUSED);
    }

    @Override
    public void sessionOpened(NextFilter next, IoSession session) {
        if (!refused(session)) {
            next.sessionOpened(session);
        }
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) {
        if (!refused(session)) {
            next.messageReceived(session, message);
        }
    }

    @Override
    public void sessionIdle(NextFilter next, IoSession session, org.apache.mina.core.session.IdleStatus status) {
        if (!refused(session)) {
            next.sessionIdle(session, status);
        }
    }

    @Override
    public void exceptionCaught(NextFilter next, IoSession session, Throwable cause) {
        if (refused(session)) {
            session.closeNow();
        } else {
            next.exceptionCaught(session, cause);
        }
    }

    /**
     * Classic token bucket: {@code perSecond} tokens a second, at most {@code burst} saved up. The
     * rate comes with each take, not at creation, so a rate the server pushes also governs
     * addresses already remembered.
     */
    static final class TokenBucket {
        private double tokens;
        private long last;

        TokenBucket(int burst) {
            this.tokens = burst;
            this.last = System.nanoTime();
        }

        boolean tryTake(long now, int perSecond, int burst) {
            tokens = Math.min(burst, tokens + (now - last) * (perSecond / 1e9));
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
