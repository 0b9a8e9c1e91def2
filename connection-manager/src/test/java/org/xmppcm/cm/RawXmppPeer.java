package org.xmppcm.cm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * A blocking XMPP peer for tests: writes raw text, reads framed events with a timeout. Lets a
 * test say exactly what bytes a misbehaving client or a stock server sends. Public for the tests of the CM's
 * sub-packages (the client limits).
 */
public final class RawXmppPeer implements AutoCloseable {
    /** What the peer read: a header, an element, the stream end, or end of socket. */
    public record Event(StreamOpen open, StanzaFrame frame, boolean streamEnd, boolean socketClosed) {
        @Override
        public String toString() {
            return open != null ? "open" + open.attributes() : frame != null ? frame.asString()
                    : streamEnd ? "</stream:stream>" : "EOF";
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * Reads {@code in} a byte at a time up to and including {@code marker}, for tests that speak the wire by hand:
     * nothing beyond the marker is consumed, so TLS or zlib can take over the stream right after it.
     */
    public static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(marker) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed before " + marker + ": " + seen);
            }
            seen.append((char) b);
        }
        return seen.toString();
    }

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final XmlStreamFramer framer = new XmlStreamFramer(1 << 20);
    private final Thread reader;
    private volatile String lastOpenId;
    /** While set, the reader thread stops reading the socket, as a slow or busy peer does: TCP pushes back. */
    private volatile java.util.concurrent.CountDownLatch readingPaused;
    private final java.util.concurrent.atomic.AtomicInteger whitespaceRuns = new java.util.concurrent.atomic.AtomicInteger();

    public RawXmppPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        reader = new Thread(() -> read(in), "raw-peer-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static RawXmppPeer connect(int port) throws IOException {
        return new RawXmppPeer(new Socket("127.0.0.1", port));
    }

    private void read(InputStream in) {
        byte[] buffer = new byte[8192];
        FramerListener listener = new FramerListener() {
            @Override
            public void streamOpened(StreamOpen open) {
                events.add(new Event(open, null, false, false));
            }

            @Override
            public void frame(StanzaFrame frame) {
                events.add(new Event(null, frame, false, false));
            }

            @Override
            public void streamClosed() {
                events.add(new Event(null, null, true, false));
            }

            @Override
            public void whitespace() {
                whitespaceRuns.incrementAndGet();
            }
        };
        try {
            int n;
            while (awaitReading() && (n = in.read(buffer)) >= 0) {
                synchronized (framer) {
                    framer.feed(buffer, 0, n, listener);
                }
            }
        } catch (IOException | XmlStreamException e) {
            // The socket closed under us or the peer sent garbage: both end the event stream.
        }
        events.add(new Event(null, null, false, true));
    }

    private boolean awaitReading() {
        java.util.concurrent.CountDownLatch paused = readingPaused;
        if (paused != null) {
            try {
                paused.await();
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }

    /** Stops reading the socket (after the read under way) until {@link #resumeReading()}. */
    public void pauseReading() {
        readingPaused = new java.util.concurrent.CountDownLatch(1);
    }

    public void resumeReading() {
        java.util.concurrent.CountDownLatch paused = readingPaused;
        readingPaused = null;
        if (paused != null) {
            paused.countDown();
        }
    }

    public void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Makes the framer expect a fresh stream header (after SASL success). */
    public void restart() {
        synchronized (framer) {
            framer.restart();
        }
    }

    public Event next() throws InterruptedException {
        Event event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("nothing read within " + TIMEOUT);
        }
        return event;
    }

    /** The next event (element, stream end or EOF) if one arrives within {@code millis}, else null. */
    public Event pollEvent(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The next element if one arrives within {@code millis}, else null. */
    public StanzaFrame pollFrame(long millis) throws InterruptedException {
        Event event = events.poll(millis, TimeUnit.MILLISECONDS);
        if (event != null && event.frame() == null) {
            throw new AssertionError("expected an element, got " + event);
        }
        return event == null ? null : event.frame();
    }

    public StreamOpen nextOpen() throws InterruptedException {
        Event event = next();
        if (event.open() == null) {
            throw new AssertionError("expected a stream header, got " + event);
        }
        lastOpenId = event.open().attribute("id");
        return event.open();
    }

    /** How many runs of whitespace (keepalives) were read between elements. */
    public int whitespaceRuns() {
        return whitespaceRuns.get();
    }

    /** The id of the last stream header read. */
    public String lastOpenId() {
        return lastOpenId;
    }

    public StanzaFrame nextFrame() throws InterruptedException {
        Event event = next();
        if (event.frame() == null) {
            throw new AssertionError("expected an element, got " + event);
        }
        return event.frame();
    }

    /** Reads until the socket closes; true if {@code </stream:stream>} came first. */
    public boolean awaitClose() throws InterruptedException {
        boolean streamEnd = false;
        for (Event event = next(); !event.socketClosed(); event = next()) {
            streamEnd |= event.streamEnd();
        }
        return streamEnd;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
