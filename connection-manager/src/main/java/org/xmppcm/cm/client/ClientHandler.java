package org.xmppcm.cm.client;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.transport.IoFailure;
import org.xmppcm.transport.StreamEnd;

/**
 * MINA events of client connections, handed to each connection's {@link ClientStream} on the connection's I/O thread,
 * which never waits for the stream (see the package documentation).
 */
final class ClientHandler extends IoHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
    private static final AttributeKey STREAM = new AttributeKey(ClientHandler.class, "stream");

    private final ClientContext context;
    private final ClientLayers layers;

    ClientHandler(ClientContext context, ClientLayers layers) {
        this.context = context;
        this.layers = layers;
    }

    static ClientStream stream(IoSession session) {
        return (ClientStream) session.getAttribute(STREAM);
    }

    @Override
    public void sessionCreated(IoSession session) {
        // Sessions on the direct TLS port have TLS in their chain already (ClientAcceptors): the port sees it.
        session.setAttribute(STREAM, new ClientStream(new MinaClientPort(session, layers), context));
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
    public void event(IoSession session, FilterEvent event) {
        ClientStream stream = stream(session);
        if (stream != null && event == SslEvent.SECURED) {
            stream.tlsEstablished();
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
        IoFailure failure = IoFailure.classify(cause);
        if (stream == null) {
            // Refused before the handler saw the session (a filter turned it away): nothing to tell.
            LOG.debug("Client {} failed before its stream began: {}", session.getRemoteAddress(), failure.describe());
            session.closeNow();
            return;
        }
        switch (failure.kind()) {
            case STREAM_ERROR -> {
                LOG.debug("Client {} broke its stream: {}", session.getRemoteAddress(), failure.describe());
                stream.fail(failure.streamError().orElseThrow().condition(), null);
            }
            case COMPRESSION -> {
                LOG.debug("Client {} sent broken compressed data: {}", session.getRemoteAddress(), failure.describe());
                stream.compressionFailed();
            }
            case TLS, WRITE_TO_CLOSED, WRITE_TIMEOUT, CONNECTION_LOST -> {
                // Nothing readable can reach the client any more.
                LOG.debug("Client {} I/O error: {}", session.getRemoteAddress(), failure.describe());
                session.closeNow();
            }
            case WRITE_OVERFLOW -> {
                LOG.debug("Client {} does not read; closing", session.getRemoteAddress());
                session.closeNow();
            }
            case UNEXPECTED -> {
                LOG.error("Client {}: unexpected failure", session.getRemoteAddress(), cause);
                stream.fail(StreamErrorCondition.INTERNAL_SERVER_ERROR, null);
            }
        }
    }
}
