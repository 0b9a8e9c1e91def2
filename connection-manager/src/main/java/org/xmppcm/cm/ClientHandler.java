package org.xmppcm.cm;

import java.io.IOException;
import java.nio.BufferOverflowException;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.transport.compress.CompressedStreamException;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.transport.StreamEnd;
import org.xmppcm.transport.XmppCodec;

/** MINA events of client connections, handed to each connection's {@link ClientStream}. */
final class ClientHandler extends IoHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
    private static final AttributeKey STREAM = new AttributeKey(ClientHandler.class, "stream");

    private final ClientContext context;
    private final StreamLayers layers;

    ClientHandler(ClientContext context, StreamLayers layers) {
        this.context = context;
        this.layers = layers;
    }

    static ClientStream stream(IoSession session) {
        return (ClientStream) session.getAttribute(STREAM);
    }

    @Override
    public void sessionCreated(IoSession session) {
        // Sessions on the direct TLS port have TLS in their chain already (ClientAcceptors).
        boolean secured = session.getFilterChain().contains(StreamLayers.TLS);
        session.setAttribute(STREAM, new ClientStream(session, context, layers, secured));
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        ClientStream stream = stream(session);
        if (message instanceof StanzaFrame frame) {
            stream.frameReceived(frame);
        } else if (message instanceof StreamOpen open) {
            stream.streamOpened(open);
        } else if (message == StreamEnd.INSTANCE) {
            stream.clientClosedStream();
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        ClientStream stream = stream(session);
        if (stream != null) {
            stream.endSession();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        ClientStream stream = stream(session);
        var streamError = XmppCodec.streamError(cause);
        if (stream == null) {
            // Refused before the handler saw the session (a filter turned it away): nothing to tell.
            LOG.debug("Client {} failed before its stream began: {}", session.getRemoteAddress(), cause.toString());
            session.closeNow();
        } else if (streamError.isPresent()) {
            LOG.debug("Client {} broke its stream: {}", session.getRemoteAddress(), streamError.get().getMessage());
            stream.fail(streamError.get().condition(), null); // the parser's words are for our log, not for the client
        } else if (cause instanceof CompressedStreamException) {
            LOG.debug("Client {} sent broken compressed data: {}", session.getRemoteAddress(), cause.getMessage());
            stream.compressionFailed();
        } else if (cause instanceof IOException || cause instanceof WriteException) {
            // Includes TLS handshake failures (SSLException): nothing readable can reach the client.
            LOG.debug("Client {} I/O error: {}", session.getRemoteAddress(), cause.toString());
            session.closeNow();
        } else if (cause instanceof BufferOverflowException) {
            // MINA's SslFilter holds at most 64 writes behind a TLS handshake in progress.
            LOG.debug("Client {} does not read; closing", session.getRemoteAddress());
            session.closeNow();
        } else {
            LOG.error("Client {}: unexpected failure", session.getRemoteAddress(), cause);
            stream.fail(StreamErrorCondition.INTERNAL_SERVER_ERROR, null);
        }
    }
}
