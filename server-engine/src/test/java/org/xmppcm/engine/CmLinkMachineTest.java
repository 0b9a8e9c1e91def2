package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xmppcm.engine.RecordingLinkPort.Kind.ADD_TLS;
import static org.xmppcm.engine.RecordingLinkPort.Kind.ADD_ZLIB;
import static org.xmppcm.engine.RecordingLinkPort.Kind.CLOSE_AFTER_FLUSH;
import static org.xmppcm.engine.RecordingLinkPort.Kind.RESTART_PARSER;
import static org.xmppcm.engine.RecordingLinkPort.Kind.WRITE;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.ack.AckElements;
import org.xmppcm.protocol.cm.Handshake;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.testing.Transcript;
import org.xmppcm.protocol.testing.Transcript.Chunk;
import org.xmppcm.protocol.testing.Transcript.Direction;
import org.xmppcm.protocol.testing.TranscriptFrames;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;
import org.xmppcm.transport.StreamEnd;
import org.xmppcm.transport.testing.TestTls;

/**
 * The server side of a link negotiated without a socket: the CM's bytes go through a framer into the handler, as the
 * MINA decoder would hand them over, and what the link does comes back through a {@link RecordingLinkPort}.
 */
class CmLinkMachineTest {
    private static final String CONN1 = FakeHost.MANAGER + "/conn1";
    private static final String STARTTLS = "<starttls xmlns='" + Namespaces.TLS + "'/>";
    private static final String COMPRESS_ZLIB = "<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL
            + "'><method>zlib</method></compress>";

    private final FakeHost host = new FakeHost();
    private final ManagerRegistry registry = new ManagerRegistry(host::sessionGracePeriod, host::linkIdleTimeout);
    private final LinkLayers layers = new LinkLayers();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();
    private LinkSecurity security = LinkSecurity.NONE;
    private final CmLinkHandler handler = new CmLinkHandler(host, registry, new Ids(), () -> false,
            LinkLimits.DEFAULT, HandshakeThrottle.of(LinkLimits.DEFAULT, System::nanoTime), () -> security, layers,
            deadlines);

    private final RecordingLinkPort port = new RecordingLinkPort();
    private final XmlStreamFramer framer = new XmlStreamFramer(TranscriptFrames.MAX_ELEMENT_BYTES);
    private CmLink link;

    @AfterEach
    void stop() {
        registry.close();
        deadlines.shutdownNow();
        layers.shutdown(0);
    }

    private void accept(LinkSecurity offered, String streamId) {
        security = offered;
        link = handler.newLink(port, streamId, offered);
    }

    private void accept(LinkSecurity offered) {
        accept(offered, "s7r3am1d00");
    }

    private static LinkSecurity tls(TlsPolicy policy, boolean compression) {
        return new LinkSecurity(TestTls.serverContext(), policy, compression);
    }

    /** The CM's bytes, read as the MINA decoder reads them: a restart the link asked for applies to the next ones. */
    private void cmSends(byte[] bytes) {
        if (port.takeParserRestart()) {
            framer.restart();
        }
        try {
            framer.feed(bytes, 0, bytes.length, new FramerListener() {
                @Override
                public void streamOpened(StreamOpen open) {
                    handler.received(link, open);
                }

                @Override
                public void frame(StanzaFrame frame) {
                    handler.received(link, frame);
                }

                @Override
                public void streamClosed() {
                    handler.received(link, StreamEnd.INSTANCE);
                }
            });
        } catch (XmlStreamException e) {
            throw new AssertionError("the test's CM sent broken XML", e);
        }
    }

    private void cmSends(String xml) {
        cmSends(xml.getBytes(StandardCharsets.UTF_8));
    }

    private void cmOpens(String to) {
        cmSends("<?xml version='1.0'?><stream:stream xmlns:stream='" + Namespaces.STREAMS + "' xmlns='"
                + Namespaces.CONNECTION_MANAGER + "' to='" + to + "' version='1.0'>");
    }

    /** Our header answering the CM's; returns its features. */
    private Element ourHeaderAndFeatures() {
        StreamOpen header = port.nextHeader();
        assertThat(header.defaultNamespace()).isEqualTo(Namespaces.CONNECTION_MANAGER);
        assertThat(header.attribute("id")).isEqualTo(link.streamId());
        Element features = port.next();
        assertThat(features.getQName()).isEqualTo(QName.get("features", Namespaces.STREAMS));
        return features;
    }

