package org.xmppcm.e2e.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * A plain XMPP client on a socket, enough for the fault suite and much lighter than Smack: SASL PLAIN, resource
 * binding, then every stanza it reads goes to a {@link Listener} on its reader thread, in the order read. Sending is
 * a blocking socket write (so a CM that stops reading holds the sender, as TCP would).
 */
final class RawClient implements AutoCloseable {
    static final String DOMAIN = "localhost";
    static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(10);
    private static final String BIND_ID = "bind_1";

    /** What a client reads once it is bound; called on its reader thread. */
    interface Listener {
        void stanza(RawClient client, StanzaFrame stanza);

        /** The stream ended without our asking: {@code how} is the stream error, {@code </stream:stream>} or EOF. */
        void ended(RawClient client, String how);
    }

    /** The message id the harness gives message {@code seq} of client {@code sender}: {@code fq<sender>_<seq>}. */
    static String messageId(int sender, long seq) {
        return "fq" + sender + "_" + seq;
    }

    /** The sender of a harness message id, or -1 when it is not one. */
    static int senderOf(String id) {
        if (id == null || !id.startsWith("fq")) {
            return -1;
        }
        int underscore = id.indexOf('_');
        try {
            return underscore < 0 ? -1 : Integer.parseInt(id.substring(2, underscore));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The sequence number of a harness message id, or -1 when it is not one. */
    static long seqOf(String id) {
        int underscore = id == null ? -1 : id.indexOf('_');
        try {
            return underscore < 0 ? -1 : Long.parseLong(id.substring(underscore + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger SERIALS = new java.util.concurrent.atomic.AtomicInteger();

    private final int serial = SERIALS.incrementAndGet();
    private final int index;
    private final String user;
    private final String resource;
    private final Socket socket;
    private final OutputStream out;
    private final XmlStreamFramer framer = new XmlStreamFramer(1 << 20);
    private final BlockingQueue<Object> setup = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final CountDownLatch readerDone = new CountDownLatch(1);
    private volatile Listener listener;
    private volatile boolean bound;
    private volatile boolean closing;
    private volatile long endedNanos;
    private volatile String endedHow;
    private volatile String streamError;

    private RawClient(int index, String user, String resource, Socket socket) throws IOException {
        this.index = index;
        this.user = user;
        this.resource = resource;
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        this.reader = new Thread(() -> read(in), "raw-client-" + user);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Connects to a CM's client port and logs in: PLAIN, bind {@code resource}; every stanza after that goes to
     * {@code listener}.
     */
    static RawClient login(int index, int port, String user, String password, String resource, Listener listener)
            throws IOException, InterruptedException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        RawClient client = new RawClient(index, user, resource, socket);
        client.listener = listener;
        try {
            client.negotiate(password);
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            client.abort();
            throw e;
        }
        return client;
    }

    private void negotiate(String password) throws IOException, InterruptedException {
        sendHeader();
        expectOpen();
        expectFrame("features");
        String credentials = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
        send("<auth xmlns='" + SASL + "' mechanism='PLAIN'>" + credentials + "</auth>");
        StanzaFrame outcome = expectFrame(null);
        if (!outcome.localName().equals("success")) {
            throw new IOException(user + ": SASL PLAIN failed: " + outcome.asString());
        }
        synchronized (framer) {
            framer.restart();
        }
        sendHeader();
        expectOpen();
        expectFrame("features");
        send("<iq type='set' id='" + BIND_ID + "'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>"
                + resource + "</resource></bind></iq>");
        StanzaFrame bind = expectFrame("iq");
        if (!"result".equals(bind.attribute("type"))) {
            throw new IOException(user + ": bind failed: " + bind.asString());
        }
    }

    private void sendHeader() throws IOException {
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='" + DOMAIN + "' version='1.0'>");
    }

    private void expectOpen() throws IOException, InterruptedException {
        Object event = nextSetupEvent();
        if (!(event instanceof StreamOpen)) {
            throw new IOException(user + ": expected a stream header, got " + event);
        }
    }

    private StanzaFrame expectFrame(String localName) throws IOException, InterruptedException {
        Object event = nextSetupEvent();
        if (!(event instanceof StanzaFrame frame) || localName != null && !frame.localName().equals(localName)) {
            throw new IOException(user + ": expected <" + localName + ">, got " + event);
        }
        return frame;
    }

    private Object nextSetupEvent() throws IOException, InterruptedException {
        Object event = setup.poll(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new IOException(user + ": nothing read within " + SETUP_TIMEOUT + " while logging in");
        }
        return event;
    }

    private void read(InputStream in) {
        byte[] buffer = new byte[8192];
        FramerListener events = new FramerListener() {
            @Override
            public void streamOpened(StreamOpen open) {
                setup.add(open);
            }

            @Override
            public void frame(StanzaFrame frame) {
                if (bound) {
                    if (frame.localName().equals("error") && XmlStreamFramer.STREAMS_NS.equals(frame.namespace())) {
                        streamError = frame.asString();
                    }
                    listener.stanza(RawClient.this, frame);
                    return;
                }
                if (frame.localName().equals("iq") && BIND_ID.equals(frame.attribute("id"))) {
                    // Decided here, on the reader, so that a message right behind the bind result goes to the listener.
                    bound = "result".equals(frame.attribute("type"));
                }
                setup.add(frame);
            }

            @Override
            public void streamClosed() {
                ended("</stream:stream>");
            }
        };
        String how = "EOF";
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (framer) {
                    framer.feed(buffer, 0, n, events);
                }
            }
        } catch (IOException e) {
            how = "socket: " + e.getMessage();
        } catch (XmlStreamException e) {
            how = "unreadable stream: " + e.getMessage();
        } finally {
            ended(how);
            setup.add("ended: " + how);
            readerDone.countDown();
        }
    }

    private void ended(String how) {
        if (endedNanos != 0) {
            return;
        }
        endedNanos = System.nanoTime();
        String error = streamError;
        endedHow = error != null ? error : how;
        if (!closing && bound) {
            listener.ended(this, endedHow);
        }
    }

    synchronized void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** {@code <message to=TO type='chat' id='fqS_N'><body>N</body></message>}. */
    void sendMessage(String to, int sender, long seq) throws IOException {
        send("<message to='" + to + "' type='chat' id='" + messageId(sender, seq) + "'><body>" + seq
                + "</body></message>");
    }

    /** Unique to this connection (a user logging in again gets a new one). */
    int serial() {
        return serial;
    }

    /** The client's own index in the rig. */
    int index() {
        return index;
    }

    String user() {
        return user;
    }

    String fullJid() {
        return user + "@" + DOMAIN + "/" + resource;
    }

    /** True while the stream is up: bound and not ended. */
    boolean isUp() {
        return bound && endedNanos == 0;
    }

    /** When the stream ended (System.nanoTime), 0 while up. */
    long endedNanos() {
        return endedNanos;
    }

    /** How it ended (stream error, {@code </stream:stream>}, EOF), or null while up. */
    String endedHow() {
        return endedHow;
    }

    /** True when we closed it ({@link #close()}/{@link #abort()}), false when the CM or the network did. */
    boolean closedByUs() {
        return closing;
    }

    /** Ends our stream and waits (bounded) for the CM to close it, so that the server has ended the session. */
    @Override
    public void close() {
        closing = true;
        if (endedNanos == 0) {
            try {
                send("</stream:stream>");
            } catch (IOException e) {
                // already broken
            }
            try {
                readerDone.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        FaultProxy.closeQuietly(socket);
    }

    /** Drops the socket at once. */
    void abort() {
        closing = true;
        FaultProxy.closeQuietly(socket);
    }

    @Override
    public String toString() {
        return fullJid() + (endedNanos == 0 ? "" : " (ended: " + endedHow + ")");
    }
}
