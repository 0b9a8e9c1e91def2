package org.xmppcm.load;

import java.nio.charset.StandardCharsets;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.xmppcm.transport.StreamEnd;
import org.xmppcm.transport.XmppCodecFactory;

/**
 * The project's XMPP codec for the load clients, with one twist: a client that will only sit idle
 * can drop its framer (about 3 KB of parser state each) and from then on just watch the raw bytes
 * for the end of the stream. Keeps a generator of 100k+ clients small; every client uses the
 * framer through login and whenever it exchanges stanzas.
 */
final class ClientCodec implements ProtocolCodecFactory {
    /** What a raw (framer-less) client hands its handler for anything but the stream end. */
    enum Raw { DATA }

    private static final byte[] STREAM_END = "</stream:stream>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_ERROR = "<stream:error".getBytes(StandardCharsets.US_ASCII);

    private final ProtocolDecoder framing;
    private final ProtocolEncoder encoder;
    private final ProtocolDecoder decoder = new ProtocolDecoder() {
        @Override
        public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
            LoadClient client = LoadClient.of(session);
            if (client == null || !client.raw) {
                framing.decode(session, in, out);
                return;
            }
            if (!client.framerDropped) {
                // Decoding runs on the session's one I/O thread, so the framer is not in use here.
                framing.dispose(session);
                client.framerDropped = true;
            }
            byte[] bytes = new byte[in.remaining()];
            in.get(bytes);
            boolean whitespace = true;
            for (byte b : bytes) {
                whitespace &= b == ' ' || b == '\n' || b == '\r' || b == '\t';
            }
            if (contains(bytes, STREAM_END) || contains(bytes, STREAM_ERROR)) {
                out.write(StreamEnd.INSTANCE);
            } else if (!whitespace) {
                out.write(Raw.DATA);
            }
        }

        @Override
        public void finishDecode(IoSession session, ProtocolDecoderOutput out) throws Exception {
            framing.finishDecode(session, out);
        }

        @Override
        public void dispose(IoSession session) throws Exception {
            framing.dispose(session);
        }
    };

    ClientCodec(int maxStanzaBytes) {
        XmppCodecFactory codec = new XmppCodecFactory(maxStanzaBytes);
        this.framing = codec.getDecoder(null);
        this.encoder = codec.getEncoder(null);
    }

    @Override
    public ProtocolEncoder getEncoder(IoSession session) {
        return encoder;
    }

    @Override
    public ProtocolDecoder getDecoder(IoSession session) {
        return decoder;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
