package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.dom4j.Element;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * A {@link LinkPort} without a socket. It records what the link does, in order, and reads what the link writes as the
 * CM would: with a framer of its own, which starts a new stream at the first write after a layer went in (our
 * header of the restarted stream, or an error after one).
 */
final class RecordingLinkPort implements LinkPort {
    enum Kind { WRITE, ADD_TLS, ADD_ZLIB, RESTART_PARSER, CLOSE_AFTER_FLUSH, CLOSE_NOW }

    /** One thing the link did to its connection; {@code xml} only for writes. */
    record Action(Kind kind, String xml) {
        @Override
        public String toString() {
            return xml == null ? kind.name() : kind + " " + xml;
        }
    }

    /** The CM read our {@code </stream:stream>}. */
    static final Object STREAM_END = "</stream:stream>";

    private final List<Action> actions = new ArrayList<>();
    private final Set<Object> pausedBy = new HashSet<>();
    private boolean tls;
    private boolean zlib;
    private boolean parserRestartRequested;

    private final XmlStreamFramer ours = new XmlStreamFramer(1 << 20);
    private boolean oursRestarts;
    private Map<String, String> ourNamespaces = Map.of();
    /** What the CM has read and the test not yet taken: {@link StreamOpen}, {@link Element}, {@link #STREAM_END}. */
    private final Deque<Object> read = new ArrayDeque<>();

    @Override
    public synchronized void write(String xml) {
        actions.add(new Action(Kind.WRITE, xml));
        if (oursRestarts) {
            ours.restart();
            oursRestarts = false;
        }
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        try {
            ours.feed(bytes, 0, bytes.length, new FramerListener() {
                @Override
                public void streamOpened(StreamOpen open) {
                    ourNamespaces = open.namespaces();
                    read.add(open);
                }

                @Override
                public void frame(StanzaFrame frame) {
                    try {
                        read.add(XmlDom.parse(frame, ourNamespaces));
                    } catch (CmProtocolException e) {
                        throw new AssertionError("the link wrote what a CM cannot read: " + frame.asString(), e);
                    }
                }

                @Override
                public void streamClosed() {
                    read.add(STREAM_END);
                }
            });
        } catch (XmlStreamException e) {
            throw new AssertionError("the CM cannot read " + xml + " (broken, or not a new stream's header right after a"
                    + " layer went in)", e);
        }
    }

    @Override
    public synchronized void addTls(SSLContext context) {
        assertThat(tls).as("TLS twice").isFalse();
        actions.add(new Action(Kind.ADD_TLS, null));
        tls = true;
        oursRestarts = true;
    }

    @Override
    public synchronized void addZlib() {
        assertThat(zlib).as("zlib twice").isFalse();
        actions.add(new Action(Kind.ADD_ZLIB, null));
        zlib = true;
        oursRestarts = true;
    }

    @Override
    public synchronized boolean hasTls() {
        return tls;
    }

    @Override
    public synchronized boolean hasZlib() {
        return zlib;
    }

    @Override
    public synchronized void restartParser() {
        actions.add(new Action(Kind.RESTART_PARSER, null));
        parserRestartRequested = true;
    }

    /** Whether the link asked for a new stream since the last call: the CM's next bytes start one. */
    synchronized boolean takeParserRestart() {
        boolean requested = parserRestartRequested;
        parserRestartRequested = false;
        return requested;
    }

    @Override
    public synchronized void pauseReads(Object reason) {
        pausedBy.add(reason);
    }

    @Override
    public synchronized void resumeReads(Object reason) {
        pausedBy.remove(reason);
    }

    @Override
    public synchronized boolean readsPaused() {
        return !pausedBy.isEmpty();
    }

    @Override
    public synchronized void closeAfterFlush(int drainSeconds) {
        actions.add(new Action(Kind.CLOSE_AFTER_FLUSH, null));
    }

    @Override
    public synchronized void closeNow() {
        actions.add(new Action(Kind.CLOSE_NOW, null));
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 49424);
    }

    @Override
    public long queuedBytes() {
        return 0; // everything is written at once
    }

    @Override
    public long lastWriteMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    public long bytesWritten() {
        return 0;
    }

    /** Every action so far, in order. */
    synchronized List<Action> actions() {
        return List.copyOf(actions);
    }

    /** The kinds of the actions after the first {@code skip}, in order. */
    synchronized List<Kind> kindsAfter(int skip) {
        return actions.subList(skip, actions.size()).stream().map(Action::kind).toList();
    }

    synchronized int actionCount() {
        return actions.size();
    }

    /** The next stream header the CM read from us. */
    synchronized StreamOpen nextHeader() {
        Object next = read.poll();
        assertThat(next).as("a stream header from the link").isInstanceOf(StreamOpen.class);
        return (StreamOpen) next;
    }

    /** The next element the CM read from us. */
    synchronized Element next() {
        Object next = read.poll();
        assertThat(next).as("an element from the link").isInstanceOf(Element.class);
        return (Element) next;
    }

    /** The next thing the CM read from us: a header, an element or {@link #STREAM_END}. */
    synchronized Object nextRead() {
        Object next = read.poll();
        assertThat(next).as("more from the link").isNotNull();
        return next;
    }

    /** Whether the CM read our {@code </stream:stream>} next. */
    synchronized boolean nextIsStreamEnd() {
        return read.poll() == STREAM_END;
    }

    /** Whether the CM has read everything the link wrote. */
    synchronized boolean allRead() {
        return read.isEmpty();
    }
}
