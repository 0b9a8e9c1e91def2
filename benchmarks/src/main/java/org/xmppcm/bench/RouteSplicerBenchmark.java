package org.xmppcm.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * {@link RouteCodec} splicing. <b>One op = one stanza</b> wrapped or unwrapped (stanzas/s):
 *
 * <ul>
 * <li>{@code wrap}: a client chat message frame into {@code <route streamid='..'>}, adding
 *     {@code xmlns='jabber:client'} (the CM's client-to-server path).</li>
 * <li>{@code unwrapElement}: a stock Openfire route carrying a message as a child element (the
 *     server-to-client path for every ordinary stanza).</li>
 * <li>{@code unwrapEscapedText}: a stock Openfire route carrying a SASL challenge as escaped text
 *     (SASL and per-session stream errors only: rare, but it decodes the text).</li>
 * </ul>
 *
 * Inputs are real {@link StanzaFrame}s made by the framer in setup; framing is not measured here.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class RouteSplicerBenchmark {
    private static final String STREAM_ID = "a11ce004";

    private StanzaFrame clientMessage;
    private Map<String, String> clientNamespaces;
    private StanzaFrame routeElement;
    private StanzaFrame routeEscapedText;

    @Setup
    public void frames() throws CmProtocolException {
        Corpus.Framed client = Corpus.frame(Corpus.CLIENT_HEADER, Corpus.message(0));
        clientMessage = client.frames().get(0);
        clientNamespaces = client.open().namespaces();
        Corpus.Framed link = Corpus.frame(Corpus.LINK_HEADER, Corpus.routeElement() + Corpus.routeEscapedText());
        routeElement = link.frames().get(0);
        routeEscapedText = link.frames().get(1);

        // The inputs must take the paths they are named after.
        check(RouteCodec.unwrap(routeElement).localName().equals("message"), "element route");
        check(RouteCodec.unwrap(routeEscapedText).localName().equals("challenge"), "escaped route");
        check(new String(RouteCodec.wrap(STREAM_ID, clientMessage, clientNamespaces), StandardCharsets.UTF_8)
                .startsWith("<route streamid='a11ce004'><message xmlns='jabber:client' "), "wrap");
    }

    @Benchmark
    public byte[] wrap() {
        return RouteCodec.wrap(STREAM_ID, clientMessage, clientNamespaces);
    }

    @Benchmark
    public RoutedStanza unwrapElement() throws CmProtocolException {
        return RouteCodec.unwrap(routeElement);
    }

    @Benchmark
    public RoutedStanza unwrapEscapedText() throws CmProtocolException {
        return RouteCodec.unwrap(routeEscapedText);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("unexpected result for " + what);
        }
    }
}
