package org.xmppcm.protocol.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.testing.Transcript.Chunk;
import org.xmppcm.protocol.testing.Transcript.Direction;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * Replays one direction of a transcript connection through {@link XmlStreamFramer}, chunk by
 * chunk exactly as the bytes arrived, and collects what it yields.
 *
 * <pre>
 *   chunks:  |&lt;handshake&gt;&lt;/handshake&gt;|&lt;iq type="set" id="726-2"&gt;...&lt;/iq&gt;|' '|&lt;/stream:stream&gt;|
 *   frames:   handshake                  iq                                        (closed)
 * </pre>
 *
 * <p>Client streams restart after SASL success (and would after STARTTLS); a chunk that begins
 * with {@code <?xml} or {@code <stream:stream} after a header was read restarts the framer, which
 * is how every restart in the transcripts looks.
 */
public final class TranscriptFrames {
    /** Stanza size limit used for replays. */
    public static final int MAX_ELEMENT_BYTES = 1 << 20;

    private TranscriptFrames() {
    }

    /**
     * One top-level element.
     *
     * @param chunk the chunk whose bytes completed it
     * @param frame what the framer yielded
     * @param streamNamespaces the declarations of the stream header in force
     */
    public record Frame(Chunk chunk, StanzaFrame frame, Map<String, String> streamNamespaces) {
        /** The element as a dom4j tree, names resolved in the stream header's scope. */
        public Element element() {
            try {
                return XmlDom.parse(frame, streamNamespaces);
            } catch (CmProtocolException e) {
                throw new AssertionError("frame does not parse: " + frame.asString(), e);
            }
        }

        public String connection() {
            return chunk.connection();
        }

        public String localName() {
            return frame.localName();
        }

        public String attribute(String name) {
            return frame.attribute(name);
        }

        @Override
        public String toString() {
            return "line " + chunk.lineNumber() + " [" + chunk.connection() + "] " + frame.asString();
        }
    }

    /**
     * What one direction of one connection carried.
     *
     * @param headers every stream header read (more than one after restarts)
     * @param frames the top-level elements in order
     * @param closed whether {@code </stream:stream>} was read
     */
    public record Replay(String connection, Direction direction, List<StreamOpen> headers, List<Frame> frames,
                         boolean closed) {
        public StreamOpen header() {
            return headers.isEmpty() ? null : headers.get(0);
        }
    }

    /**
     * Replays {@code connection}'s chunks in {@code direction}.
     *
     * @throws AssertionError when the framer refuses the bytes
     */
    public static Replay replay(Transcript transcript, String connection, Direction direction) {
        XmlStreamFramer framer = new XmlStreamFramer(MAX_ELEMENT_BYTES);
        Collector collector = new Collector();
        for (Chunk chunk : transcript.chunks(connection, direction)) {
            byte[] bytes = chunk.bytes();
            if (!collector.headers.isEmpty() && startsStream(bytes)) {
                framer.restart();
            }
            collector.current = chunk;
            try {
                framer.feed(bytes, 0, bytes.length, collector);
            } catch (XmlStreamException e) {
                throw new AssertionError(transcript.name() + " " + chunk + ": framer refused: "
                        + e.condition() + " " + e.getMessage(), e);
            }
        }
        return new Replay(connection, direction, List.copyOf(collector.headers), List.copyOf(collector.frames),
                collector.closed);
    }

    /** Every frame in {@code direction} on every {@code cm:*} link of the transcript, in time (file) order. */
    public static List<Frame> cmFrames(Transcript transcript, Direction direction) {
        List<Frame> all = new ArrayList<>();
        for (String link : transcript.cmLinks()) {
            all.addAll(replay(transcript, link, direction).frames());
        }
        all.sort(Comparator.comparingInt((Frame f) -> f.chunk().index()));
        return all;
    }

    private static boolean startsStream(byte[] b) {
        int i = 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        String head = new String(b, i, Math.min(b.length - i, 14), java.nio.charset.StandardCharsets.US_ASCII);
        return head.startsWith("<?xml") || head.startsWith("<stream:stream");
    }

    private static final class Collector implements FramerListener {
        final List<StreamOpen> headers = new ArrayList<>();
        final List<Frame> frames = new ArrayList<>();
        Chunk current;
        Map<String, String> namespaces = Map.of();
        boolean closed;

        @Override
        public void streamOpened(StreamOpen open) {
            headers.add(open);
            namespaces = open.namespaces();
        }

        @Override
        public void frame(StanzaFrame frame) {
            frames.add(new Frame(current, frame, namespaces));
        }

        @Override
        public void streamClosed() {
            closed = true;
        }
    }
}
