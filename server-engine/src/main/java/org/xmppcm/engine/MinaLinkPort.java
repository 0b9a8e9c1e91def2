package org.xmppcm.engine;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.xmppcm.transport.ReadGate;
import org.xmppcm.transport.TransportLayers;
import org.xmppcm.transport.XmppCodec;

/** A {@link LinkPort} on one MINA session; layers go in through the listener's {@link LinkLayers}. */
final class MinaLinkPort implements LinkPort {
    private final IoSession io;
    private final LinkLayers layers;

    MinaLinkPort(IoSession io, LinkLayers layers) {
        this.io = io;
        this.layers = layers;
    }

    /**
     * Bytes, never a String: MINA's codec filter encodes a String on the calling thread into an output object it keeps
     * in a static thread-local, and the host's threads (Openfire's own, delivering to our clients) would then each keep
     * an object of this plugin's MINA, and with it the plugin's class loader, after an unload. A buffer passes the
     * codec untouched.
     */
    @Override
    public void write(String xml) {
        io.write(IoBuffer.wrap(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void addTls(SSLContext context) {
        layers.startTls(io, context);
    }

    @Override
    public void addZlib() {
        layers.startCompression(io);
    }

    /** Read off the filter chain, so that it stays true whichever layer puts TLS in. */
    @Override
    public boolean hasTls() {
        return TransportLayers.hasTls(io);
    }

    @Override
    public boolean hasZlib() {
        return TransportLayers.hasZlib(io);
    }

    @Override
    public void restartParser() {
        XmppCodec.restartStream(io);
    }

    /** Counted apart from other reasons to pause the session (the hand-off queue), see {@link ReadGate}. */
    @Override
    public void pauseReads(Object reason) {
        ReadGate.pause(io, reason);
    }

    @Override
    public void resumeReads(Object reason) {
        ReadGate.resume(io, reason);
    }

    @Override
    public boolean readsPaused() {
        return ReadGate.isPaused(io);
    }

    /** The close marker is queued behind what is queued; anything written later is discarded. */
    @Override
    public void closeAfterFlush(int drainSeconds) {
        io.getConfig().setWriteTimeout(drainSeconds);
        io.closeOnFlush();
    }

    @Override
    public void closeNow() {
        io.closeNow();
    }

    @Override
    public SocketAddress remoteAddress() {
        return io.getRemoteAddress();
    }

    @Override
    public long queuedBytes() {
        return io.getScheduledWriteBytes();
    }

    @Override
    public long lastWriteMillis() {
        return io.getLastWriteTime();
    }

    @Override
    public long bytesRead() {
        return io.getReadBytes();
    }

    @Override
    public long bytesWritten() {
        return io.getWrittenBytes();
    }
}