    private static List<QName> offered(Element features) {
        return features.elements().stream().map(Element::getQName).toList();
    }

    private static final QName ACK = QName.get("ack", AckElements.NAMESPACE);
    private static final QName STARTTLS_FEATURE = QName.get("starttls", Namespaces.TLS);
    private static final QName ZLIB_FEATURE = QName.get("compression", Namespaces.COMPRESS_FEATURE);

    /** The CM opens its link and, once answered, starts {@code <starttls/>}, which we answer with {@code <proceed/>}. */
    private void cmOpensAndStartsTls() {
        cmOpens(CONN1);
        ourHeaderAndFeatures();
        cmSends(STARTTLS);
        assertThat(port.next().getQName()).isEqualTo(QName.get("proceed", Namespaces.TLS));
    }

    /** The CM proves the secret over the current stream id; we acknowledge and push the configuration. */
    private void cmHandshakes() {
        cmSends("<handshake>" + Handshake.digest(link.streamId(), FakeHost.SECRET) + "</handshake>");
        assertGreeted();
    }

    private void assertGreeted() {
        assertThat(port.next().getQName()).isEqualTo(QName.get("handshake", Namespaces.CONNECTION_MANAGER));
        Element iq = port.next();
        assertThat(iq.attributeValue("type")).isEqualTo("set");
        assertThat(EngineTestBase.configurationOf(iq)).as(iq.asXML()).isNotNull();
    }

    private void assertStreamErrorThenClose(String condition) {
        Element error = port.next();
        assertThat(error.getQName()).isEqualTo(QName.get("error", Namespaces.STREAMS));
        assertThat(EngineTestBase.childIn(error, Namespaces.STREAM_ERRORS)).isEqualTo(condition);
        assertThat(port.nextIsStreamEnd()).isTrue();
        assertClosedAfterFlush();
    }

    private void assertClosedAfterFlush() {
        List<RecordingLinkPort.Action> actions = port.actions();
        assertThat(actions.get(actions.size() - 1).kind()).isEqualTo(CLOSE_AFTER_FLUSH);
        assertThat(link.state()).isEqualTo(LinkState.CLOSED);
    }

    @Test
    void theCmSideOfOpenfiresLinkSetupTranscriptGetsTheRepliesOpenfireGave() {
        Transcript transcript = Transcript.load("01-link-setup.txt");
        // Our stream id is Openfire's, so that the captured digest proves the captured secret.
        accept(tls(TlsPolicy.OPTIONAL, false), "4gh424n0i7");
        List<LinkState> states = new ArrayList<>();
        for (Chunk chunk : transcript.chunks("cm:conn1", Direction.CLIENT_TO_SERVER)) {
            cmSends(chunk.bytes());
            states.add(link.state());
        }

        // header, handshake, the configuration IQ's result, </stream:stream>
        assertThat(states).containsExactly(LinkState.AWAIT_HANDSHAKE, LinkState.AUTHENTICATED,
                LinkState.AUTHENTICATED, LinkState.CLOSED);
        TranscriptFrames.Replay openfire = TranscriptFrames.replay(transcript, "cm:conn1", Direction.SERVER_TO_CLIENT);
        StreamOpen header = port.nextHeader();
        assertThat(header.attribute("from")).isEqualTo(openfire.header().attribute("from")).isEqualTo(CONN1);
        assertThat(header.attribute("id")).isEqualTo(openfire.header().attribute("id"));
        List<Element> ours = new ArrayList<>();
        for (Object next = port.nextRead(); next != RecordingLinkPort.STREAM_END; next = port.nextRead()) {
            assertThat(next).isInstanceOf(Element.class);
            ours.add((Element) next);
        }
        assertThat(ours).extracting(Element::getQName)
                .containsExactlyElementsOf(openfire.frames().stream().map(f -> f.element().getQName()).toList());
        Element features = ours.get(0);
        assertThat(features.element(STARTTLS_FEATURE)).as("STARTTLS offered, as Openfire did").isNotNull();
        assertThat(features.element(STARTTLS_FEATURE).elements()).as("not required").isEmpty();
        assertThat(features.element(ACK)).as("and our acknowledgements").isNotNull();
        assertThat(ours.get(1).getText()).as("an empty handshake acknowledges").isEmpty();
        assertThat(EngineTestBase.configurationOf(ours.get(2))).isNotNull();
        assertThat(openfire.closed()).isTrue();
        assertClosedAfterFlush();
        assertThat(registry.snapshot()).as("the closed link left routing").isEmpty();
    }

