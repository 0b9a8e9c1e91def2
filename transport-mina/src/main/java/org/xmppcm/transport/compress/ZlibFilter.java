package org.xmppcm.transport.compress;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.core.write.WriteToClosedSessionException;

/**
 * XEP-0138 zlib compression as a MINA filter between TLS and the XML codec. One instance serves
 * every session; each session's {@link ZlibStream} lives in an attribute from the moment the
 * filter is added (right after {@code <compressed/>} was written) until the session closes.
 *
 * <p>Not MINA's CompressionFilter: that one keeps zlib's default 32 KB deflate window and 128 KB
 * of hash tables per session, which an edge process holding a hundred thousand idle clients
 * cannot afford; here the deflate side is tuned by {@link ZlibTuning} and the inflate side
 * lives off the heap (see {@link ZlibStream}).
 *
 * <p>Writes: each buffer is deflated with a sync flush and sent in place of the original
 * (MINA 2.2 write requests carry their message by {@link WriteRequest#setMessage}); the deflate
 * and the hand-down happen under one lock so the compressed stream reaches the wire in the order
 * it was produced, whichever threads write.
 */
public final class ZlibFilter extends IoFilterAdapter {
    private static final AttributeKey STREAM = new AttributeKey(ZlibFilter.class, "stream");

    private final ZlibTuning tuning;

    public ZlibFilter(ZlibTuning tuning) {
        this.tuning = tuning;
    }

    /** True when this session's stream is compressed. */
    public static boolean isActive(IoSession session) {
        return session.getAttribute(STREAM) != null;
    }

    @Override
    public void onPreAdd(IoFilterChain parent, String name, NextFilter nextFilter) {
        if (parent.contains(ZlibFilter.class)) {
            throw new IllegalStateException("the stream is already compressed");
        }
        parent.getSession().setAttribute(STREAM, new ZlibStream(tuning));
    }

    @Override
    public void onPostRemove(IoFilterChain parent, String name, NextFilter nextFilter) {
        end(parent.getSession());
    }

    @Override
    public void sessionClosed(NextFilter nextFilter, IoSession session) throws Exception {
        end(session);
        nextFilter.sessionClosed(session);
    }

    private static void end(IoSession session) {
        ZlibStream stream = (ZlibStream) session.removeAttribute(STREAM);
        if (stream != null) {
            stream.end();
        }
    }

    @Override
    public void messageReceived(NextFilter nextFilter, IoSession session, Object message) throws Exception {
        ZlibStream stream = (ZlibStream) session.getAttribute(STREAM);
        if (stream == null || !(message instanceof IoBuffer in)) {
            nextFilter.messageReceived(session, message);
            return;
        }
        byte[] array;
        int offset;
        int length = in.remaining();
        if (in.hasArray()) {
            array = in.array();
            offset = in.arrayOffset() + in.position();
        } else {
            array = new byte[length];
            in.get(array);
            offset = 0;
        }
        in.position(in.limit());
        stream.inflate(array, offset, length, (bytes, count) -> nextFilter.messageReceived(session, IoBuffer.wrap(bytes, 0, count)));
    }

    @Override
    public void filterWrite(NextFilter nextFilter, IoSession session, WriteRequest writeRequest) throws Exception {
        ZlibStream stream = (ZlibStream) session.getAttribute(STREAM);
        if (stream == null || !(writeRequest.getMessage() instanceof IoBuffer out) || !out.hasRemaining()) {
            nextFilter.filterWrite(session, writeRequest);
            return;
        }
        synchronized (stream) {
            byte[] array;
            int offset;
            int length = out.remaining();
            if (out.hasArray()) {
                array = out.array();
                offset = out.arrayOffset() + out.position();
            } else {
                array = new byte[length];
                out.duplicate().get(array);
                offset = 0;
            }
            int[] produced = new int[1];
            byte[] compressed = stream.deflate(array, offset, length, produced);
            if (compressed == null) {
                // The session closed while this write was on its way: nothing can be sent any more.
                writeRequest.getFuture().setException(new WriteToClosedSessionException(writeRequest));
                return;
            }
            writeRequest.setMessage(IoBuffer.wrap(compressed, 0, produced[0]));
            nextFilter.filterWrite(session, writeRequest);
        }
    }
}
