package org.xmppcm.transport;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;

/**
 * The XMPP codec for a MINA filter chain: strict stream framing in, UTF-8 XML out. One factory
 * serves every session of a chain; the encoder and decoder are stateless and shared, the framing
 * state lives in a session attribute.
 */
public final class XmppCodecFactory implements ProtocolCodecFactory {
    private final FramingDecoder decoder;
    private final Utf8Encoder encoder = new Utf8Encoder();

    /** @param maxElementBytes the largest top-level element (stanza) accepted from a peer */
    public XmppCodecFactory(int maxElementBytes) {
        this.decoder = new FramingDecoder(maxElementBytes);
    }

    @Override
    public ProtocolEncoder getEncoder(IoSession session) {
        return encoder;
    }

    @Override
    public ProtocolDecoder getDecoder(IoSession session) {
        return decoder;
    }
}
