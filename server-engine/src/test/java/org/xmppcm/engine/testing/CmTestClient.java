package org.xmppcm.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.dom4j.Element;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.Handshake;
import org.xmppcm.protocol.cm.ManagerInstance;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * A blocking test stand-in for the CM side of one link: plain socket out, the project's framer in.
 * Every read has a deadline so no test can hang. Can start TLS (an SSLSocket layered over the
 * plain one) and zlib (the JDK's, sync-flushed per write) as a CM does after the server's go-ahead.
 */
public final class CmTestClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    public static final String HEADER_TEMPLATE = "<?xml version='1.0' encoding='UTF-8'?><stream:stream"
            + " xmlns:stream='http://etherx.jabber.org/streams' xmlns='%s' %sversion='1.0'>";

    private final Socket socket;
    private InputStream in;
    private OutputStream out;
    /** Set once zlib is on, in both directions. */
    private Inflater inflater;
    private Deflater deflater;
    private final XmlStreamFramer framer = new XmlStreamFramer(16 * 1024 * 1024);
    private final Deque<Object> events = new ArrayDeque<>();
    private final byte[] buffer = new byte[64 * 1024];
    private boolean eof;
    private StreamOpen header;
    private Element features;

    private static final Object STREAM_END = new Object();

    private CmTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static CmTestClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** @param receiveBuffer a small SO_RCVBUF to make a slow reader; 0 for the default */
    public static CmTestClient connect(int port, int receiveBuffer) throws IOException {
        return connect(null, port, receiveBuffer);
    }

    /**
     * @param localAddress the source address (e.g. another loopback address, to look like another
     *        host to the server); null for the system's choice
     * @param receiveBuffer a small SO_RCVBUF to make a slow reader; 0 for the default
     */
    public static CmTestClient connect(InetAddress localAddress, int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
        socket.setSoTimeout(50);
        return new CmTestClient(socket);
    }

    public void send(String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        if (deflater != null) {
            deflater.setInput(bytes);
            byte[] chunk = new byte[bytes.length + 64];
            java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
            int n;
            do {
                n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                compressed.write(chunk, 0, n);
            } while (n == chunk.length);
            bytes = compressed.toByteArray();
        }
        sendRaw(bytes);
    }

    /** Writes {@code bytes} as they are, past any compression (to send broken zlib data). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * After the server's {@code <proceed/>}: TLS over the same socket (client side, trusting
     * {@code context}), then a fresh stream whose header the caller sends with {@link #open}.
     */
    public void startTls(SSLContext context) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.setSoTimeout((int) TIMEOUT.toMillis());
        tls.startHandshake();
        tls.setSoTimeout(50);
        in = tls.getInputStream();
        out = tls.getOutputStream();
        restartStream();
    }

    /** After the server's {@code <compressed/>}: zlib both ways, then a fresh stream. */
    public void startCompression() {
        inflater = new Inflater();
        deflater = new Deflater();
        restartStream();
    }

    private void restartStream() {
        framer.restart();
        header = null;
        features = null;
    }

    /** Sends our header addressed to {@code to} and reads the server's header and features. */
    public StreamOpen open(String to) throws IOException {
        return open(to, null);
    }

    /** As {@link #open(String)}, naming the manager process as our CM does (null: name none, as stock CMs). */
    public StreamOpen open(String to, ManagerInstance instance) throws IOException {
        send(CmElements.linkStreamOpen(to, instance));
        awaitHeader();
        features = next();
        if (!features.getName().equals("features") || !Namespaces.STREAMS.equals(features.getNamespaceURI())) {
            throw new AssertionError("expected stream features, got " + features.asXML());
        }
        return header;
    }

    public Element features() {
        return features;
    }

    /** The features besides the offer of acknowledgements, which every negotiating header carries. */
    public java.util.List<Element> featuresBesidesAcks() {
        return features.elements().stream()
                .filter(e -> !org.xmppcm.protocol.ack.AckElements.NAMESPACE.equals(e.getNamespaceURI())).toList();
    }

    public StreamOpen awaitHeader() throws IOException {
        long deadline = deadline();
        while (header == null) {
            readSome(deadline, "the server's stream header");
        }
        return header;
    }

    public StreamOpen header() {
        return header;
    }

    public String streamId() {
        return header.attribute("id");
    }

    /** Opens and authenticates a link; returns the pushed configuration IQ (already acknowledged). */
    public Element authenticate(String to, String secret) throws IOException {
        return authenticate(to, secret, null);
    }

    /** As {@link #authenticate(String, String)}, from the manager process {@code instance}. */
    public Element authenticate(String to, String secret, ManagerInstance instance) throws IOException {
        open(to, instance);
        return handshake(secret);
    }

    /** Authenticates the stream opened last; returns the pushed configuration IQ (already acknowledged). */
    public Element handshake(String secret) throws IOException {
        return handshake(secret, false);
    }

    /**
     * As {@link #authenticate(String, String)}, taking the offer of acknowledgements: from the configuration IQ on,
     * the engine counts what it sends and keeps it until acknowledged, and counts what it receives.
     */
    public Element authenticateWithAcks(String to, String secret) throws IOException {
        open(to, null);
        return handshake(secret, true);
    }

    private Element handshake(String secret, boolean acks) throws IOException {
        String digest = Handshake.digest(streamId(), secret);
        send(acks ? org.xmppcm.protocol.ack.AckElements.handshakeTakingOffer(digest)
                : "<handshake>" + digest + "</handshake>");
        Element ack = next();
        if (!ack.getName().equals("handshake") || !ack.getTextTrim().isEmpty()) {
            throw new AssertionError("expected an empty handshake ack, got " + ack.asXML());
        }
        Element config = next();
        send("<iq type='result' id='" + config.attributeValue("id") + "'/>");
        return config;
    }

    /** The next top-level element from the server; its requests for acknowledgement ({@code <r/>}) are skipped. */
    public StanzaFrame nextFrame() throws IOException {
        long deadline = deadline();
        while (true) {
            Object event = events.poll();
            if (event instanceof StanzaFrame frame && org.xmppcm.protocol.ack.AckElements.is(frame, "r")) {
                continue;
            }
            if (event instanceof StanzaFrame frame) {
                return frame;
            }
            if (event == STREAM_END) {
                throw new AssertionError("server closed its stream instead of sending an element");
            }
            if (event instanceof XmlStreamException e) {
                throw new AssertionError("server's stream broken: " + e.getMessage());
            }
            if (event == null) {
                readSome(deadline, "an element");
            }
        }
    }

    /** The next top-level element, parsed in the scope of the server's header. */
    public Element next() throws IOException {
        StanzaFrame frame = nextFrame();
        try {
            return XmlDom.parse(frame, header == null ? Map.of() : header.namespaces());
        } catch (CmProtocolException e) {
            throw new AssertionError("cannot parse " + frame.asString(), e);
        }
    }

    /**
     * Expects {@code <stream:error>} with {@code condition}, then {@code </stream:stream>} and the
     * socket closing. Skips elements sent before the error (e.g. queued routes).
     */
    public void expectStreamErrorAndClose(String condition) throws IOException {
        Element error;
        do {
            error = next();
        } while (!(error.getName().equals("error") && Namespaces.STREAMS.equals(error.getNamespaceURI())));
        Element cond = error.elements().isEmpty() ? null : error.elements().get(0);
        if (cond == null || !cond.getName().equals(condition)
                || !Namespaces.STREAM_ERRORS.equals(cond.getNamespaceURI())) {
            throw new AssertionError("expected stream error " + condition + ", got " + error.asXML());
        }
        expectStreamEndAndEof();
    }

    /** Expects {@code </stream:stream>} (no more elements) and then EOF. */
    public void expectStreamEndAndEof() throws IOException {
        long deadline = deadline();
        while (true) {
            Object event = events.poll();
            if (event == STREAM_END) {
                break;
            }
            if (event instanceof StanzaFrame frame) {
                throw new AssertionError("expected </stream:stream>, got " + frame.asString());
            }
            if (event instanceof XmlStreamException e) {
                throw new AssertionError("server's stream broken: " + e.getMessage());
            }
            if (event == null) {
                readSome(deadline, "</stream:stream>");
            }
        }
        expectEof();
    }

    /** Expects the server to close the socket (anything still unread is discarded). */
    public void expectEof() throws IOException {
        long deadline = deadline();
        while (!eof) {
            readSome(deadline, "the socket to close");
        }
    }

    /** Asserts the server sends nothing for {@code quiet}. */
    public void expectSilence(Duration quiet) throws IOException {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (events.isEmpty() && !eof && System.nanoTime() < deadline) {
            readOnce();
        }
        if (!events.isEmpty() || eof) {
            throw new AssertionError("expected silence, got " + (eof ? "EOF" : events.peek()));
        }
    }

    /** Reads for up to {@code wait}; true as soon as the server has sent an element, ended its stream or closed. */
    public boolean heardWithin(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (events.isEmpty() && !eof && System.nanoTime() < deadline) {
            readOnce();
        }
        return !events.isEmpty() || eof;
    }

    /** True once the server ended its stream or closed the socket within {@code wait}. */
    public boolean endedWithin(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!eof && !events.contains(STREAM_END) && System.nanoTime() < deadline) {
            readOnce();
        }
        return eof || events.contains(STREAM_END);
    }

    /** The next element named {@code name}, skipping others (e.g. IQ results). */
    public Element nextNamed(String name) throws IOException {
        Element element;
        do {
            element = next();
        } while (!element.getName().equals(name));
        return element;
    }

    public boolean isClosedByServer() {
        return eof;
    }

    private static long deadline() {
        return System.nanoTime() + TIMEOUT.toNanos();
    }

    private void readSome(long deadline, String what) throws IOException {
        if (eof) {
            throw new AssertionError("socket closed while waiting for " + what);
        }
        if (System.nanoTime() > deadline) {
            throw new AssertionError("timed out waiting for " + what);
        }
        readOnce();
    }

    private void readOnce() throws IOException {
        int n;
        try {
            n = in.read(buffer);
        } catch (SocketTimeoutException e) {
            return;
        } catch (SocketException e) {
            eof = true; // reset by the server counts as closed
            return;
        }
        if (n < 0) {
            eof = true;
            return;
        }
        if (framer.isClosed()) {
            return;
        }
        byte[] bytes = buffer;
        if (inflater != null) {
            bytes = inflate(n);
            n = bytes.length;
        }
        try {
            framer.feed(bytes, 0, n, new FramerListener() {
                @Override
                public void streamOpened(StreamOpen open) {
                    header = open;
                }

                @Override
                public void frame(StanzaFrame frame) {
                    events.add(frame);
                }

                @Override
                public void streamClosed() {
                    events.add(STREAM_END);
                }
            });
        } catch (XmlStreamException e) {
            events.add(e);
        }
    }

    private byte[] inflate(int n) throws IOException {
        inflater.setInput(buffer, 0, n);
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        try {
            int produced;
            do {
                produced = inflater.inflate(chunk);
                plain.write(chunk, 0, produced);
            } while (produced > 0 || !inflater.needsInput() && !inflater.finished());
        } catch (DataFormatException e) {
            throw new AssertionError("the server's zlib stream is broken", e);
        }
        return plain.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
