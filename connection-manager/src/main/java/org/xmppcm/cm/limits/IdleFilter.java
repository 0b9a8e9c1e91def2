package org.xmppcm.cm.limits;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.session.IoSessionConfig;
import org.xmppcm.cm.metrics.CmMetrics;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Keeps client connections honest. Nothing written for {@link ClientLimits#keepalive()}: a
 * whitespace keepalive (RFC 6120 4.6.1) keeps NAT and proxies open. Nothing read for half the idle
 * timeout: an XEP-0199 ping, whose answer this filter takes out of the stream (it is ours, not the
 * server's). Nothing read for the whole idle timeout: {@code connection-timeout}. Silent both ways
 * for {@value #TRIM_AFTER_SECONDS} s: the stream's parser memory is released until it speaks again.
 * Sits after the codec, so it sees frames. The limits are the live ones ({@link LiveLimits}): an
 * existing client takes a pushed change at its next idle event.
 */
public final class IdleFilter extends IoFilterAdapter {
    static final String PING_ID_PREFIX = "cm-ping-";
    /**
     * Silent this long (neither way; at most the keepalive interval), a stream gives back its
     * parser memory until it speaks again.
     */
    static final int TRIM_AFTER_SECONDS = 30;

    private final LiveLimits limits;
    private final String domain;
    private final CmMetrics metrics;
    private final AtomicLong pings = new AtomicLong();

    public IdleFilter(LiveLimits limits, String domain, CmMetrics metrics) {
        this.limits = limits;
        this.domain = domain;
        this.metrics = metrics;
    }

    @Override
    public void sessionCreated(NextFilter next, IoSession session) throws Exception {
        setIdleTimes(session.getConfig(), limits.get());
        next.sessionCreated(session);
    }

    /** MINA checks each session's idle times about once a second, so new ones count from the next check on. */
    private static void setIdleTimes(IoSessionConfig config, ClientLimits limits) {
        config.setReaderIdleTime((int) Math.max(1, limits.idleTimeout().toSeconds() / 2));
        config.setWriterIdleTime((int) limits.keepalive().toSeconds());
        config.setBothIdleTime((int) Math.min(TRIM_AFTER_SECONDS, limits.keepalive().toSeconds()));
    }

    @Override
    public void sessionIdle(NextFilter next, IoSession session, IdleStatus status) {
        // Pushed limits reach an existing client here rather than by walking every session on a push: this
        // runs on the session's own I/O thread, costs nothing per client, and a client silent both ways
        // has an idle event at least every TRIM_AFTER_SECONDS (one that only listens, after half its old timeout).
        setIdleTimes(session.getConfig(), limits.get());
        if (status == IdleStatus.BOTH_IDLE) {
            // Most clients of a CM are idle most of the time: this is where their memory goes.
            org.xmppcm.transport.XmppCodec.trimIdle(session);
        } else if (status == IdleStatus.WRITER_IDLE) {
            session.write(" ");
        } else if (status == IdleStatus.READER_IDLE) {
            // MINA counts consecutive idle periods and resets on every read.
            if (session.getIdleCount(IdleStatus.READER_IDLE) >= 2) {
                metrics.streamErrorSent(StreamErrorCondition.CONNECTION_TIMEOUT);
                session.write(CmElements.streamError(StreamErrorCondition.CONNECTION_TIMEOUT, null));
                session.write(CmElements.STREAM_CLOSE);
                session.closeOnFlush();
            } else {
                session.write("<iq type='get' id='" + PING_ID_PREFIX + pings.incrementAndGet() + "' from='" + domain
                        + "'><ping xmlns='urn:xmpp:ping'/></iq>");
            }
        }
        next.sessionIdle(session, status);
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) {
        if (message instanceof StanzaFrame frame && isAnswerToOurPing(frame)) {
            return;
        }
        next.messageReceived(session, message);
    }

    private static boolean isAnswerToOurPing(StanzaFrame frame) {
        String id = frame.attribute("id");
        String type = frame.attribute("type");
        return frame.localName().equals("iq") && id != null && id.startsWith(PING_ID_PREFIX)
                && ("result".equals(type) || "error".equals(type));
    }
}
