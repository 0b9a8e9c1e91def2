package org.xmppcm.transport;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * Feeds each received buffer to the session's {@link XmlStreamFramer} and passes on what it reads:
 * {@link StreamOpen}, {@link StanzaFrame}, {@link StreamEnd}.
 *
 * <p>Not a {@code CumulativeProtocolDecoder}: the framer keeps the partial element itself, bounded
 * by its limit, so MINA never accumulates an unbounded session buffer. The input buffer is fully
 * consumed on every call and nothing keeps a reference to it (ProtocolCodecFilter frees it).
 *
 * <p>After the framer fails, further input is discarded: the handler is closing the session.
 */
final class FramingDecoder implements ProtocolDecoder {
    private static final AttributeKey STATE = new AttributeKey(FramingDecoder.class, "state");

    private final int maxElementBytes;

    FramingDecoder(int maxElementBytes) {
        this.maxElementBytes = maxElementBytes;
    }

    /** Per-session framing state. {@code restartRequested} is set from other threads. */
    static final class State {
        final XmlStreamFramer framer;
        volatile boolean restartRequested;
        boolean failed;

        State(int maxElementBytes) {
            framer = new XmlStreamFramer(maxElementBytes);
        }
    }

    static State state(IoSession session, int maxElementBytes) {
        State state = (State) session.getAttribute(STATE);
        if (state == null) {
            state = new State(maxElementBytes);
            State raced = (State) session.setAttributeIfAbsent(STATE, state);
            if (raced != null) {
                state = raced;
            }
        }
        return state;
    }

    static void requestRestart(IoSession session) {
        State state = (State) session.getAttribute(STATE);
        if (state != null) {
            state.restartRequested = true;
        }
    }

    static boolean trim(IoSession session) {
        State state = (State) session.getAttribute(STATE);
        return state == null || state.failed || state.framer.trim();
    }

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
        State state = state(session, maxElementBytes);
        int len = in.remaining();
        if (state.failed || state.framer.isClosed()) {
            in.position(in.limit());
            return;
        }
        if (state.restartRequested) {
            state.restartRequested = false;
            state.framer.restart();
        }
        byte[] array;
        int offset;
        if (in.hasArray()) {
            array = in.array();
            offset = in.arrayOffset() + in.position();
            // Consume before feeding: on failure the filter must not hand us these bytes again.
            in.position(in.limit());
        } else {
            array = new byte[len];
            in.get(array);
            offset = 0;
        }
        try {
            state.framer.feed(array, offset, len, new Forwarder(out));
        } catch (XmlStreamException e) {
            state.failed = true;
            throw e;
        }
    }

    @Override
    public void finishDecode(IoSession session, ProtocolDecoderOutput out) {
        // A partial element at disconnect is dropped: XMPP has no use for half a stanza.
    }

    @Override
    public void dispose(IoSession session) {
        session.removeAttribute(STATE);
    }

    private record Forwarder(ProtocolDecoderOutput out) implements FramerListener {
        @Override
        public void streamOpened(StreamOpen open) {
            out.write(open);
        }

        @Override
        public void frame(StanzaFrame frame) {
            out.write(frame);
        }

        @Override
        public void streamClosed() {
            out.write(StreamEnd.INSTANCE);
        }
    }
}
