package org.xmppcm.cm.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.Test;
import org.xmppcm.cm.CmSettings;
import org.xmppcm.cm.link.LinkGraph.State;
import org.xmppcm.protocol.ack.AckElements;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.Handshake;
import org.xmppcm.protocol.cm.ManagerInstance;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.testing.GraphDiagrams;
import org.xmppcm.protocol.testing.Transcript.Chunk;
import org.xmppcm.protocol.testing.Transcript.Direction;
import org.xmppcm.protocol.testing.Transcript;
import org.xmppcm.protocol.testing.TranscriptFrames;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;
import org.xmppcm.transport.ReadGate;

/**
 * Drives the CM's side of a link without a socket: the server's bytes (real Openfire 5.1.1 transcripts, or scripted)
 * go through the framer into {@link ServerLink}, and a recording {@link LinkPort} shows what the link did: what it
 * wrote, which layers it added, when it restarted its parser, how it closed.
 */
class ServerLinkMachineTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 5262);
    private static final String STREAMS = "xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:connectionmanager'";
    private static final String CONFIGURATION = "<iq type='set' id='c1'><configuration"
            + " xmlns='http://jabber.org/protocol/connectionmanager'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
            + "<mechanism>PLAIN</mechanism></mechanisms></configuration></iq>";
    private static final String RESULT = "<iq type='result' id='c1'/>";

    private final RecordingListener listener = new RecordingListener();

    // --- Openfire 5.1.1 as captured

    @Test
    void opensAStockLinkExactlyAsTheCapturedProbeAndEndsItWhenTheServerDoes() {
        Transcript transcript = Transcript.load("01-link-setup.txt");
        List<Chunk> probe = transcript.chunks("cm:conn1", Direction.CLIENT_TO_SERVER);
        RecordingPort port = new RecordingPort();
        ServerLink link = link(port, settings(false), false);

        link.open();
        assertThat(port.actions).singleElement().asString().startsWith("write <?xml version='1.0'")
                .contains("to='cmtest/conn1'", "xmlns='jabber:connectionmanager'");
        port.actions.clear();
        List<Chunk> server = transcript.chunks("cm:conn1", Direction.SERVER_TO_CLIENT);
        port.serverSends(server.get(0).bytes()); // header + features offering an optional STARTTLS
        assertThat(port.actions).as("the same digest as the probe, TLS not asked for").containsExactly(
                "write " + probe.get(1).asString());
        assertThat(link.state()).isEqualTo(State.AWAIT_HANDSHAKE);

        port.serverSends(server.get(1).bytes()); // <handshake></handshake>
        assertThat(link.state()).isEqualTo(State.AWAIT_CONFIGURATION);
        port.serverSends(server.get(2).bytes()); // the configuration IQ, no from/to
        assertThat(port.actions).last().as("as the probe answered").isEqualTo("write " + probe.get(2).asString());
        assertThat(link.state()).isEqualTo(State.READY);
        assertThat(link.isAcknowledged()).isFalse();
        assertThat(listener.events).containsExactly("ready");
        assertThat(link.configuration().mechanisms()).contains("PLAIN", "SCRAM-SHA-1");

        int written = port.actions.size();
        port.serverSends(server.get(3).bytes()); // whitespace keepalives
        port.serverSends(server.get(4).bytes());
        assertThat(port.actions).hasSize(written);

        port.serverSends(server.get(5).bytes()); // the server's </stream:stream>
        assertThat(port.actions.subList(written, port.actions.size()))
                .containsExactly("write </stream:stream>", "close after writes");
        assertThat(link.state()).isEqualTo(State.ENDING);
        link.closed();
        assertThat(link.state()).isEqualTo(State.CLOSED);
        assertThat(listener.events).containsExactly("ready", "closed null");
    }

    @Test
    void aHandshakeTheServerRefusesEndsTheLinkWithItsCondition() {
        Transcript transcript = Transcript.load("02-bad-handshake.txt");
        RecordingPort port = new RecordingPort();
        ServerLink link = link(port, new CmSettings(new InetSocketAddress("127.0.0.1", 0), SERVER, "cmtest",
                "wrong secret", "example.test", CmSettings.DEFAULT_MAX_STANZA_BYTES).withLinks(links(false)), false);
        link.open();
        for (Chunk chunk : transcript.chunks("cm:conn1", Direction.SERVER_TO_CLIENT)) {
            port.serverSends(chunk.bytes());
        }
        assertThat(port.actions).last().isEqualTo("close after writes");
        assertThat(link.state()).isEqualTo(State.ENDING);
        link.closed();
        assertThat(listener.events).containsExactly("closed not-authorized");
        assertThat(link.wasReady()).isFalse();
        assertThat(link.ready()).isCompletedExceptionally();
        assertThat(link.serverErrorDescription()).isEqualTo("not-authorized");
    }

    @Test
    void everyRouteOfACapturedSessionReachesItsClientAndARouteErrorEndsTheSession() {
        Transcript transcript = Transcript.load("04-plain-bind-message-close.txt");
        RecordingPort port = new RecordingPort();
        ServerLink link = link(port, settings(false), false);
        link.open();
        List<String> routedTo = new ArrayList<>();
        List<String> errorsFor = new ArrayList<>();
        for (TranscriptFrames.Frame frame : TranscriptFrames.replay(transcript, "cm:conn1",
                Direction.SERVER_TO_CLIENT).frames()) {
            if (frame.localName().equals("route")) {
                (frame.attribute("type") == null ? routedTo : errorsFor).add(frame.attribute("streamid"));
            }
        }
        assertThat(routedTo).isNotEmpty();
        assertThat(errorsFor).isNotEmpty();

        for (Chunk chunk : transcript.chunks("cm:conn1", Direction.SERVER_TO_CLIENT)) {
            port.serverSends(chunk.bytes());
        }
        assertThat(listener.routed).containsExactlyElementsOf(routedTo);
        assertThat(listener.events).contains("session closed " + errorsFor.get(0));
        List<String> written = port.written();
        assertThat(written).as("header, handshake, configuration result, and the end answering the server's: the"
                + " rest is routed").hasSize(4).last().isEqualTo("</stream:stream>");
        assertThat(written.get(2)).startsWith("<iq type='result'");
        assertThat(link.state()).isEqualTo(State.ENDING);
    }

    @Test
    void aConfigurationPushedAgainOnAReadyLinkIsAppliedAndAnswered() {
        Transcript transcript = Transcript.load("06d-misc-link-errors.txt");
        // (f): the same connection is authenticated twice, and the server pushes its configuration again.
        List<Chunk> second = transcript.chunks("cm:conn1", Direction.SERVER_TO_CLIENT).stream()
                .filter(chunk -> chunk.lineNumber() > 73).toList();
        RecordingPort port = new RecordingPort();
        ServerLink link = link(port, settings(false), false);
        link.open();
        for (Chunk chunk : second) {
            port.serverSends(chunk.bytes());
        }
        assertThat(listener.events).containsExactly("ready", "configuration pushed");
        assertThat(port.written()).contains("<iq type='result' id='285-28'/>", "<iq type='result' id='552-29'/>");
        assertThat(link.state()).as("the server's </stream:stream> answered").isEqualTo(State.ENDING);
    }

    // --- STARTTLS and zlib

    @Test
    void withLinkTlsRequiredTlsComesFirstThenZlibInsideItThenTheHandshakeTakingTheAckOffer() {
        RecordingPort port = new RecordingPort();
        ServerLink link = link(port, settings(true), true);
        link.open();
        port.serverSends(header("s1") + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
                + "<compression xmlns='http://jabber.org/features/compress'><method>zlib</method></compression>"
                + "</stream:features>");
        assertThat(port.actions).last().isEqualTo("write <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertThat(link.state()).isEqualTo(State.AWAIT_PROCEED);

        port.actions.clear();
        port.serverSends("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertThat(port.actions).as("the parser restarted before TLS goes in, nothing written in clear")
                .containsExactly("restart parser", "add TLS");
        assertThat(port.stateAtLayer).as("moved before the handshake can end").containsExactly(State.TLS_HANDSHAKE);

        link.tlsSecured();
        assertThat(port.actions).last().asString().startsWith("write <?xml").contains("to='cmtest/conn1'");
        assertThat(link.state()).isEqualTo(State.TLS_RESTART);
        port.serverSends(header("s2") + "<stream:features><compression xmlns='http://jabber.org/features/compress'>"
                + "<method>zlib</method></compression><ack xmlns='urn:xmppcm:ack:0'/></stream:features>");
        assertThat(port.actions).last().isEqualTo(
                "write <compress xmlns='http://jabber.org/protocol/compress'><method>zlib</method></compress>");

        port.actions.clear();
        port.serverSends("<compressed xmlns='http://jabber.org/protocol/compress'/>");
        assertThat(port.actions).hasSize(3);
        assertThat(port.actions.subList(0, 2)).containsExactly("restart parser", "add zlib");
        assertThat(port.actions.get(2)).startsWith("write <?xml");
        assertThat(link.state()).isEqualTo(State.ZLIB_RESTART);

        port.actions.clear();
        port.serverSends(header("s3") + "<stream:features><ack xmlns='urn:xmppcm:ack:0'/></stream:features>");
        assertThat(port.actions).containsExactly("write " + AckElements.handshakeTakingOffer(
                Handshake.digest("s3", "s3cret")));
        port.serverSends("<handshake/>" + CONFIGURATION);
        assertThat(port.actions).last().isEqualTo("write " + RESULT);
        assertThat(link.state()).isEqualTo(State.ACKNOWLEDGED);
        assertThat(link.linkId()).as("the id of the last stream").isEqualTo("s3");
    }

    @Test
    void aServerThatDoesNotOfferStartTlsWhenLinkTlsIsRequiredNeverSeesTheSecret() {
        RecordingPort port = new RecordingPort();
        ServerLink link = link(port, settings(false), true);
        link.open();
        port.actions.clear();
        port.serverSends(header("s1") + "<stream:features/>");
        assertThat(port.actions).hasSize(3).last().isEqualTo("close after writes");
        assertThat(port.actions.get(0)).contains("<policy-violation");
        assertThat(port.written()).noneMatch(xml -> xml.contains("handshake"));
        assertThat(link.state()).isEqualTo(State.ENDING);
    }

    @Test
    void aRefusedStartTlsEndsTheLinkBeforeTheHandshakeAndWithoutTls() {
        RecordingPort port = new RecordingPort();
        ServerLink link = link(port, settings(false), true);
        link.open();
        port.serverSends(header("s1") + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
                + "</stream:features>");
        port.serverSends("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertThat(port.actions).doesNotContain("add TLS").last().isEqualTo("close after writes");
        assertThat(port.written()).anyMatch(xml -> xml.contains("<policy-violation"))
                .noneMatch(xml -> xml.contains("handshake"));
        assertThat(link.state()).isEqualTo(State.ENDING);
    }

    @Test
    void aRefusedCompressionLeavesTheLinkPlainAndGoesOnToTheHandshake() {
        RecordingPort port = new RecordingPort();
        ServerLink link = link(port, settings(true), false);
        link.open();
        port.serverSends(header("s1") + "<stream:features><compression xmlns='http://jabber.org/features/compress'>"
                + "<method>zlib</method></compression></stream:features>");
        port.serverSends("<failure xmlns='http://jabber.org/protocol/compress'><setup-failed/></failure>");
        assertThat(port.actions).doesNotContain("add zlib", "restart parser").last()
                .isEqualTo("write <handshake>" + Handshake.digest("s1", "s3cret") + "</handshake>");
        assertThat(link.state()).isEqualTo(State.AWAIT_HANDSHAKE);
    }

    // --- acknowledged links and takeover

    @Test
    void aServerThatAcknowledgesMoreThanWeSentGetsUndefinedConditionAndTheLinkKeepsWhatItSent() {
        RecordingPort port = new RecordingPort();
        ServerLink link = acknowledgedLink(port, "a1");
        assertThat(link.send(route("c1", "one"), "c1")).isTrue();
        assertThat(link.send(route("c1", "two"), "c1")).isTrue();
        port.actions.clear();

        port.serverSends("<a xmlns='urn:xmppcm:ack:0' h='4'/>"); // we sent 3: the configuration result and two routes
        assertThat(port.actions).hasSize(3).last().isEqualTo("close after writes");
        assertThat(port.actions.get(0)).contains("<undefined-condition");
        assertThat(link.state()).as("lost: it waits to be taken over").isEqualTo(State.AWAIT_TAKEOVER);
        assertThat(link.unacknowledgedAfter(1)).extracting(entry -> entry.item().streamId()).containsExactly("c1", "c1");
    }

    @Test
    void anAcknowledgementForgetsWhatTheServerHasAndARequestIsAnsweredWithWhatWeReceived() {
        RecordingPort port = new RecordingPort();
        ServerLink link = acknowledgedLink(port, "a1");
        link.send(route("c1", "one"), "c1");
        link.send(route("c1", "two"), "c1");
        port.serverSends(serverRoute("c1", "in 1") + serverRoute("c1", "in 2") + "<r xmlns='urn:xmppcm:ack:0'/>"
                + "<a xmlns='urn:xmppcm:ack:0' h='2'/>");
        // Received: the configuration IQ and two routes. Sent: the configuration result, then the two routes.
        assertThat(port.actions).last().isEqualTo("write " + AckElements.answer(3));
        assertThat(link.unacknowledgedAfter(2)).extracting(entry -> new String((byte[]) entry.item().xml(),
                StandardCharsets.UTF_8)).singleElement().asString().contains("two");
        assertThat(listener.routed).containsExactly("c1", "c1");
    }

    @Test
    void aLostAcknowledgedLinkKeepsWhatItIsGivenUntilAnotherLinkTakesItOver() {
        RecordingPort lostPort = new RecordingPort();
        ServerLink lost = acknowledgedLink(lostPort, "lost1");
        lost.send(route("c1", "one"), "c1");
        lostPort.serverSends(serverRoute("c1", "in 1"));
        lost.closed();
        assertThat(lost.state()).isEqualTo(State.AWAIT_TAKEOVER);
        assertThat(lost.awaitsTakeover()).isTrue();
        assertThat(lost.isReady()).isFalse();
        int written = lostPort.actions.size();
        assertThat(lost.send(route("c1", "two"), "c1")).as("a send racing the loss is kept").isTrue();
        assertThat(lostPort.actions).as("nothing written on a lost link").hasSize(written);

        RecordingPort byPort = new RecordingPort();
        ServerLink by = acknowledgedLink(byPort, "by1");
        by.resume(lost.linkId(), lost.receivedCount());
        assertThat(byPort.actions).last().isEqualTo("write " + AckElements.resume("lost1", 2));
        byPort.serverSends(AckElements.resumed("lost1", 2));
        assertThat(listener.events).contains("taken over lost1 2 by by1");
        // The server had our configuration result and "one": "two" goes again. We had its configuration IQ and a route.
        assertThat(lost.unacknowledgedAfter(2)).extracting(entry -> new String((byte[]) entry.item().xml(),
                StandardCharsets.UTF_8)).singleElement().asString().contains("two");
        lost.settle();
        assertThat(lost.state()).isEqualTo(State.CLOSED);
        assertThat(lost.send(route("c1", "three"), "c1")).as("a settled link takes nothing").isFalse();
    }

    @Test
    void aTakeoverTheServerCannotDoIsReported() {
        RecordingPort port = new RecordingPort();
        ServerLink by = acknowledgedLink(port, "by1");
        port.serverSends(AckElements.failed("gone1"));
        assertThat(listener.events).contains("takeover refused gone1 by by1");
        assertThat(by.state()).isEqualTo(State.ACKNOWLEDGED);
    }

    @Test
    void theCmsShutdownOnAnAcknowledgedLinkSaysWhatItReceivedThenSystemShutdownAndNothingAfter() {
        RecordingPort port = new RecordingPort();
        ServerLink link = acknowledgedLink(port, "a1");
        port.serverSends(serverRoute("c1", "in 1") + serverRoute("c1", "in 2"));
        port.actions.clear();
        link.shutdown();
        assertThat(port.actions).hasSize(4);
        assertThat(port.actions.get(0)).as("the configuration IQ and two routes")
                .isEqualTo("write " + AckElements.answer(3));
        assertThat(port.actions.get(1)).contains("<system-shutdown");
        assertThat(port.actions.subList(2, 4)).containsExactly("write </stream:stream>", "close after writes");
        assertThat(link.state()).isEqualTo(State.ENDING);
        link.send(route("c1", "late"), "c1");
        link.keepalive();
        link.shutdown();
        assertThat(port.actions).as("nothing follows our stream's end").hasSize(4);
    }

    // --- the bound on what a link holds for the server

    @Test
    void aLinkThatCannotWriteFastEnoughPausesTheClientFeedingItAndReadsItAgainOnceDrained() {
        RecordingPort port = new RecordingPort();
        ServerLink link = stockLink(port);
        DummySession client = new DummySession();

        port.queued = ServerLink.CONGESTED_BYTES;
        assertThat(link.send(route("c1", "at the bound"), "c1")).isTrue();
        link.slowDownIfCongested(client);
        assertThat(ReadGate.isPaused(client)).as("at the bound: still read").isFalse();

        port.queued = ServerLink.CONGESTED_BYTES + 1;
        assertThat(link.send(route("c1", "past the bound"), "c1")).as("taken, not refused").isTrue();
        link.slowDownIfCongested(client);
        assertThat(ReadGate.isPausedBy(client, link)).as("past the bound: no longer read").isTrue();
        assertThat(client.isClosing()).as("not disconnected").isFalse();
        assertThat(link.slowedDownClients()).isEqualTo(1);

        port.queued = ServerLink.RELIEVED_BYTES + 1;
        link.written();
        assertThat(ReadGate.isPausedBy(client, link)).as("not drained enough yet").isTrue();
        port.queued = ServerLink.RELIEVED_BYTES;
        link.written();
        assertThat(ReadGate.isPaused(client)).as("drained: read again").isFalse();
        assertThat(port.written()).filteredOn(xml -> xml.contains("bound")).hasSize(2);
    }

    @Test
    void aServerThatDoesNotAcknowledgeKeepsItsClientsPausedUntilItDoes() {
        RecordingPort port = new RecordingPort();
        ServerLink link = acknowledgedLink(port, "a1");
        DummySession client = new DummySession();
        String padding = "p".repeat(100 * 1024);
        int routes = (int) (ServerLink.CONGESTED_BYTES / padding.length()) + 1;
        for (int i = 0; i < routes; i++) {
            assertThat(link.send(route("c1", i + padding), "c1")).isTrue();
            link.slowDownIfCongested(client);
        }
        assertThat(port.queued).as("everything was written").isZero();
        assertThat(ReadGate.isPausedBy(client, link)).as("written but not acknowledged: held back").isTrue();

        port.serverSends("<a xmlns='urn:xmppcm:ack:0' h='" + (routes + 1) + "'/>");
        assertThat(ReadGate.isPaused(client)).isFalse();
        assertThat(link.unacknowledgedBytes()).isZero();
    }

    // --- liveness

    @Test
    void aQuietStockLinkIsPingedAndASilentOneClosedAtOnce() {
        RecordingPort port = new RecordingPort();
        ServerLink link = stockLink(port);
        port.actions.clear();
        link.readerIdle();
        assertThat(port.actions).singleElement().asString().contains("<ping xmlns='urn:xmpp:ping'/>");

        port.lastRead = System.currentTimeMillis() - Duration.ofMinutes(5).toMillis();
        link.readerIdle();
        assertThat(port.actions).last().isEqualTo("close now");
        link.closed();
        assertThat(link.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void theGraphMatchesItsCommittedDiagram() {
        GraphDiagrams.assertMatchesCommittedDiagram(LinkGraph.GRAPH);
    }

    // --- helpers

    private static LinkSettings links(boolean compression) {
        LinkSettings base = LinkSettings.to(SERVER).withCount(1);
        return new LinkSettings(base.servers(), 1, base.keepalive(), base.gracePeriod(), base.holdBytesPerClient(),
                base.holdBytesTotal(), base.tls(), compression);
    }

    private static CmSettings settings(boolean compression) {
        return new CmSettings(new InetSocketAddress("127.0.0.1", 0), SERVER, "cmtest", "s3cret", "example.test",
                CmSettings.DEFAULT_MAX_STANZA_BYTES).withLinks(links(compression));
    }

    private ServerLink link(RecordingPort port, CmSettings settings, boolean tlsRequired) {
        ServerLink link = new ServerLink(settings, ManagerInstance.startingNow(), "conn1", port, listener, tlsRequired,
                SERVER);
        port.link = link;
        return link;
    }

    private ServerLink stockLink(RecordingPort port) {
        ServerLink link = link(port, settings(false), false);
        link.open();
        port.serverSends(header("s1") + "<stream:features/><handshake/>" + CONFIGURATION);
        assertThat(link.state()).isEqualTo(State.READY);
        return link;
    }

    /** A link of our server: acknowledgements offered and taken; {@code id} is its link id. */
    private ServerLink acknowledgedLink(RecordingPort port, String id) {
        ServerLink link = link(port, settings(false), false);
        link.open();
        port.serverSends(header(id) + "<stream:features><ack xmlns='urn:xmppcm:ack:0'/></stream:features>");
        assertThat(link.state()).isEqualTo(State.AWAIT_ACK_HANDSHAKE);
        port.serverSends("<handshake/>" + CONFIGURATION);
        assertThat(link.state()).isEqualTo(State.ACKNOWLEDGED);
        assertThat(link.isAcknowledged()).isTrue();
        return link;
    }

    private static String header(String id) {
        return "<?xml version='1.0'?><stream:stream " + STREAMS + " version='1.0' from='cmtest/conn1' id='" + id + "'>";
    }

    private static byte[] route(String streamId, String body) {
        return ("<route streamid='" + streamId + "'><message xmlns='jabber:client' to='bob@example.test'><body>" + body
                + "</body></message></route>").getBytes(StandardCharsets.UTF_8);
    }

    private static String serverRoute(String streamId, String body) {
        return "<route streamid='" + streamId + "' from='example.test' to='cmtest'><message to='alice@example.test'>"
                + "<body>" + body + "</body></message></route>";
    }

    /**
     * Records what the link does, and plays the server: its bytes go through the real framer, restarted when the
     * link restarts its parser, as the MINA codec does.
     */
    private static final class RecordingPort implements LinkPort {
        final List<String> actions = new ArrayList<>();
        final List<State> stateAtLayer = new ArrayList<>();
        long queued;
        long lastRead = System.currentTimeMillis();
        boolean open = true;
        ServerLink link;
        private final XmlStreamFramer framer = new XmlStreamFramer(TranscriptFrames.MAX_ELEMENT_BYTES);

        void serverSends(String xml) {
            serverSends(xml.getBytes(StandardCharsets.UTF_8));
        }

        void serverSends(byte[] bytes) {
            try {
                framer.feed(bytes, 0, bytes.length, new FramerListener() {
                    @Override
                    public void streamOpened(StreamOpen open) {
                        link.streamOpened(open);
                    }

                    @Override
                    public void frame(StanzaFrame frame) {
                        link.frameReceived(frame);
                    }

                    @Override
                    public void streamClosed() {
                        link.streamEnded();
                    }
                });
            } catch (XmlStreamException e) {
                throw new AssertionError(e);
            }
        }

        /** The elements written, in order. */
        List<String> written() {
            return actions.stream().filter(a -> a.startsWith("write ")).map(a -> a.substring(6)).toList();
        }

        @Override
        public void write(Object xml) {
            actions.add("write " + (xml instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : xml));
        }

        @Override
        public void restartParser() {
            actions.add("restart parser");
            framer.restart();
        }

        @Override
        public void addTls() {
            actions.add("add TLS");
            stateAtLayer.add(link.state());
        }

        @Override
        public void addZlib() {
            actions.add("add zlib");
            stateAtLayer.add(link.state());
        }

        @Override
        public void closeAfterWrites() {
            actions.add("close after writes");
        }

        @Override
        public void closeNow() {
            actions.add("close now");
            open = false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public long queuedBytes() {
            return queued;
        }

        @Override
        public long lastReadMillis() {
            return lastRead;
        }
    }

    /** What the link told the CM. */
    private static final class RecordingListener implements ServerLink.Listener {
        final List<String> events = new ArrayList<>();
        final List<String> routed = new ArrayList<>();

        @Override
        public void linkReady(ServerLink link) {
            events.add("ready");
        }

        @Override
        public void routed(RoutedStanza stanza, ServerLink via) {
            routed.add(stanza.streamId());
        }

        @Override
        public void configurationPushed(ClientConfiguration configuration) {
            events.add("configuration pushed");
        }

        @Override
        public void sessionProbed(String streamId, boolean exists) {
            events.add("probed " + streamId + " " + exists);
        }

        @Override
        public void sessionClosedByServer(String streamId, String streamErrorXml) {
            events.add("session closed " + streamId);
        }

        @Override
        public void sessionRefused(String streamId) {
            events.add("session refused " + streamId);
        }

        @Override
        public void linkClosed(ServerLink link, StreamErrorCondition serverError) {
            events.add("closed " + (serverError == null ? null : serverError.elementName()));
        }

        @Override
        public void takenOver(ServerLink by, String lostLinkId, long h) {
            events.add("taken over " + lostLinkId + " " + h + " by " + by.linkId());
        }

        @Override
        public void takeoverRefused(ServerLink by, String lostLinkId) {
            events.add("takeover refused " + lostLinkId + " by " + by.linkId());
        }
    }
}
