package org.xmppcm.bench;

import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
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
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.transport.XmppCodecFactory;

/**
 * The MINA decoder of {@code transport-mina} ({@code FramingDecoder}, reached through the public
 * {@link XmppCodecFactory}) on a {@link ProtocolCodecSession}, MINA's in-memory session. <b>One op
 * = one stanza decoded</b> (stanzas/s), fed as 1460-byte heap {@link IoBuffer}s like socket reads.
 * Compare with {@code FramerBenchmark.tcpSegments}: the difference is the MINA glue (session
 * attribute lookup, buffer wrapping, output queue).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class DecoderBenchmark {
    /** As in {@link FramerBenchmark}: mix, message, presence, roster. */
    @Param({"mix"})
    public String kind;

    private byte[] batch;
    private ProtocolCodecSession session;
    private ProtocolDecoder decoder;
    private ProtocolDecoderOutput out;
    private Queue<Object> queue;

    @Setup(Level.Trial)
    public void corpus() {
        batch = Corpus.batch(kind);
    }

    /** A new session per iteration, header decoded, one batch checked. */
    @Setup(Level.Iteration)
    public void openSession() throws Exception {
        session = new ProtocolCodecSession();
        decoder = new XmppCodecFactory(Corpus.MAX_STANZA_BYTES).getDecoder(session);
        out = session.getDecoderOutput();
        queue = session.getDecoderOutputQueue();
        decoder.decode(session, IoBuffer.wrap(Corpus.utf8(Corpus.CLIENT_HEADER)), out);
        if (!(queue.poll() instanceof StreamOpen)) {
            throw new IllegalStateException("no stream header decoded");
        }
        feedBatch();
        int frames = 0;
        for (Object o; (o = queue.poll()) != null; ) {
            frames += o instanceof StanzaFrame ? 1 : 0;
        }
        if (frames != Corpus.BATCH) {
            throw new IllegalStateException("expected " + Corpus.BATCH + " frames, got " + frames);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.BATCH)
    public void tcpSegments(Blackhole bh) throws Exception {
        feedBatch();
        for (Object o; (o = queue.poll()) != null; ) {
            bh.consume(o);
        }
    }

    private void feedBatch() throws Exception {
        byte[] b = batch;
        for (int off = 0; off < b.length; off += Corpus.TCP_SEGMENT) {
            // A fresh buffer per read, as MINA's processor hands one to the filter chain.
            decoder.decode(session, IoBuffer.wrap(b, off, Math.min(Corpus.TCP_SEGMENT, b.length - off)), out);
        }
    }
}
