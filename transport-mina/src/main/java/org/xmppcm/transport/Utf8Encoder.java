package org.xmppcm.transport;

import java.nio.charset.StandardCharsets;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

/**
 * Writes {@code String} (as UTF-8) and {@code byte[]} (already UTF-8 XML) messages.
 * Ownership: a written {@code byte[]} belongs to MINA until sent; callers must not modify it.
 */
final class Utf8Encoder implements ProtocolEncoder {
    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        if (message instanceof byte[] bytes) {
            out.write(IoBuffer.wrap(bytes));
        } else if (message instanceof CharSequence text) {
            out.write(IoBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
        } else if (message instanceof IoBuffer buffer) {
            out.write(buffer);
        } else {
            throw new IllegalArgumentException("cannot encode " + message.getClass().getName());
        }
    }

    @Override
    public void dispose(IoSession session) {
    }
}
