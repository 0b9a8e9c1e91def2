package org.xmppcm.cm.limits;

import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.cm.metrics.CmMetrics;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Bounds what is queued for a client that does not read: once more than the limit waits to be
 * written, the client is closed with {@code policy-violation} (RFC 6120 4.9.3.16) instead of
 * growing the heap. Everyone else is unaffected: writes never block.
 */
public final class WriteBacklogFilter extends IoFilterAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(WriteBacklogFilter.class);
    private static final AttributeKey OVER = new AttributeKey(WriteBacklogFilter.class, "over");

    private final LiveLimits limits;
    private final CmMetrics metrics;

    public WriteBacklogFilter(LiveLimits limits, CmMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest writeRequest) {
        if (session.containsAttribute(OVER)) {
            return; // being closed; its queue is not growing any more
        }
        // Read per write: a pushed limit governs the next write of every client.
        if (session.getScheduledWriteBytes() > limits.get().maxPendingWriteBytes()) {
            session.setAttribute(OVER, Boolean.TRUE);
            metrics.streamErrorSent(StreamErrorCondition.POLICY_VIOLATION);
            LOG.info("Client {} is not reading: {} bytes pending, closing", session.getRemoteAddress(),
                    session.getScheduledWriteBytes());
            // The error will likely never be read; it is there for a client that wakes up.
            next.filterWrite(session, new org.apache.mina.core.write.DefaultWriteRequest(
                    CmElements.streamError(StreamErrorCondition.POLICY_VIOLATION, "too much unread data")));
            session.closeNow();
            return;
        }
        next.filterWrite(session, writeRequest);
    }
}
