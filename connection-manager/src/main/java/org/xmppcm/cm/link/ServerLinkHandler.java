package org.xmppcm.cm.link;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.transport.IoFailure;
import org.xmppcm.transport.StreamEnd;

/** MINA events of server links, handed to each link's {@link ServerLink}. */
public final class ServerLinkHandler extends IoHandlerAdapter {
    static final AttributeKey LINK = new AttributeKey(ServerLinkHandler.class, "link");
    private static final Logger LOG = LoggerFactory.getLogger(ServerLinkHandler.class);

    private static ServerLink link(IoSession session) {
        return (ServerLink) session.getAttribute(LINK);
    }

    @Override
    public void sessionOpened(IoSession session) {
        link(session).open();
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        ServerLink link = link(session);
        if (message instanceof StanzaFrame frame) {
            link.frameReceived(frame);
        } else if (message instanceof StreamOpen open) {
            link.streamOpened(open);
        } else if (message == StreamEnd.INSTANCE) {
            link.streamEnded();
        }
    }

    @Override
    public void event(IoSession session, org.apache.mina.filter.FilterEvent event) {
        if (event == org.apache.mina.filter.ssl.SslEvent.SECURED) {
            link(session).tlsSecured();
        }
    }

    @Override
    public void sessionIdle(IoSession session, org.apache.mina.core.session.IdleStatus status) {
        if (status == org.apache.mina.core.session.IdleStatus.WRITER_IDLE) {
            link(session).keepalive();
        } else if (status == org.apache.mina.core.session.IdleStatus.READER_IDLE) {
            link(session).readerIdle();
        }
    }

    /** On the I/O thread (not handed to the link-event threads): cheap unless clients wait for the link to drain. */
    @Override
    public void messageSent(IoSession session, Object message) {
        ServerLink link = link(session);
        if (link != null) {
            link.written();
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        link(session).closed();
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        ServerLink link = link(session);
        IoFailure failure = IoFailure.classify(cause);
        switch (failure.kind()) {
            // The parser's words are for our log, not for the server.
            case STREAM_ERROR -> {
                LOG.warn("Link {}: the server broke the stream: {}", link.name(), failure.describe());
                link.fail(failure.streamError().orElseThrow().condition(), null);
            }
            case WRITE_TO_CLOSED -> {
                if (link.isEnding()) {
                    // Bytes still queued when a link we were closing went (with TLS, a record MINA queues behind our
                    // last element): the stream was over from our side, so this is no link failure.
                    LOG.debug("Link {}: {} after its close", link.name(), failure.describe());
                } else {
                    LOG.warn("Link {} I/O error: {}", link.name(), failure.describe());
                    session.closeNow();
                }
            }
            case COMPRESSION, TLS, WRITE_OVERFLOW, WRITE_TIMEOUT, CONNECTION_LOST -> {
                LOG.warn("Link {} I/O error: {}", link.name(), failure.describe());
                session.closeNow();
            }
            case UNEXPECTED -> {
                LOG.error("Link {}: unexpected failure", link.name(), cause);
                link.fail(StreamErrorCondition.INTERNAL_SERVER_ERROR, null);
            }
        }
    }
}
