package org.xmppcm.cm.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.session.IoSession;
import org.xmppcm.cm.CmSettings;
import org.xmppcm.cm.metrics.CmMetrics;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * One {@link ClientStream} with no socket: a port that records what the stream does to its connection, an uplink
 * that records what goes to the server, and the client's side as parsed frames.
 */
final class ClientStreamRig implements ClientContext {
    static final String DOMAIN = "example.test";
    static final String CLIENT_HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='" + DOMAIN + "' version='1.0'>";
    /** What Openfire 5.1.1 pushes by default (01-link-setup.txt): optional TLS, SASL, zlib, registration. */
    static final ClientConfiguration STOCK = new ClientConfiguration(TlsPolicy.OPTIONAL,
            List.of("PLAIN", "SCRAM-SHA-1", "EXTERNAL", "SCRAM-SHA-1-PLUS"), List.of("zlib"), false, true, Map.of());

    final RecordingPort port = new RecordingPort();
    final RecordingUplink uplink = new RecordingUplink();
    final ClientRegistry registry = new ClientRegistry();
    final CmMetrics metrics = new CmMetrics();
    private final CmSettings settings = new CmSettings(new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", CmSettings.DEFAULT_SERVER_PORT), "cmtest", "s3cret", DOMAIN,
            CmSettings.DEFAULT_MAX_STANZA_BYTES);
    private final StreamIds ids;
    final ClientStream stream;

    ClientStreamRig(ClientConfiguration configuration, String streamId) {
        this.ids = new StreamIds(() -> streamId);
        uplink.configuration = configuration;
        stream = new ClientStream(port, this);
    }

    @Override
    public CmSettings settings() {
        return settings;
    }

    @Override
    public StreamIds streamIds() {
        return ids;
    }

    @Override
    public ClientRegistry registry() {
        return registry;
    }

    @Override
    public CmMetrics metrics() {
        return metrics;
    }

    @Override
    public Uplink uplink() {
        return uplink;
    }

    /** Parses {@code xml} as a client would send it inside its stream (jabber:client, stream prefix bound). */
    static StanzaFrame clientFrame(String xml) {
        return clientFrame(xml.getBytes(StandardCharsets.UTF_8));
    }

    static StanzaFrame clientFrame(byte[] xml) {
        List<Object> events = parse((CLIENT_HEADER).getBytes(StandardCharsets.UTF_8), xml);
        if (events.size() != 2 || !(events.get(1) instanceof StanzaFrame frame)) {
            throw new AssertionError("not one element: " + new String(xml, StandardCharsets.UTF_8));
        }
        return frame;
    }

    /** A client's stream header, as the parser hands it over. */
    static StreamOpen clientHeader(String header) {
        List<Object> events = parse(header.getBytes(StandardCharsets.UTF_8), new byte[0]);
        return (StreamOpen) events.get(0);
    }

    static StreamOpen clientHeader() {
        return clientHeader(CLIENT_HEADER);
    }

    private static List<Object> parse(byte[] header, byte[] body) {
        List<Object> events = new ArrayList<>();
        XmlStreamFramer framer = new XmlStreamFramer(1 << 20);
        FramerListener listener = new FramerListener() {
            @Override
            public void streamOpened(StreamOpen open) {
                events.add(open);
            }

            @Override
            public void frame(StanzaFrame frame) {
                events.add(frame);
            }

            @Override
            public void streamClosed() {
                events.add("closed");
            }
        };
        try {
            framer.feed(header, 0, header.length, listener);
            framer.feed(body, 0, body.length, listener);
        } catch (XmlStreamException e) {
            throw new AssertionError(e);
        }
        return events;
    }

    /** What the stream did to its connection, in order, as readable lines ({@code write <xml>}, {@code add TLS}...). */
    static final class RecordingPort implements ClientPort {
        private final List<String> actions = Collections.synchronizedList(new ArrayList<>());
        boolean canAddTls = true;
        boolean canAddZlib = true;
        private volatile boolean tls;
        private volatile boolean zlib;
        private volatile String blockOn;
        private volatile CountDownLatch blocked;
        private volatile CountDownLatch release;

        /** Takes what was done since the last call. */
        List<String> take() {
            synchronized (actions) {
                List<String> taken = List.copyOf(actions);
                actions.clear();
                return taken;
            }
        }

        /** The next write containing {@code text} blocks (on the writing thread) until {@link #unblock}. */
        void blockWriteOf(String text) {
            blocked = new CountDownLatch(1);
            release = new CountDownLatch(1);
            blockOn = text;
        }

        void awaitBlocked() throws InterruptedException {
            if (!blocked.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the write never came");
            }
        }

        void unblock() {
            release.countDown();
        }

        @Override
        public void write(String xml) {
            actions.add("write " + xml);
            String marker = blockOn;
            if (marker != null && xml.contains(marker)) {
                blockOn = null;
                blocked.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void write(byte[] xml) {
            write(new String(xml, StandardCharsets.UTF_8));
        }

        @Override
        public void restartParser() {
            actions.add("restart parser");
        }

        @Override
        public boolean canAddTls() {
            return canAddTls;
        }

        @Override
        public void addTls() {
            tls = true;
            actions.add("add TLS");
        }

        @Override
        public boolean hasTls() {
            return tls;
        }

        @Override
        public boolean canAddZlib() {
            return canAddZlib;
        }

        @Override
        public void addZlib() {
            zlib = true;
            actions.add("add zlib");
        }

        @Override
        public boolean hasZlib() {
            return zlib;
        }

        @Override
        public void pauseReads(Object reason) {
            actions.add("pause reads");
        }

        @Override
        public void resumeReads(Object reason) {
            actions.add("resume reads");
        }

        @Override
        public boolean readsPaused() {
            return false;
        }

        @Override
        public void closeAfterFlush() {
            actions.add("close after flush");
        }

        @Override
        public void closeNow() {
            actions.add("close now");
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public void slowDownIfCongested(Uplink uplink, String streamId) {
            // The recording uplink is never congested.
        }

        @Override
        public void tlsUnavailable(boolean required) {
            actions.add(required ? "TLS required but unavailable" : "TLS offered but unavailable");
        }
    }

    /** The server side as the stream sees it: sessions created and closed, routes sent. */
    static final class RecordingUplink implements Uplink {
        volatile ClientConfiguration configuration;
        volatile boolean reachable = true;
        volatile boolean takesRoutes = true;
        final List<String> created = Collections.synchronizedList(new ArrayList<>());
        final List<String> closed = Collections.synchronizedList(new ArrayList<>());
        final List<byte[]> routes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public boolean acceptsNewClients() {
            return reachable && configuration != null;
        }

        @Override
        public ClientConfiguration configuration() {
            return configuration;
        }

        @Override
        public void createSession(String streamId, SocketAddress clientAddress) {
            created.add(streamId);
        }

        @Override
        public boolean route(String streamId, byte[] route) {
            routes.add(route);
            return takesRoutes;
        }

        @Override
        public void slowDownIfCongested(String streamId, IoSession client) {
        }

        @Override
        public void closeSession(String streamId) {
            closed.add(streamId);
        }
    }
}
