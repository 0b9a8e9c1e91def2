package org.xmppcm.transport.tls;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;

/**
 * Hands MINA's TLS filter no write larger than one TLS record. Its synchronized pipeline encrypts a write that fits
 * one record at once, whatever is still unsent; a larger one (a big vCard, an avatar) is encrypted a record at a time
 * as earlier records reach the socket, and every write behind it waits in a queue of 64, beyond which writes fail and
 * the connection dies. On a link carrying thousands of clients that queue fills within one round trip. Sliced, every
 * write is encrypted at once and the usual write queue (bounded elsewhere) holds the rest.
 *
 * <p>Sits right above the TLS filter (below compression, whose output is what gets encrypted).
 */
public final class TlsRecordSlicer extends IoFilterAdapter {
    public static final String NAME = org.xmppcm.transport.FilterNames.TLS_SLICER;
    /** Below the 16,384-byte plaintext limit of a TLS record, with room to spare for any padding policy. */
    public static final int MAX_SLICE = 16_000;

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest request) {
        Object message = request.getMessage();
        if (!(message instanceof IoBuffer buffer) || buffer.remaining() <= MAX_SLICE) {
            next.filterWrite(session, request);
            return;
        }
        while (buffer.remaining() > MAX_SLICE) {
            next.filterWrite(session, new Slice(buffer.getSlice(MAX_SLICE)));
        }
        // The last piece travels in the original request, so its future and messageSent still reach the writer.
        next.filterWrite(session, request);
    }

    @Override
    public void messageSent(NextFilter next, IoSession session, WriteRequest request) {
        if (!(request instanceof Slice)) {
            next.messageSent(session, request);
        }
    }

    /** A leading piece of a sliced write: nobody above waits for it. */
    private static final class Slice extends DefaultWriteRequest {
        Slice(IoBuffer piece) {
            super(piece);
        }
    }
}