    @Test
    void startTlsThenZlibEachRestartTheStreamWithANewIdAndTheHandshakeUsesTheLast() {
        accept(tls(TlsPolicy.OPTIONAL, true));
        cmOpens(CONN1);
        String plainId = link.streamId();
        assertThat(offered(ourHeaderAndFeatures())).containsExactly(ACK, STARTTLS_FEATURE, ZLIB_FEATURE);

        int before = port.actionCount();
        cmSends(STARTTLS);
        // The parser is told before <proceed/> is written, and TLS goes in after it: <proceed/> leaves in clear.
        assertThat(port.kindsAfter(before)).containsExactly(RESTART_PARSER, WRITE, ADD_TLS);
        assertThat(port.next().getQName()).isEqualTo(QName.get("proceed", Namespaces.TLS));
        assertThat(link.state()).isEqualTo(LinkState.TLS_RESTART);

        cmOpens(CONN1);
        assertThat(link.state()).isEqualTo(LinkState.AWAIT_HANDSHAKE);
        assertThat(link.streamId()).isNotEqualTo(plainId);
        assertThat(offered(ourHeaderAndFeatures())).as("zlib inside TLS").containsExactly(ACK, ZLIB_FEATURE);

        before = port.actionCount();
        cmSends(COMPRESS_ZLIB);
        assertThat(port.kindsAfter(before)).containsExactly(RESTART_PARSER, WRITE, ADD_ZLIB);
        assertThat(port.next().getQName()).isEqualTo(QName.get("compressed", Namespaces.COMPRESS_PROTOCOL));
        assertThat(link.state()).isEqualTo(LinkState.ZLIB_RESTART);

        cmOpens(CONN1);
        assertThat(link.streamId()).isNotEqualTo(plainId);
        assertThat(offered(ourHeaderAndFeatures())).as("nothing left to offer").containsExactly(ACK);

        cmHandshakes();
        assertThat(link.state()).isEqualTo(LinkState.AUTHENTICATED);
        assertThat(link.isSecured()).isTrue();
        assertThat(link.isCompressed()).isTrue();
    }

    @Test
    void afterZlibStartTlsIsNoLongerOfferedAndAskingForItEndsTheStream() {
        accept(tls(TlsPolicy.OPTIONAL, true));
        cmOpens(CONN1);
        ourHeaderAndFeatures();
        cmSends(COMPRESS_ZLIB);
        port.next();
        cmOpens(CONN1);
        assertThat(offered(ourHeaderAndFeatures())).as("XEP-0138: TLS comes first or not at all").containsExactly(ACK);

        cmSends(STARTTLS);
        assertThat(port.next().getQName()).isEqualTo(QName.get("failure", Namespaces.TLS));
        assertThat(port.nextIsStreamEnd()).isTrue();
        assertClosedAfterFlush();
        assertThat(port.actions()).extracting(RecordingLinkPort.Action::kind).doesNotContain(ADD_TLS);
    }

    @Test
    void startTlsThatWasNotOfferedGetsFailureAndTheStreamEnds() {
        accept(LinkSecurity.NONE);
        cmOpens(CONN1);
        assertThat(offered(ourHeaderAndFeatures())).containsExactly(ACK);

        int before = port.actionCount();
        cmSends(STARTTLS);
        assertThat(port.kindsAfter(before)).containsExactly(WRITE, CLOSE_AFTER_FLUSH);
        assertThat(port.next().getQName()).isEqualTo(QName.get("failure", Namespaces.TLS));
        assertThat(port.nextIsStreamEnd()).isTrue();
        assertClosedAfterFlush();
    }

