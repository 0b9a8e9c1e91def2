package org.xmppcm.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * {@link XmlStreamFramer} on one client stream. <b>One op = one stanza framed</b> (score in
 * stanzas/s; MB/s = score x bytes per stanza, which {@code run.sh} prints). One thread, so the
 * score is per core.
 *
 * <ul>
 * <li>{@code wholeBuffer}: a batch of {@value Corpus#BATCH} stanzas in one {@code feed}, the best
 *     case (a busy client whose reads fill the buffer).</li>
 * <li>{@code tcpSegments}: the same batch in 1460-byte feeds cut with no regard for stanza
 *     boundaries, so most stanzas span two feeds and go through the framer's partial-element buffer.</li>
 * <li>{@code afterTrim}: {@code trim()} then the batch's first stanza alone (a chat message for
 *     {@code mix}): the cost per stanza for an idle connection whose parser was released, i.e. the
 *     price of calling {@code trim()} on every quiet connection.</li>
 * </ul>
 *
 * The stream header is fed once per iteration (a fresh framer, so no state grows across
 * iterations); each op continues the same stream, as on a long-lived connection.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class FramerBenchmark {
    /** Which stanzas make the batch: mix (6 messages, 3 presences, 1 roster per 10), message, presence, roster. */
    @Param({"mix"})
    public String kind;

    private byte[] header;
    private byte[] batch;
    private byte[] first;
    private XmlStreamFramer framer;
    private final Sink sink = new Sink();

    @Setup(Level.Trial)
    public void corpus() {
        header = Corpus.utf8(Corpus.CLIENT_HEADER);
        batch = Corpus.batch(kind);
        first = Corpus.frame(Corpus.CLIENT_HEADER, new String(batch, StandardCharsets.UTF_8))
                .frames().get(0).bytes();
    }

    /** A new connection: header, then one batch checked to give exactly BATCH frames. */
    @Setup(Level.Iteration)
    public void openStream() throws XmlStreamException {
        framer = new XmlStreamFramer(Corpus.MAX_STANZA_BYTES);
        sink.blackhole = null;
        framer.feed(header, 0, header.length, sink);
        if (sink.open == null) {
            throw new IllegalStateException("no stream header read");
        }
        sink.frames = 0;
        framer.feed(batch, 0, batch.length, sink);
        if (sink.frames != Corpus.BATCH) {
            throw new IllegalStateException("expected " + Corpus.BATCH + " frames, got " + sink.frames);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.BATCH)
    public void wholeBuffer(Blackhole bh) throws XmlStreamException {
        sink.blackhole = bh;
        framer.feed(batch, 0, batch.length, sink);
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.BATCH)
    public void tcpSegments(Blackhole bh) throws XmlStreamException {
        sink.blackhole = bh;
        byte[] b = batch;
        for (int off = 0; off < b.length; off += Corpus.TCP_SEGMENT) {
            framer.feed(b, off, Math.min(Corpus.TCP_SEGMENT, b.length - off), sink);
        }
    }

    @Benchmark
    public boolean afterTrim(Blackhole bh) throws XmlStreamException {
        sink.blackhole = bh;
        boolean released = framer.trim();
        framer.feed(first, 0, first.length, sink);
        return released;
    }

    /** Hands every event to the blackhole so nothing the framer builds can be optimised away. */
    static final class Sink implements FramerListener {
        Blackhole blackhole;
        StreamOpen open;
        int frames;

        @Override
        public void streamOpened(StreamOpen streamOpen) {
            open = streamOpen;
        }

        @Override
        public void frame(StanzaFrame frame) {
            if (blackhole != null) {
                blackhole.consume(frame);
            } else {
                frames++;
            }
        }

        @Override
        public void streamClosed() {
            throw new IllegalStateException("the benchmark stream must not close");
        }
    }
}
