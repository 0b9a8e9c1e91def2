package org.xmppcm.cm.client;

import java.net.SocketAddress;
import org.apache.mina.core.session.IoSession;
import org.xmppcm.transport.ReadGate;
import org.xmppcm.transport.TransportLayers;
import org.xmppcm.transport.XmppCodec;

/**
 * {@link ClientPort} on a MINA session. Writes run down the filter chain on the writing thread, into the session's
 * write queue: an element written before a layer is added has passed below it already and leaves as it was.
 */
final class MinaClientPort implements ClientPort {
    private final IoSession session;
    private final ClientLayers layers;

    MinaClientPort(IoSession session, ClientLayers layers) {
        this.session = session;
        this.layers = layers;
    }

    @Override
    public void write(String xml) {
        session.write(xml);
    }

    @Override
    public void write(byte[] xml) {
        session.write(xml);
    }

    @Override
    public void restartParser() {
        XmppCodec.restartStream(session);
    }

    @Override
    public boolean canAddTls() {
        return layers.canStartTls();
    }

    @Override
    public void addTls() {
        layers.startTls(session);
    }

    @Override
    public boolean hasTls() {
        return TransportLayers.hasTls(session);
    }

    @Override
    public boolean canAddZlib() {
        return layers.canCompress();
    }

    @Override
    public void addZlib() {
        layers.startCompression(session);
    }

    @Override
    public boolean hasZlib() {
        return TransportLayers.hasZlib(session);
    }

    @Override
    public void pauseReads(Object reason) {
        ReadGate.pause(session, reason);
    }

    @Override
    public void resumeReads(Object reason) {
        ReadGate.resume(session, reason);
    }

    @Override
    public boolean readsPaused() {
        return ReadGate.isPaused(session);
    }

    @Override
    public void closeAfterFlush() {
        session.closeOnFlush();
    }

    @Override
    public void closeNow() {
        session.closeNow();
    }

    @Override
    public SocketAddress remoteAddress() {
        return session.getRemoteAddress();
    }

    @Override
    public void slowDownIfCongested(Uplink uplink, String streamId) {
        uplink.slowDownIfCongested(streamId, session);
    }

    @Override
    public void tlsUnavailable(boolean required) {
        if (required) {
            layers.tlsRequiredWithoutCertificate();
        } else {
            layers.tlsOfferedWithoutCertificate();
        }
    }

    @Override
    public String toString() {
        return String.valueOf(session.getRemoteAddress());
    }
}