    @Test
    void aHandshakeBeforeRequiredTlsIsRefusedWithoutLookingAtIt() {
        accept(tls(TlsPolicy.REQUIRED, true));
        cmOpens(CONN1);
        Element features = ourHeaderAndFeatures();
        assertThat(features.element(STARTTLS_FEATURE).element("required")).isNotNull();
        assertThat(features.element(ZLIB_FEATURE)).as("no compression in clear when TLS is required").isNull();

        cmSends("<handshake>" + Handshake.digest(link.streamId(), FakeHost.SECRET) + "</handshake>");
        assertStreamErrorThenClose("policy-violation");
        assertThat(registry.snapshot()).as("never attached").isEmpty();
    }

    @Test
    void theCmsHeaderAfterProceedEndsTheRestartAndIsAnsweredThroughTls() {
        accept(tls(TlsPolicy.REQUIRED, false));
        cmOpensAndStartsTls();
        assertThat(link.awaitsRestart()).isTrue();

        int before = port.actionCount();
        cmOpens(CONN1);
        assertThat(link.awaitsRestart()).isFalse();
        assertThat(link.state()).isEqualTo(LinkState.AWAIT_HANDSHAKE);
        assertThat(port.kindsAfter(before)).as("only our header").containsExactly(WRITE);
        assertThat(offered(ourHeaderAndFeatures())).containsExactly(ACK);

        cmHandshakes();
        assertThat(link.isAuthenticated()).isTrue();
    }

    @Test
    void aRestartedStreamAddressingAnotherLinkGetsAHeaderThenImproperAddressing() {
        accept(tls(TlsPolicy.OPTIONAL, false));
        cmOpensAndStartsTls();

        cmOpens(FakeHost.MANAGER + "/conn2");
        // RFC 6120 4.9.1.1: the error comes on a stream, so our header of the new stream goes first.
        assertThat(port.nextHeader().attribute("id")).isEqualTo(link.streamId());
        port.next(); // its (empty) features
        assertStreamErrorThenClose("improper-addressing");
    }

    @Test
    void anAcknowledgedLinkIsLostWhenItClosesUntilItsFateIsSettled() throws Exception {
        host.grace.set(java.time.Duration.ofMinutes(5));
        accept(LinkSecurity.NONE);
        cmOpens(CONN1);
        ourHeaderAndFeatures();
        cmSends(AckElements.handshakeTakingOffer(Handshake.digest(link.streamId(), FakeHost.SECRET)));
        assertGreeted();
        assertThat(link.state()).isEqualTo(LinkState.ACKNOWLEDGED);
        assertThat(link.isAuthenticated()).isTrue();
        cmSends(EngineTestBase.create("c1", "a11ce004"));
        assertThat(port.next().attributeValue("type")).isEqualTo("result");
        FakeSession session = host.awaitOpened();

        link.connectionLost();
        assertThat(link.state()).isEqualTo(LinkState.LOST);
        assertThat(link.isGone()).isTrue();
        assertThat(link.awaitsTakeover()).isTrue();
        int before = port.actionCount();
        session.channel.deliver(EngineTestBase.message("held for the takeover"));
        assertThat(port.actionCount()).as("nothing written to a lost link").isEqualTo(before);

        ManagerRegistry.giveUpLostLinks(registry.entry(FakeHost.MANAGER));
        assertThat(link.state()).isEqualTo(LinkState.SETTLED);
        assertThat(link.isAcknowledged()).as("settled, still an acknowledged link").isTrue();
        assertThat(link.awaitsTakeover()).isFalse();
        assertThat(link.send(EngineTestBase.sessionIq("late", "a11ce004", "<probe/>"))).as("nothing kept").isFalse();
    }

    @Test
    void aSessionWhoseHostFallsBehindPausesTheLinkItsInputCameOn() throws Exception {
        accept(LinkSecurity.NONE);
        cmOpens(CONN1);
        ourHeaderAndFeatures();
        cmHandshakes();
        cmSends(EngineTestBase.create("c1", "a11ce004"));
        port.next();
        FakeSession session = host.awaitOpened();
        cmSends("<route streamid='a11ce004'><message xmlns='jabber:client' to='bob@example.test'><body>hi</body>"
                + "</message></route>");
        assertThat(session.awaitReceived().elementText("body")).isEqualTo("hi");

        session.channel.pauseInput();
        assertThat(port.readsPaused()).isTrue();
        session.channel.resumeInput();
        assertThat(port.readsPaused()).isFalse();
    }
}
