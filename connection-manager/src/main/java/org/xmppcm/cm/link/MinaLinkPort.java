package org.xmppcm.cm.link;

import java.net.InetSocketAddress;
import org.apache.mina.core.session.IoSession;
import org.xmppcm.cm.link.LinkTlsContext;
import org.xmppcm.transport.TransportLayers;
import org.xmppcm.transport.XmppCodec;
import org.xmppcm.transport.compress.ZlibFilter;
import org.xmppcm.transport.compress.ZlibTuning;

/** A server link's {@link LinkPort} on its MINA session. */
final class MinaLinkPort implements LinkPort {
    private final IoSession session;
    /** Null when links run without TLS (link.tls=off). */
    private final LinkTlsContext tls;
    /** The address dialled, which the server's certificate is checked against. */
    private final InetSocketAddress server;

    MinaLinkPort(IoSession session, LinkTlsContext tls, InetSocketAddress server) {
        this.session = session;
        this.tls = tls;
        this.server = server;
    }

    IoSession session() {
        return session;
    }

    @Override
    public void write(Object xml) {
        session.write(xml);
    }

    @Override
    public void restartParser() {
        XmppCodec.restartStream(session);
    }

    @Override
    public void addTls() {
        if (tls == null) {
            throw new IllegalStateException("link.tls is off: no TLS context");
        }
        TransportLayers.addTls(session, tls.newFilter(server));
    }

    @Override
    public void addZlib() {
        TransportLayers.addZlib(session, new ZlibFilter(ZlibTuning.LINK));
    }

    @Override
    public void closeAfterWrites() {
        session.closeOnFlush();
    }

    @Override
    public void closeNow() {
        session.closeNow();
    }

    @Override
    public boolean isOpen() {
        return session.isConnected() && !session.isClosing();
    }

    @Override
    public long queuedBytes() {
        return session.getScheduledWriteBytes();
    }

    @Override
    public long lastReadMillis() {
        return session.getLastReadTime();
    }
}
