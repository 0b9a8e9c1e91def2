package org.xmppcm.cm.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmppcm.cm.client.ClientStreamGraph.State;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.testing.GraphDiagrams;
import org.xmppcm.protocol.testing.Transcript.Direction;
import org.xmppcm.protocol.testing.Transcript;
import org.xmppcm.protocol.testing.TranscriptFrames.Frame;
import org.xmppcm.protocol.testing.TranscriptFrames;
import org.xmppcm.protocol.testing.XmlTrees;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Drives one client stream through its graph with no socket: client frames in (the captured sessions' own stanzas
 * from the Openfire transcripts, and scripted bad input), what the server routes back in, and checks what the stream
 * does to its connection (writes, layers, closes) and sends to the server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientStreamMachineTest {
    private static final String LINK = "cm:conn1";
    private static final String SID = "a11ce004";
    private static final String PROCEED = "write <proceed xmlns='" + Namespaces.TLS + "'/>";
    private static final String CLOSE = "write </stream:stream>";

    private ClientStreamRig rig = new ClientStreamRig(ClientStreamRig.STOCK, SID);
    private ClientStream stream = rig.stream;

    private void reset(ClientConfiguration configuration) {
        rig = new ClientStreamRig(configuration, SID);
        stream = rig.stream;
    }

    /** Verifies that the declared graph is the committed diagram, docs/graphs/client-stream.dot. */
    @Test
    void theGraphIsTheCommittedDiagram() {
        GraphDiagrams.assertMatchesCommittedDiagram(ClientStreamGraph.GRAPH);
    }

    // ---- The captured sessions, replayed.

    /** How the client comes to authenticate, before the transcript's own stanzas. */
    enum Layers { PLAIN, STARTTLS, STARTTLS_AND_ZLIB }

    /**
     * Verifies that a client whose stanzas are those a captured session carried (SASL PLAIN or SCRAM, success or
     * failure, bind, session, roster, presence, messages, close) gets through the graph as the server answered: every
     * stanza routed as it was, every answer written as the server meant it, the restart after success, the session
     * closed on the server when the client closes, and nothing delivered after that.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "04-plain-bind-message-close.txt, a11ce004, PLAIN",
            "04-plain-bind-message-close.txt, a11ce004, STARTTLS",
            "04-plain-bind-message-close.txt, b0b00004, STARTTLS_AND_ZLIB",
            "05-scram-sha1.txt, ca201005, STARTTLS",
            "05-scram-sha1.txt, ca201005b, PLAIN",
            "05-scram-sha1.txt, ca201005c, PLAIN"})
    void aCapturedSessionGoesThroughTheGraphAsTheServerAnswered(String file, String sid, Layers layers)
            throws Exception {
        Transcript transcript = Transcript.load(file);
        List<Frame> toServer = TranscriptFrames.replay(transcript, LINK, Direction.CLIENT_TO_SERVER).frames();
        List<Frame> fromServer = TranscriptFrames.replay(transcript, LINK, Direction.SERVER_TO_CLIENT).frames();
        rig = new ClientStreamRig(pushedConfiguration(fromServer), sid);
        stream = rig.stream;
        rig.port.canAddZlib = layers == Layers.STARTTLS_AND_ZLIB;

        stream.streamOpened(ClientStreamRig.clientHeader());
        List<String> opened = rig.port.take();
        assertHeaderThenFeatures(opened, sid);
        assertThat(opened.get(1)).contains("<starttls xmlns='" + Namespaces.TLS + "'/>",
                        "<mechanism>PLAIN</mechanism>", "<mechanism>SCRAM-SHA-1</mechanism>", "<register ")
                .doesNotContain("EXTERNAL", "-PLUS", "compression");
        assertThat(rig.uplink.created).containsExactly(sid);
        assertThat(stream.state()).isEqualTo(State.AUTHENTICATING);
        if (layers != Layers.PLAIN) {
            startTls(sid);
        }

        List<Frame> all = new ArrayList<>(toServer);
        all.addAll(fromServer);
        all.sort(Comparator.comparingInt((Frame f) -> f.chunk().index()));
        int routed = 0;
        for (Frame frame : all) {
            if (frame.chunk().direction() == Direction.CLIENT_TO_SERVER) {
                routed += clientSent(frame, sid, layers, routed);
            } else {
                serverSent(frame, sid);
            }
        }
        assertThat(stream.state()).isEqualTo(State.CLOSING);
        stream.endSession();
        assertThat(stream.state()).isEqualTo(State.CLOSED);
        assertThat(rig.uplink.closed).as("the server hears of the close once").containsExactly(sid);
        assertThat(rig.registry.get(sid)).isNull();
    }

    private static ClientConfiguration pushedConfiguration(List<Frame> fromServer) throws CmProtocolException {
        for (Frame frame : fromServer) {
            Element iq = frame.element();
            if (iq.getName().equals("iq") && iq.element(QName.get("configuration", Namespaces.CM_PROTOCOL)) != null) {
                return CmElements.parseConfigurationIq(iq);
            }
        }
        throw new AssertionError("no configuration pushed");
    }

    /** {@code <starttls/>}, the handshake, the new header: features again, without STARTTLS. */
    private void startTls(String sid) {
        stream.frameReceived(ClientStreamRig.clientFrame("<starttls xmlns='" + Namespaces.TLS + "'/>"));
        assertThat(rig.port.take()).as("the parser restarts before <proceed/> leaves, TLS goes in after it")
                .containsExactly("restart parser", PROCEED, "add TLS");
        assertThat(stream.state()).isEqualTo(State.TLS_HANDSHAKE);
        stream.tlsEstablished();
        assertThat(stream.state()).isEqualTo(State.TLS_RESTART);
        assertThat(rig.port.take()).as("nothing is written before the client's new header").isEmpty();
        stream.streamOpened(ClientStreamRig.clientHeader());
        List<String> restarted = rig.port.take();
        assertHeaderThenFeatures(restarted, sid + "-1");
        assertThat(restarted.get(1)).contains("<mechanism>PLAIN</mechanism>").doesNotContain("starttls");
        assertThat(stream.state()).isEqualTo(State.AUTHENTICATING);
        assertThat(stream.isSecured()).isTrue();
    }

    /** What the probe routed for {@code sid}, sent by our client instead; returns 1 when a route was expected. */
    private int clientSent(Frame frame, String sid, Layers layers, int routedBefore) throws Exception {
        Element element = frame.element();
        Element session = element.getName().equals("iq")
                ? element.element(QName.get("session", Namespaces.CM_PROTOCOL)) : null;
        if (session != null && sid.equals(session.attributeValue("id"))
                && session.element(QName.get("close", Namespaces.CM_PROTOCOL)) != null) {
            stream.clientClosedStream();
            assertThat(rig.port.take()).containsExactly(CLOSE, "close after flush");
            assertThat(rig.uplink.closed).containsExactly(sid);
            return 0;
        }
        if (!frame.localName().equals("route") || !sid.equals(frame.attribute("streamid"))) {
            return 0;
        }
        RoutedStanza probe = RouteCodec.unwrap(frame.frame());
        if (stream.state().ended()) {
            // The probe routed for a session it had closed (04): a client that has closed sends nothing we take.
            stream.frameReceived(ClientStreamRig.clientFrame(probe.stanza()));
            assertThat(rig.port.take()).isEmpty();
            assertThat(rig.uplink.routes).hasSize(routedBefore);
            return 0;
        }
        if (stream.state() == State.SASL_RESTART) {
            restartAfterSuccess(sid, layers);
        }
        stream.frameReceived(ClientStreamRig.clientFrame(probe.stanza()));
        assertThat(rig.port.take()).as("nothing goes back to the client for " + probe.asString()).isEmpty();
        assertThat(rig.uplink.routes).hasSize(routedBefore + 1);
        Element ours = RouteCodec.carriedStanza(rig.uplink.routes.get(routedBefore));
        assertThat(XmlTrees.canonical(ours)).isEqualTo(XmlTrees.canonical(probe.asString(), XmlTrees.CLIENT_SCOPE));
        return 1;
    }

    /** The client's new header after {@code <success/>}: bind offered, and zlib once when the CM has it. */
    private void restartAfterSuccess(String sid, Layers layers) {
        stream.streamOpened(ClientStreamRig.clientHeader());
        List<String> restarted = rig.port.take();
        String id = sid + (layers == Layers.PLAIN ? "-1" : "-2");
        assertHeaderThenFeatures(restarted, id);
        assertThat(restarted.get(1)).contains("<bind xmlns='" + Namespaces.BIND + "'/>");
        assertThat(stream.state()).isEqualTo(State.BINDING);
        if (layers != Layers.STARTTLS_AND_ZLIB) {
            assertThat(restarted.get(1)).doesNotContain("compression");
            return;
        }
        assertThat(restarted.get(1)).contains("<compression xmlns='" + Namespaces.COMPRESS_FEATURE
                + "'><method>zlib</method></compression>");
        stream.frameReceived(ClientStreamRig.clientFrame("<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL
                + "'><method>zlib</method></compress>"));
        assertThat(rig.port.take()).containsExactly("restart parser",
                "write <compressed xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'/>", "add zlib");
        assertThat(stream.state()).isEqualTo(State.COMPRESSION_RESTART);
        stream.streamOpened(ClientStreamRig.clientHeader());
        List<String> compressed = rig.port.take();
        assertHeaderThenFeatures(compressed, sid + "-3");
        assertThat(compressed.get(1)).contains("<bind ").doesNotContain("compression");
        assertThat(stream.state()).isEqualTo(State.BINDING);
        assertThat(stream.isCompressed()).isTrue();
    }

    /** What Openfire routed to {@code sid}: delivered as it meant it while the stream is open, refused after. */
    private void serverSent(Frame frame, String sid) throws Exception {
        if (!frame.localName().equals("route") || !sid.equals(frame.attribute("streamid"))
                || RouteCodec.isError(frame.frame())) {
            return;
        }
        RoutedStanza routed = RouteCodec.unwrap(frame.frame());
        boolean open = !stream.state().ended();
        State before = stream.state();

        boolean delivered = stream.routedFromServer(routed);

        assertThat(delivered).as("delivered while the stream is open").isEqualTo(open);
        List<String> done = rig.port.take();
        if (!open) {
            assertThat(done).isEmpty();
        } else if (routed.isSaslSuccess()) {
            assertThat(before).isEqualTo(State.AUTHENTICATING);
            assertThat(done).as("the parser expects the new header before the client can see <success/>")
                    .containsExactly("restart parser", "write " + routed.asString());
            assertThat(stream.state()).isEqualTo(State.SASL_RESTART);
            assertThat(stream.awaitsAuthentication()).isFalse();
        } else {
            assertThat(done).containsExactly("write " + routed.asString());
            assertThat(stream.state()).isEqualTo(before);
        }
    }

    private static void assertHeaderThenFeatures(List<String> actions, String id) {
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).startsWith("write <?xml").contains("<stream:stream xmlns='jabber:client'",
                "from='" + ClientStreamRig.DOMAIN + "'", "id='" + id + "'", "version='1.0'");
        assertThat(actions.get(1)).startsWith("write <stream:features>").endsWith("</stream:features>");
    }

    // ---- Bad input.

    private void open() {
        stream.streamOpened(ClientStreamRig.clientHeader());
        rig.port.take();
    }

    private void authenticate() throws CmProtocolException {
        open();
        stream.frameReceived(ClientStreamRig.clientFrame(
                "<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>"));
        assertThat(stream.routedFromServer(fromServer("&lt;success xmlns=\"" + Namespaces.SASL + "\"/&gt;"))).isTrue();
        stream.streamOpened(ClientStreamRig.clientHeader());
        rig.port.take();
        assertThat(stream.state()).isEqualTo(State.BINDING);
    }

    private void bind() throws CmProtocolException {
        authenticate();
        stream.frameReceived(ClientStreamRig.clientFrame("<iq type='set' id='b'><bind xmlns='" + Namespaces.BIND
                + "'><resource>r</resource></bind></iq>"));
        assertThat(stream.state()).isEqualTo(State.SESSION);
    }

    /** A route from the server for our stream, as stock Openfire writes it (escaped text or element). */
    private static RoutedStanza fromServer(String content) throws CmProtocolException {
        return RouteCodec.unwrap(ClientStreamRig.clientFrame(
                "<route xmlns='" + Namespaces.CONNECTION_MANAGER + "' streamid='" + SID + "'>" + content + "</route>"));
    }

    private void assertEndedWith(List<String> actions, StreamErrorCondition condition) {
        assertThat(actions).hasSizeGreaterThanOrEqualTo(3);
        assertThat(actions.get(actions.size() - 3)).startsWith("write <stream:error>")
                .contains("<" + condition.elementName() + " xmlns='" + Namespaces.STREAM_ERRORS + "'");
        assertThat(actions.subList(actions.size() - 2, actions.size())).containsExactly(CLOSE, "close after flush");
        assertThat(stream.state()).isEqualTo(State.CLOSING);
    }

    /** Verifies that a second header on an open stream, without a restart, ends it with not-well-formed. */
    @Test
    void aSecondHeaderWithoutARestartIsNotWellFormed() {
        open();

        stream.streamOpened(ClientStreamRig.clientHeader());

        List<String> actions = rig.port.take();
        assertThat(actions).as("no second header of ours: the first one stands").hasSize(3);
        assertEndedWith(actions, StreamErrorCondition.NOT_WELL_FORMED);
        assertThat(rig.uplink.closed).containsExactly(SID);
        assertThat(rig.registry.get(SID)).isNull();
    }

    /** Verifies that a stanza before authentication goes to the server, whose not-authorized comes back as it is. */
    @Test
    void aStanzaBeforeAuthenticationIsTheServersToRefuse() throws Exception {
        open();

        stream.frameReceived(ClientStreamRig.clientFrame("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>"));

        assertThat(rig.port.take()).isEmpty();
        assertThat(rig.uplink.routes).hasSize(1);
        assertThat(stream.state()).isEqualTo(State.AUTHENTICATING);
        String refusal = "<iq type=\"error\" id=\"r1\"><error code=\"401\" type=\"auth\"><not-authorized"
                + " xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/></error></iq>";
        assertThat(stream.routedFromServer(fromServer(refusal))).isTrue();
        assertThat(rig.port.take()).containsExactly("write " + refusal);
        assertThat(stream.awaitsAuthentication()).isTrue();
    }

    /** Verifies that STARTTLS asked for again inside TLS is refused as RFC 6120 5.4.2.2 says: failure, stream closed. */
    @Test
    void startTlsTwiceIsAFailureThatEndsTheStream() {
        open();
        stream.frameReceived(ClientStreamRig.clientFrame("<starttls xmlns='" + Namespaces.TLS + "'/>"));
        stream.tlsEstablished();
        stream.streamOpened(ClientStreamRig.clientHeader());
        rig.port.take();

        stream.frameReceived(ClientStreamRig.clientFrame("<starttls xmlns='" + Namespaces.TLS + "'/>"));

        assertThat(rig.port.take()).containsExactly("write <failure xmlns='" + Namespaces.TLS + "'/>", CLOSE,
                "close after flush");
        assertThat(stream.state()).isEqualTo(State.CLOSING);
        assertThat(rig.uplink.closed).containsExactly(SID);
    }

    /** Verifies that STARTTLS is refused the same way when the features did not offer it (no certificate). */
    @Test
    void startTlsNotOfferedIsAFailureThatEndsTheStream() {
        rig.port.canAddTls = false;
        stream.streamOpened(ClientStreamRig.clientHeader());
        assertThat(rig.port.take()).startsWith("TLS offered but unavailable").noneMatch(a -> a.contains("starttls"));

        stream.frameReceived(ClientStreamRig.clientFrame("<starttls xmlns='" + Namespaces.TLS + "'/>"));

        assertThat(rig.port.take()).containsExactly("write <failure xmlns='" + Namespaces.TLS + "'/>", CLOSE,
                "close after flush");
    }

    /** Verifies that compression asked for before authentication fails with setup-failed and the stream goes on. */
    @Test
    void compressBeforeAuthenticationFailsAndTheStreamGoesOn() {
        open();

        stream.frameReceived(ClientStreamRig.clientFrame("<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL
                + "'><method>zlib</method></compress>"));

        assertThat(rig.port.take()).containsExactly(
                "write <failure xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'><setup-failed/></failure>");
        assertThat(stream.state()).isEqualTo(State.AUTHENTICATING);
        assertThat(stream.isCompressed()).isFalse();
    }

    /** Verifies XEP-0170's order: once the client has bound (sent its first stanza), compression is refused. */
    @Test
    void compressAfterBindingFailsAndTheStreamGoesOn() throws Exception {
        bind();
        rig.port.take();

        stream.frameReceived(ClientStreamRig.clientFrame("<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL
                + "'><method>zlib</method></compress>"));

        assertThat(rig.port.take()).containsExactly(
                "write <failure xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'><setup-failed/></failure>");
        assertThat(stream.state()).isEqualTo(State.SESSION);
    }

    /** Verifies that an unknown method gets unsupported-method, and zlib asked for next still works. */
    @Test
    void anUnknownCompressionMethodFailsAndZlibStillWorks() throws Exception {
        authenticate();

        stream.frameReceived(ClientStreamRig.clientFrame("<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL
                + "'><method>lzw</method></compress>"));
        assertThat(rig.port.take()).containsExactly(
                "write <failure xmlns='" + Namespaces.COMPRESS_PROTOCOL + "'><unsupported-method/></failure>");
        stream.frameReceived(ClientStreamRig.clientFrame("<compress xmlns='" + Namespaces.COMPRESS_PROTOCOL
                + "'><method>zlib</method></compress>"));

        assertThat(rig.port.take()).endsWith("add zlib");
        assertThat(stream.state()).isEqualTo(State.COMPRESSION_RESTART);
    }

    /**
     * Verifies TLS policy REQUIRED: STARTTLS alone is offered; SASL gets encryption-required three times, then
     * policy-violation; so does anything else at once.
     */
    @Test
    void withTlsRequiredSaslIsRefusedUntilTlsAndAnythingElseEndsTheStream() {
        reset(new ClientConfiguration(TlsPolicy.REQUIRED, List.of("PLAIN"), List.of(), false, false, Map.of()));
        stream.streamOpened(ClientStreamRig.clientHeader());
        List<String> opened = rig.port.take();
        assertThat(opened.get(1)).isEqualTo("write <stream:features><starttls xmlns='" + Namespaces.TLS
                + "'><required/></starttls></stream:features>");
        assertThat(stream.state()).isEqualTo(State.STARTTLS_REQUIRED);
        String auth = "<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>";

        for (int i = 0; i < 3; i++) {
            stream.frameReceived(ClientStreamRig.clientFrame(auth));
            assertThat(rig.port.take()).containsExactly(
                    "write <failure xmlns='" + Namespaces.SASL + "'><encryption-required/></failure>");
        }
        stream.frameReceived(ClientStreamRig.clientFrame(auth));

        assertEndedWith(rig.port.take(), StreamErrorCondition.POLICY_VIOLATION);
        assertThat(rig.uplink.routes).as("nothing reached the server before TLS").isEmpty();
    }

    /** Verifies that with TLS required and no certificate the client is refused at its header. */
    @Test
    void withTlsRequiredAndNoCertificateTheHeaderIsRefused() {
        reset(new ClientConfiguration(TlsPolicy.REQUIRED, List.of("PLAIN"), List.of(), false, false, Map.of()));
        rig.port.canAddTls = false;

        stream.streamOpened(ClientStreamRig.clientHeader());

        List<String> actions = rig.port.take();
        assertThat(actions.get(0)).isEqualTo("TLS required but unavailable");
        assertThat(actions.get(1)).startsWith("write <?xml");
        assertEndedWith(actions, StreamErrorCondition.POLICY_VIOLATION);
        assertThat(rig.uplink.created).isEmpty();
    }

    /** Verifies the header's checks: domain, namespace, version; each answered with a header and its error. */
    @ParameterizedTest
    @CsvSource({
            "elsewhere.example, jabber:client, 1.0, HOST_UNKNOWN",
            "example.test, jabber:server, 1.0, INVALID_NAMESPACE",
            "example.test, jabber:client, 0.9, UNSUPPORTED_VERSION"})
    void aHeaderThatCannotBeServedIsAnsweredWithAHeaderAndAStreamError(String to, String ns, String version,
                                                                       StreamErrorCondition condition) {
        stream.streamOpened(ClientStreamRig.clientHeader("<stream:stream xmlns='" + ns + "' xmlns:stream='"
                + Namespaces.STREAMS + "' to='" + to + "' version='" + version + "'>"));

        List<String> actions = rig.port.take();
        assertThat(actions).hasSize(4);
        assertThat(actions.get(0)).startsWith("write <?xml").contains("from='example.test'");
        assertEndedWith(actions, condition);
        assertThat(rig.uplink.created).as("no session for a refused stream").isEmpty();
        assertThat(rig.uplink.closed).isEmpty();
    }

    /** Verifies that a new client is refused while no link is ready. */
    @Test
    void aHeaderWhileTheServerIsUnreachableGetsRemoteConnectionFailed() {
        rig.uplink.reachable = false;

        stream.streamOpened(ClientStreamRig.clientHeader());

        assertEndedWith(rig.port.take(), StreamErrorCondition.REMOTE_CONNECTION_FAILED);
    }

    /** Verifies that anything but a header during a restart ends the stream, after a header for the new stream. */
    @Test
    void aStanzaInsteadOfTheRestartHeaderIsNotAuthorizedAfterANewHeader() throws Exception {
        open();
        stream.frameReceived(ClientStreamRig.clientFrame(
                "<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>"));
        stream.routedFromServer(fromServer("&lt;success xmlns=\"" + Namespaces.SASL + "\"/&gt;"));
        rig.port.take();

        stream.frameReceived(ClientStreamRig.clientFrame("<message to='bob@example.test'><body>hi</body></message>"));

        List<String> actions = rig.port.take();
        assertThat(actions).hasSize(4);
        assertThat(actions.get(0)).as("the client restarted its parser at <success/>: a new header first")
                .startsWith("write <?xml");
        assertEndedWith(actions, StreamErrorCondition.NOT_AUTHORIZED);
    }

    /** Verifies that what the server routes during a restart waits for the new header and features, in order. */
    @Test
    void stanzasRoutedDuringARestartFollowTheNewFeaturesInOrder() throws Exception {
        open();
        stream.frameReceived(ClientStreamRig.clientFrame(
                "<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>"));
        stream.routedFromServer(fromServer("&lt;success xmlns=\"" + Namespaces.SASL + "\"/&gt;"));
        rig.port.take();

        assertThat(stream.routedFromServer(fromServer("<message id='1'/>"))).isTrue();
        assertThat(stream.routedFromServer(fromServer("<message id='2'/>"))).isTrue();
        assertThat(rig.port.take()).isEmpty();
        stream.streamOpened(ClientStreamRig.clientHeader());

        List<String> actions = rig.port.take();
        assertThat(actions).hasSize(4);
        assertThat(actions.get(1)).contains("<bind ");
        assertThat(actions.subList(2, 4)).containsExactly("write <message id='1'/>", "write <message id='2'/>");
    }

    /** Verifies that more than a restart's worth of held stanzas ends the stream, and the one refused is not lost. */
    @Test
    void tooMuchHeldDuringARestartEndsTheStream() throws Exception {
        open();
        stream.frameReceived(ClientStreamRig.clientFrame("<starttls xmlns='" + Namespaces.TLS + "'/>"));
        rig.port.take();
        for (int i = 0; i < 64; i++) {
            assertThat(stream.routedFromServer(fromServer("<message id='" + i + "'/>"))).isTrue();
        }

        assertThat(stream.routedFromServer(fromServer("<message id='64'/>")))
                .as("not delivered: the caller reports it to the server").isFalse();

        assertEndedWith(rig.port.take(), StreamErrorCondition.RESOURCE_CONSTRAINT);
    }

    /** Verifies that the server's own stream error for the session (Openfire's resource conflict, 08) ends the stream. */
    @Test
    void aStreamErrorRoutedByTheServerEndsTheStreamWithoutACloseBack() throws Exception {
        bind();
        rig.port.take();
        String conflict = "&lt;stream:error xmlns:stream=\"" + Namespaces.STREAMS + "\"&gt;&lt;conflict xmlns=\""
                + Namespaces.STREAM_ERRORS + "\"/&gt;&lt;/stream:error&gt;";

        assertThat(stream.routedFromServer(fromServer(conflict))).isTrue();

        List<String> actions = rig.port.take();
        assertThat(actions.get(0)).contains("<conflict");
        assertThat(actions.subList(1, 3)).containsExactly(CLOSE, "close after flush");
        assertThat(rig.uplink.closed).as("the server ended it: no close IQ back").isEmpty();
        assertThat(stream.routedFromServer(fromServer("<message id='late'/>"))).isFalse();
    }

    /** Verifies XEP-0078: a result to the client's jabber:iq:auth set authenticates without a restart. */
    @Test
    void aResultToTheIqAuthSetAuthenticatesWithoutARestart() throws Exception {
        open();
        stream.frameReceived(ClientStreamRig.clientFrame("<iq type='set' id='auth1'><query xmlns='jabber:iq:auth'>"
                + "<username>alice</username><password>alice</password><resource>r</resource></query></iq>"));
        assertThat(stream.routedFromServer(fromServer("<iq type='result' id='other'/>"))).isTrue();
        assertThat(stream.state()).as("another IQ's result").isEqualTo(State.AUTHENTICATING);

        assertThat(stream.routedFromServer(fromServer("<iq type='result' id='auth1'/>"))).isTrue();

        assertThat(stream.state()).isEqualTo(State.SESSION);
        assertThat(rig.port.take()).containsExactly("write <iq type='result' id='other'/>",
                "write <iq type='result' id='auth1'/>");
        assertThat(stream.awaitsAuthentication()).isFalse();
    }

    /** Verifies the authentication deadline: connection-timeout before success, nothing after. */
    @Test
    void theAuthenticationDeadlineClosesOnlyAStreamThatHasNotAuthenticated() throws Exception {
        authenticate();
        assertThat(stream.authenticationTimedOut()).isFalse();
        assertThat(rig.port.take()).isEmpty();

        reset(ClientStreamRig.STOCK);
        open();
        assertThat(stream.authenticationTimedOut()).isTrue();
        assertEndedWith(rig.port.take(), StreamErrorCondition.CONNECTION_TIMEOUT);
        assertThat(rig.uplink.closed).containsExactly(SID);
    }

    /** Verifies the CM's shutdown: system-shutdown, close, the server told. */
    @Test
    void shutdownEndsTheStreamWithSystemShutdown() throws Exception {
        bind();
        rig.port.take();

        stream.shutdown();

        assertEndedWith(rig.port.take(), StreamErrorCondition.SYSTEM_SHUTDOWN);
        assertThat(rig.uplink.closed).containsExactly(SID);
    }

    /**
     * Verifies the end of a server that is gone for good: the client's stanzas are answered with errors, its SASL is
     * not; then remote-connection-failed, and the socket is left for the client to close, which it does without our
     * writing a second {@code </stream:stream>}.
     */
    @Test
    void whenTheServerIsGoneStanzasAreAnsweredAndTheCloseLingersForTheClient() throws Exception {
        bind();
        rig.port.take();
        int routed = rig.uplink.routes.size();
        stream.refuseFromNow();
        assertThat(stream.state()).isEqualTo(State.SERVER_GONE);

        stream.frameReceived(ClientStreamRig.clientFrame(
                "<message to='bob@example.test' id='m9'><body>still there?</body></message>"));
        List<String> answered = rig.port.take();
        assertThat(answered).hasSize(1);
        assertThat(answered.get(0)).contains("type=\"error\"", "id=\"m9\"", "<internal-server-error");
        assertThat(rig.uplink.routes).hasSize(routed);
        stream.frameReceived(ClientStreamRig.clientFrame(
                "<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>"));
        assertThat(rig.port.take()).as("SASL is no stanza: nothing to answer").isEmpty();
        assertThat(rig.uplink.routes).hasSize(routed);

        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try {
            stream.closedByServerLingering(StreamErrorCondition.REMOTE_CONNECTION_FAILED, Duration.ofSeconds(30),
                    timers);
            List<String> closing = rig.port.take();
            assertThat(closing).hasSize(2);
            assertThat(closing.get(0)).contains("<remote-connection-failed");
            assertThat(closing.get(1)).isEqualTo(CLOSE);
            assertThat(stream.state()).isEqualTo(State.CLOSING);
            assertThat(rig.uplink.closed).as("the server is gone; nobody to tell").isEmpty();

            stream.clientClosedStream();

            assertThat(rig.port.take()).containsExactly("close after flush");
        } finally {
            timers.shutdownNow();
        }
    }

    /** Verifies that a server gone while the client restarts answers its new header with empty features. */
    @Test
    void whenTheServerGoesDuringARestartTheNewHeaderGetsEmptyFeatures() {
        open();
        stream.frameReceived(ClientStreamRig.clientFrame("<starttls xmlns='" + Namespaces.TLS + "'/>"));
        rig.port.take();
        stream.refuseFromNow();
        assertThat(stream.state()).isEqualTo(State.SERVER_GONE_RESTART);
        stream.tlsEstablished();

        stream.streamOpened(ClientStreamRig.clientHeader());

        List<String> actions = rig.port.take();
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).startsWith("write <?xml");
        assertThat(actions.get(1)).isEqualTo("write <stream:features/>");
        assertThat(stream.state()).isEqualTo(State.SERVER_GONE);
    }

    /** Verifies that a client that sends after its own close is ignored, and the socket's end closes the graph. */
    @Test
    void afterTheClientsCloseNothingMoreIsWrittenOrRouted() throws Exception {
        bind();
        stream.clientClosedStream();
        rig.port.take();
        int routed = rig.uplink.routes.size();

        stream.frameReceived(ClientStreamRig.clientFrame("<message id='late'/>"));
        stream.streamOpened(ClientStreamRig.clientHeader());

        assertThat(rig.port.take()).isEmpty();
        assertThat(rig.uplink.routes).hasSize(routed);
        stream.endSession();
        assertThat(stream.state()).isEqualTo(State.CLOSED);
        assertThat(rig.uplink.closed).containsExactly(SID);
    }

    /** Verifies that a socket that just goes ends the session on the server. */
    @Test
    void aSocketThatGoesEndsTheSessionOnTheServer() throws Exception {
        bind();

        stream.endSession();

        assertThat(stream.state()).isEqualTo(State.CLOSED);
        assertThat(rig.uplink.closed).containsExactly(SID);
        assertThat(rig.registry.get(SID)).isNull();
    }

    // ---- One lane.

    /**
     * Verifies the concurrency rule at its sharpest point: a {@code <starttls/>} read while a link thread is writing to
     * the client is queued, the client's reads pause at once, and they resume only after TLS is in, so the client's
     * hello cannot be read before the TLS layer.
     */
    @Test
    void aStartTlsQueuedBehindALinkThreadPausesReadsUntilTlsIsIn() throws Exception {
        open();
        rig.port.blockWriteOf("id='slow'");
        AtomicBoolean delivered = new AtomicBoolean();
        Thread link = new Thread(() -> {
            try {
                delivered.set(stream.routedFromServer(fromServer("<message id='slow'/>")));
            } catch (CmProtocolException e) {
                throw new AssertionError(e);
            }
        }, "link");
        link.start();
        rig.port.awaitBlocked();

        stream.frameReceived(ClientStreamRig.clientFrame("<starttls xmlns='" + Namespaces.TLS + "'/>"));
        assertThat(rig.port.take()).as("queued: the I/O thread returned at once, reads paused")
                .containsExactly("write <message id='slow'/>", "pause reads");
        rig.port.unblock();
        link.join(10_000);

        assertThat(delivered).isTrue();
        assertThat(rig.port.take()).as("run by the link thread, reads resumed after TLS went in")
                .containsExactly("restart parser", PROCEED, "add TLS", "resume reads");
        assertThat(stream.state()).isEqualTo(State.TLS_HANDSHAKE);
    }

    /** Verifies that events handed over by several threads at once keep each thread's order and never overlap. */
    @Test
    void deliveriesFromSeveralLinksKeepEachLinksOrder() throws Exception {
        bind();
        rig.port.take();
        int perLink = 200;
        List<Thread> links = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            String name = "l" + l;
            Thread link = new Thread(() -> {
                for (int i = 0; i < perLink; i++) {
                    try {
                        assertThat(stream.routedFromServer(fromServer("<message id='" + name + "-" + i + "'/>")))
                                .isTrue();
                    } catch (CmProtocolException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            links.add(link);
            link.start();
        }
        for (int i = 0; i < perLink; i++) {
            stream.frameReceived(ClientStreamRig.clientFrame("<message id='c-" + i + "'/>"));
        }
        for (Thread link : links) {
            link.join(20_000);
        }

        List<String> writes = rig.port.take().stream().filter(a -> a.startsWith("write ")).toList();
        assertThat(writes).hasSize(3 * perLink);
        for (int l = 0; l < 3; l++) {
            String prefix = "write <message id='l" + l + "-";
            List<Integer> order = writes.stream().filter(w -> w.startsWith(prefix))
                    .map(w -> Integer.parseInt(w.substring(prefix.length(), w.indexOf("'/>")))).toList();
            assertThat(order).hasSize(perLink).isSorted();
        }
        List<String> routedIds = new ArrayList<>();
        for (int i = 0; i < rig.uplink.routes.size(); i++) {
            Element stanza = RouteCodec.carriedStanza(rig.uplink.routes.get(i));
            routedIds.add(String.valueOf(stanza.attributeValue("id")));
        }
        List<String> fromClient = routedIds.stream().filter(id -> id.startsWith("c-")).toList();
        assertThat(fromClient).hasSize(perLink);
        for (int i = 0; i < perLink; i++) {
            assertThat(fromClient.get(i)).isEqualTo("c-" + i);
        }
    }
}
