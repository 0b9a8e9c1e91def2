package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.testing.Transcript.Chunk;
import org.xmppcm.protocol.testing.Transcript.Direction;
import org.xmppcm.protocol.testing.Transcript;
import org.xmppcm.protocol.testing.TranscriptFrames.Frame;
import org.xmppcm.protocol.testing.TranscriptFrames;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Plays everything stock Openfire 5.1.1 sent on every captured CM link, in every transcript, to a
 * CM of ours with no clients, and checks what a correct CM must answer: a result to each
 * configuration push, a {@code <failed>} report for each message (not of type error) routed to a session it does not
 * have, an {@code unexpected-request} for each IQ request routed there; and never a stream error
 * of its own, except to a server header that carries no stream id.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EveryTranscriptReplayTest {
    static Stream<Arguments> everyCapturedLink() {
        List<Arguments> links = new ArrayList<>();
        for (Transcript transcript : Transcript.loadAll()) {
            for (String link : transcript.cmLinks()) {
                links.add(Arguments.of(transcript.name(), link));
            }
        }
        return links.stream();
    }

    /** Across every link: the replay would prove nothing if the transcripts held nothing to answer. */
    private static final java.util.concurrent.atomic.AtomicIntegerArray TOTALS = new java.util.concurrent.atomic.AtomicIntegerArray(3);

    @org.junit.jupiter.api.AfterAll
    static void theTranscriptsGaveTheCmSomethingOfEachKindToAnswer() {
        assertThat(TOTALS.get(0)).as("configuration pushes answered").isGreaterThan(10);
        assertThat(TOTALS.get(1)).as("messages reported failed").isPositive();
        assertThat(TOTALS.get(2)).as("IQ requests bounced").isPositive();
    }

    /** What the CM must send back for one link's server output. */
    private record Expected(int configurationResults, int failedReports, int iqBounces, boolean headerWithoutId) {
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyCapturedLink")
    void theCmAnswersEverythingOpenfireSentOnTheLinkAsTheProtocolAsks(String file, String link) throws Exception {
        Transcript transcript = Transcript.load(file);
        List<Frame> frames = TranscriptFrames.replay(transcript, link, Direction.SERVER_TO_CLIENT).frames();
        // A label may name several TCP connections in turn (06d); each starts with a server header.
        List<List<Chunk>> connections = new ArrayList<>();
        for (Chunk chunk : transcript.chunks(link, Direction.SERVER_TO_CLIENT)) {
            if (connections.isEmpty() || chunk.asString().startsWith("<?xml")) {
                connections.add(new ArrayList<>());
            }
            connections.get(connections.size() - 1).add(chunk);
        }
        for (List<Chunk> connection : connections) {
            java.util.Set<Integer> indexes = new java.util.HashSet<>();
            connection.forEach(c -> indexes.add(c.index()));
            List<Frame> inConnection = frames.stream().filter(f -> indexes.contains(f.chunk().index())).toList();
            boolean headerWithId = connection.get(0).asString().matches("(?s).*<stream:stream[^>]*\\sid=\"[^\"]+\".*");
            replay(connection, expectations(inConnection, !headerWithId));
        }
    }

    private static void replay(List<Chunk> connection, Expected expected) throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            ConnectionManager cm = new ConnectionManager(new CmSettings(new InetSocketAddress("127.0.0.1", 0),
                    new InetSocketAddress("127.0.0.1", listener.getLocalPort()), "cmtest", "s3cret", "example.test",
                    CmSettings.DEFAULT_MAX_STANZA_BYTES).withLinks(
                    LinkSettings.to(new InetSocketAddress("127.0.0.1", listener.getLocalPort())).withCount(1)));
            Thread starter = new Thread(() -> {
                try {
                    cm.start();
                } catch (Exception notReadyIsFineHere) {
                    // Some captured links never become ready (a refused secret, a broken header).
                }
            });
            starter.setDaemon(true);
            starter.start();
            try (RawXmppPeer openfire = new RawXmppPeer(listener.accept())) {
                openfire.nextOpen();
                for (Chunk chunk : connection) {
                    openfire.send(chunk.asString());
                }
                List<StanzaFrame> answers = new ArrayList<>();
                for (RawXmppPeer.Event event = openfire.pollEvent(1500); event != null && event.frame() != null
                        || event != null && event.open() != null; event = openfire.pollEvent(700)) {
                    if (event.frame() != null) {
                        answers.add(event.frame());
                    }
                }
                assertAnswers(answers, expected);
            } finally {
                cm.stop();
            }
        }
    }

    private static void assertAnswers(List<StanzaFrame> answers, Expected expected) throws CmProtocolException {
        int results = 0;
        int failed = 0;
        int bounces = 0;
        int streamErrors = 0;
        for (StanzaFrame answer : answers) {
            if (answer.is("error", Namespaces.STREAMS)) {
                streamErrors++;
            } else if (answer.localName().equals("iq") && "result".equals(answer.attribute("type"))) {
                results++;
            } else if (answer.localName().equals("iq") && answer.asString().contains("<failed>")) {
                failed++;
            } else if (answer.localName().equals("route")) {
                RoutedStanza bounced = RouteCodec.unwrap(answer);
                assertThat(bounced.asString()).contains("unexpected-request");
                bounces++;
            }
        }
        TOTALS.addAndGet(0, results);
        TOTALS.addAndGet(1, failed);
        TOTALS.addAndGet(2, bounces);
        assertThat(results).as("results to configuration pushes").isEqualTo(expected.configurationResults());
        assertThat(failed).as("<failed> reports").isEqualTo(expected.failedReports());
        assertThat(bounces).as("unexpected-request bounces").isEqualTo(expected.iqBounces());
        assertThat(streamErrors).as("stream errors from the CM").isEqualTo(expected.headerWithoutId() ? 1 : 0);
    }

    /** Reads the server's side of the link the way a correct CM sees it. */
    private static Expected expectations(List<Frame> server, boolean headerWithoutId) throws CmProtocolException {
        boolean acknowledged = false;
        boolean ready = false;
        int results = 0;
        int failed = 0;
        int bounces = 0;
        for (Frame frame : server) {
            StanzaFrame f = frame.frame();
            if (f.localName().equals("handshake")) {
                acknowledged = true;
            } else if (f.localName().equals("iq") && "set".equals(f.attribute("type")) && acknowledged
                    && frame.element().element(QName.get("configuration", Namespaces.CM_PROTOCOL)) != null) {
                results++;
                ready = true;
            } else if (f.localName().equals("route") && ready && !"error".equals(f.attribute("type"))) {
                RoutedStanza routed = RouteCodec.unwrap(f);
                if (routed.localName().equals("message")
                        && !"error".equals(XmlDom.parse(routed.stanza(), Namespaces.CLIENT).attributeValue("type"))) {
                    failed++;
                } else if (routed.localName().equals("iq")) {
                    Element iq = XmlDom.parse(routed.stanza(), Namespaces.CLIENT);
                    String type = iq.attributeValue("type", "");
                    if (type.equals("get") || type.equals("set")) {
                        bounces++;
                    }
                }
            }
        }
        return new Expected(results, failed, bounces, headerWithoutId);
    }
}
