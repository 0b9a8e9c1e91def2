package org.xmppcm.cm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * A client for tests that reads only when asked, in the calling thread, so it can change what is
 * under its stream at exactly the right byte: TLS after {@code <proceed/>}, zlib after
 * {@code <compressed/>}. No thread per connection, so thousands can sit idle (the heap
 * measurement). The zlib side uses the JDK's zlib with its default 32 KB window, as Smack and
 * most clients do.
 */
final class SteppedXmppPeer implements AutoCloseable {
    static final String DOMAIN = "localhost";
    private static final int TIMEOUT_MILLIS = 10_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private XmlStreamFramer framer = new XmlStreamFramer(1 << 20);
    private final ArrayDeque<RawXmppPeer.Event> events = new ArrayDeque<>();
    private final byte[] buffer = new byte[8192];
    private Inflater inflater;
    private byte[] inflated;
    private boolean closed;

    private SteppedXmppPeer(Socket socket) throws IOException {
        use(socket);
    }

    static SteppedXmppPeer connect(int port) throws IOException {
        return new SteppedXmppPeer(new Socket("127.0.0.1", port));
    }

    /** TLS from the first byte (XEP-0368). */
    static SteppedXmppPeer connectTls(int port, SSLContext context) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        tls.startHandshake();
        return new SteppedXmppPeer(tls);
    }

    private void use(Socket newSocket) throws IOException {
        socket = newSocket;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends a client stream header to {@value #DOMAIN}, reads the answer's header; returns the features. */
    StanzaFrame openStream() throws IOException {
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='" + DOMAIN + "' version='1.0'>");
        nextOpen();
        return nextFrame();
    }

    /**
     * After {@code <proceed/>}: the TLS handshake over the same socket, then a new stream.
     *
     * @return the features of the new stream
     */
    StanzaFrame startTls(SSLContext context) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        use(tls);
        framer = new XmlStreamFramer(1 << 20);
        return openStream();
    }

    /** After {@code <compressed/>}: zlib both ways, then a new stream; returns its features. */
    StanzaFrame startCompression() throws IOException {
        out = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION), 512, true);
        inflater = new Inflater();
        inflated = new byte[16 * 1024];
        framer = new XmlStreamFramer(1 << 20);
        return openStream();
    }

    /** The stream restart after SASL success; returns the new stream's features. */
    StanzaFrame restartStream() throws IOException {
        framer.restart();
        return openStream();
    }

    /** SASL PLAIN, the stream restart and resource binding: a logged-in client. */
    void login(String user, String password, String resource) throws IOException {
        login(user, password, resource, false);
    }

    /** {@link #login(String, String, String)}, with zlib negotiated before binding when {@code compress}. */
    void login(String user, String password, String resource, boolean compress) throws IOException {
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + token + "</auth>");
        StanzaFrame outcome = nextFrame();
        if (!outcome.localName().equals("success")) {
            throw new AssertionError("login refused: " + outcome.asString());
        }
        restartStream();
        if (compress) {
            send("<compress xmlns='http://jabber.org/protocol/compress'><method>zlib</method></compress>");
            StanzaFrame compressed = nextFrame();
            if (!compressed.localName().equals("compressed")) {
                throw new AssertionError("compression refused: " + compressed.asString());
            }
            startCompression();
        }
        send("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
                + "</resource></bind></iq>");
        StanzaFrame bound = nextFrame();
        if (!"result".equals(bound.attribute("type"))) {
            throw new AssertionError("bind refused: " + bound.asString());
        }
    }

    RawXmppPeer.Event next() throws IOException {
        while (events.isEmpty()) {
            if (closed) {
                return new RawXmppPeer.Event(null, null, false, true);
            }
            read();
        }
        return events.poll();
    }

    StreamOpen nextOpen() throws IOException {
        RawXmppPeer.Event event = next();
        if (event.open() == null) {
            throw new AssertionError("expected a stream header, got " + event);
        }
        return event.open();
    }

    StanzaFrame nextFrame() throws IOException {
        RawXmppPeer.Event event = next();
        if (event.frame() == null) {
            throw new AssertionError("expected an element, got " + event);
        }
        return event.frame();
    }

    /** Reads until the socket closes; true if {@code </stream:stream>} came first. */
    boolean awaitClose() throws IOException {
        boolean streamEnd = false;
        for (RawXmppPeer.Event event = next(); !event.socketClosed(); event = next()) {
            streamEnd |= event.streamEnd();
        }
        return streamEnd;
    }

    private void read() throws IOException {
        int n;
        try {
            n = in.read(buffer);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("nothing read within " + TIMEOUT_MILLIS + " ms");
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            closed = true;
            return;
        }
        try {
            if (inflater == null) {
                framer.feed(buffer, 0, n, listener);
                return;
            }
            inflater.setInput(buffer, 0, n);
            int produced;
            while ((produced = inflater.inflate(inflated, 0, inflated.length)) > 0) {
                framer.feed(inflated, 0, produced, listener);
            }
        } catch (XmlStreamException | DataFormatException e) {
            throw new AssertionError("the CM sent something unreadable", e);
        }
    }

    private final FramerListener listener = new FramerListener() {
        @Override
        public void streamOpened(StreamOpen open) {
            events.add(new RawXmppPeer.Event(open, null, false, false));
        }

        @Override
        public void frame(StanzaFrame frame) {
            events.add(new RawXmppPeer.Event(null, frame, false, false));
        }

        @Override
        public void streamClosed() {
            events.add(new RawXmppPeer.Event(null, null, true, false));
        }
    };

    @Override
    public void close() throws IOException {
        if (inflater != null) {
            inflater.end();
        }
        socket.close();
    }
}
