package org.xmppcm.protocol.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmppcm.protocol.testing.TestFrames;
import org.xmppcm.protocol.testing.Transcript;
import org.xmppcm.protocol.testing.Transcript.Chunk;
import org.xmppcm.protocol.testing.Transcript.Direction;
import org.xmppcm.protocol.testing.TranscriptFrames;
import org.xmppcm.protocol.testing.TranscriptFrames.Frame;
import org.xmppcm.protocol.testing.TranscriptFrames.Replay;
import org.xmppcm.protocol.testing.XmlTrees;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * Golden tests: every element stock Openfire 5.1.1 sent to the probe reads with our readers, and
 * what our writers produce is what the probe sent (byte for byte where the probe's form is ours,
 * otherwise equal in meaning). Frames are cut from the transcript chunks by {@link XmlStreamFramer}.
 */
class TranscriptGoldenTest {
    private static final String SECRET = "s3cret";
    private static final Map<String, Integer> SEEN = new TreeMap<>();

    static List<String> files() {
        return Transcript.fileNames();
    }

    private static void seen(String kind) {
        synchronized (SEEN) {
            SEEN.merge(kind, 1, Integer::sum);
        }
    }

    private static String canonicalOnLink(String xml) {
        return XmlTrees.canonical(xml, XmlTrees.LINK_SCOPE);
    }

    // ------------------------------------------------------------------ server to CM

    @ParameterizedTest
    @MethodSource("files")
    void everyElementOpenfireSentReadsWithOurReaders(String file) throws Exception {
        Transcript t = Transcript.load(file);
        for (Frame f : TranscriptFrames.cmFrames(t, Direction.SERVER_TO_CLIENT)) {
            Element e = f.element();
            String where = file + " " + f;
            switch (f.localName()) {
                case "features" -> {
                    assertThat(e.getNamespaceURI()).as(where).isEqualTo(Namespaces.STREAMS);
                    seen("features");
                }
                case "handshake" -> {
                    assertThat(CmElements.parseHandshake(e)).as(where).isEmpty();
                    seen("handshake ack");
                }
                case "iq" -> readServerIq(t, f, e, where);
                case "route" -> readServerRoute(f, e, where);
                case "error" -> {
                    StreamError error = CmElements.parseStreamError(e);
                    assertThat(error.condition()).as(where)
                            .isIn(StreamErrorCondition.NOT_AUTHORIZED, StreamErrorCondition.INTERNAL_SERVER_ERROR);
                    if (error.condition() == StreamErrorCondition.INTERNAL_SERVER_ERROR) {
                        assertThat(error.text()).isEqualTo("An error occurred while processing data raw inbound data.");
                    }
                    assertThat(canonicalOnLink(CmElements.standaloneStreamError(error.condition(), error.text())))
                            .as(where).isEqualTo(XmlTrees.canonical(e));
                    assertThat(canonicalOnLink(CmElements.streamError(error.condition(), error.text())))
                            .as(where).isEqualTo(XmlTrees.canonical(e));
                    seen("stream error");
                }
                default -> fail("unexpected element from Openfire: " + where);
            }
        }
    }

    private static void readServerIq(Transcript t, Frame f, Element iq, String where) throws Exception {
        String type = iq.attributeValue("type");
        if ("set".equals(type)) {
            assertThat(CmElements.isConfigurationIq(iq)).as(where).isTrue();
            assertThat(iq.attributeValue("from")).as("config IQ has no from").isNull();
            assertThat(iq.attributeValue("to")).as("config IQ has no to").isNull();
            ClientConfiguration configuration = CmElements.parseConfigurationIq(iq);
            assertThat(configuration).as(where).isEqualTo(CmElementsTest.STOCK_CONFIG);
            assertThat(canonicalOnLink(CmElements.configurationIq(iq.attributeValue("id"), configuration)))
                    .as(where).isEqualTo(XmlTrees.canonical(iq));
            seen("configuration iq");
            return;
        }
        Frame request = requestFor(t, f);
        assertThat(request).as("request answered by " + where).isNotNull();
        String requestedSession = CmElements.echoedSessionId(request.element());
        if ("result".equals(type)) {
            assertThat(CmElements.parseError(iq)).isNull();
            assertThat(CmElements.echoedSessionId(iq)).as(where).isEqualTo(requestedSession).isNotNull();
            seen("session iq result");
        } else {
            assertThat(type).as(where).isEqualTo("error");
            StanzaError error = CmElements.parseError(iq);
            assertThat(error).as(where).isNotNull();
            assertThat(error.condition()).as(where).isNotEqualTo(StanzaErrorCondition.UNDEFINED_CONDITION);
            assertThat(error.code()).as(where).isEqualTo(error.condition().code());
            assertThat(error.type()).as(where).isEqualTo(error.condition().type());
            seen("iq error " + error.condition().elementName()
                    + (error.cmCondition() == null ? "" : "+" + error.cmCondition().elementName()));
        }
    }

    private static void readServerRoute(Frame f, Element route, String where) throws Exception {
        StanzaFrame frame = f.frame();
        if (RouteCodec.isError(frame)) {
            StanzaError error = CmElements.parseError(route);
            assertThat(error).as(where).isNotNull();
            assertThat(canonicalOnLink(CmElements.routeError(frame.attribute("streamid"), error.condition(), error.cmCondition())))
                    .as(where).isEqualTo(XmlTrees.canonical(route));
            seen("route error " + error.condition().elementName()
                    + (error.cmCondition() == null ? "" : "+" + error.cmCondition().elementName()));
            return;
        }
        RoutedStanza routed = RouteCodec.unwrap(frame);
        assertThat(routed.streamId()).as(where).isEqualTo(frame.attribute("streamid")).isNotEmpty();
        String content = new String(frame.bytes(), frame.contentStart(), frame.contentEnd() - frame.contentStart(),
                StandardCharsets.UTF_8);
        Element stanza = XmlTrees.parse(routed.stanza(), XmlTrees.CLIENT_SCOPE);
        assertThat(routed.localName()).as(where).isEqualTo(stanza.getName());
        assertThat(routed.namespace()).as(where).isEqualTo(stanza.getNamespaceURI());
        if (content.startsWith("<")) {
            // element form: the exact bytes of the first child, which means on the client stream
            // what it meant inside the route, moved from jabber:connectionmanager to jabber:client
            assertThat(content).as(where).startsWith(routed.asString());
            Element child = route.elements().get(0);
            assertThat(XmlTrees.canonical(stanza)).as(where).isEqualTo(
                    XmlTrees.canonical(XmlDom.withNamespace(child, Namespaces.CONNECTION_MANAGER, Namespaces.CLIENT)));
            assertThat(routed.namespace()).as(where).isEqualTo(Namespaces.CLIENT);
            seen("route element " + routed.localName());
        } else {
            // text form: stock Openfire's SASL results and per-session stream errors
            assertThat(routed.asString()).as(where).isEqualTo(XmlEscaping.unescape(content));
            assertThat(routed.asString()).as(where).isEqualTo(route.getText());
            assertThat(routed.namespace()).as(where).isIn(Namespaces.SASL, Namespaces.STREAMS);
            seen("route text " + routed.localName());
        }
    }

    /** The last request the probe sent, on any link of the file, with the IQ id of {@code reply}. */
    private static Frame requestFor(Transcript t, Frame reply) {
        Frame found = null;
        for (Frame f : TranscriptFrames.cmFrames(t, Direction.CLIENT_TO_SERVER)) {
            if (f.chunk().index() > reply.chunk().index()) {
                break;
            }
            if ("iq".equals(f.localName()) && reply.attribute("id").equals(f.attribute("id"))) {
                found = f;
            }
        }
        return found;
    }

    private static Frame replyTo(Transcript t, Frame request) {
        for (Frame f : TranscriptFrames.cmFrames(t, Direction.SERVER_TO_CLIENT)) {
            if (f.chunk().index() > request.chunk().index() && "iq".equals(f.localName())
                    && request.attribute("id").equals(f.attribute("id"))) {
                return f;
            }
        }
        return null;
    }

    @Test
    void routesCarryWhatTheScenariosSay() throws Exception {
        Transcript plain = Transcript.load("04-plain-bind-message-close.txt");
        List<RoutedStanza> routed04 = unwrapAll(plain);
        assertThat(routed04.get(0).streamId()).isEqualTo("a11ce004");
        assertThat(routed04.get(0).isSaslSuccess()).isTrue();
        assertThat(routed04.get(0).asString()).isEqualTo("<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
        assertThat(routed04).anySatisfy(r -> {
            assertThat(r.streamId()).isEqualTo("b0b00004");
            assertThat(r.asString()).isEqualTo("<message to=\"bob@example.test/cm4\" type=\"chat\" id=\"m1\" from=\"alice@example.test/cm4\">"
                    + "<body>Hello Bob &amp; &lt;friends&gt; 'q' \"dq\" ü€</body></message>");
        });
        // one chunk, two routes: unavailable presence to bob and to alice
        assertThat(routed04).filteredOn(r -> r.asString().startsWith("<presence type=\"unavailable\" from=\"alice@example.test/cm4\""))
                .extracting(RoutedStanza::streamId).containsExactly("b0b00004", "a11ce004");

        List<RoutedStanza> scram = unwrapAll(Transcript.load("05-scram-sha1.txt"));
        assertThat(scram.get(0).localName()).isEqualTo("challenge");
        assertThat(scram.get(0).namespace()).isEqualTo(Namespaces.SASL);
        assertThat(XmlDom.parse(scram.get(0).stanza(), Namespaces.CLIENT).getText()).isEqualTo(
                "cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0w5Y2Q1Y2ZhNS03NTVmLTRiZTUtYTQ2Yi1jMGQ2YjZjNjc3OWMscz1UWStwWXdiVEM1MDZOaDhBT3FnTGFmRG5CZzBNZlMwRixpPTQwOTY=");
        assertThat(scram.get(1).isSaslSuccess()).isTrue();
        assertThat(XmlDom.parse(scram.get(1).stanza(), Namespaces.CLIENT).getText()).isEqualTo("dj1KNEJTeDY1SFpCWWNHT3cwWjNPUmRSQ01pRHM9");
        assertThat(scram).filteredOn(r -> r.localName().equals("failure")).hasSize(2)
                .allSatisfy(r -> assertThat(r.asString()).isEqualTo("<failure xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><not-authorized/></failure>"));

        List<RoutedStanza> kicked = unwrapAll(Transcript.load("08-server-initiated-close.txt"));
        RoutedStanza conflict = kicked.stream().filter(RoutedStanza::isStreamError).findFirst().orElseThrow();
        assertThat(conflict.streamId()).isEqualTo("a11ce008");
        assertThat(CmElements.parseStreamError(XmlDom.parse(conflict.stanza(), Namespaces.CLIENT)))
                .isEqualTo(new StreamError(StreamErrorCondition.CONFLICT, null));
    }

    private static List<RoutedStanza> unwrapAll(Transcript t) throws CmProtocolException {
        List<RoutedStanza> out = new ArrayList<>();
        for (Frame f : TranscriptFrames.cmFrames(t, Direction.SERVER_TO_CLIENT)) {
            if ("route".equals(f.localName()) && !RouteCodec.isError(f.frame())) {
                out.add(RouteCodec.unwrap(f.frame()));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ CM to server

    @ParameterizedTest
    @MethodSource("files")
    void linkHeaderIsWhatTheProbeSentAndTheServerHeaderMeansWhatOpenfireSent(String file) {
        Transcript t = Transcript.load(file);
        for (String link : t.cmLinks()) {
            Chunk sent = t.chunks(link, Direction.CLIENT_TO_SERVER).get(0);
            Replay probe = TranscriptFrames.replay(t, link, Direction.CLIENT_TO_SERVER);
            assertThat(CmElements.linkStreamOpen(probe.header().attribute("to"))).as(file + " " + sent).isEqualTo(sent.asString());
            seen("link header");

            Replay server = TranscriptFrames.replay(t, link, Direction.SERVER_TO_CLIENT);
            StreamOpen reply = server.header();
            if (reply == null || reply.attribute("id") == null) {
                continue; // 06d (a): header without to gets a bare header and a close
            }
            StanzaFrame features = server.frames().get(0).frame();
            assertThat(features.localName()).isEqualTo("features");
            String featuresXml = new String(features.bytes(), features.contentStart(), features.contentEnd() - features.contentStart(),
                    StandardCharsets.UTF_8);
            String ours = CmElements.linkStreamOpenReply(reply.attribute("from"), reply.attribute("id"), featuresXml);
            String theirs = t.chunks(link, Direction.SERVER_TO_CLIENT).get(0).asString();
            assertThat(XmlTrees.canonical(XmlTrees.parseDocument(ours + CmElements.STREAM_CLOSE))).as(file + " " + link)
                    .isEqualTo(XmlTrees.canonical(XmlTrees.parseDocument(theirs + CmElements.STREAM_CLOSE)));
            seen("server header");
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void handshakeAndConfigurationAckAreWhatTheProbeSent(String file) throws Exception {
        Transcript t = Transcript.load(file);
        for (String link : t.cmLinks()) {
            Replay server = TranscriptFrames.replay(t, link, Direction.SERVER_TO_CLIENT);
            String streamId = server.header() == null ? null : server.header().attribute("id");
            for (Frame f : TranscriptFrames.replay(t, link, Direction.CLIENT_TO_SERVER).frames()) {
                String where = file + " " + f;
                if ("handshake".equals(f.localName())) {
                    String digest = CmElements.parseHandshake(f.element());
                    assertThat(CmElements.handshake(digest)).as(where).isEqualTo(f.frame().asString());
                    if (Handshake.verify(digest, streamId, SECRET) && digest.equals(digest.toLowerCase())) {
                        assertThat(CmElements.handshake(Handshake.digest(streamId, SECRET))).as(where).isEqualTo(f.frame().asString());
                        seen("handshake");
                    }
                } else if ("iq".equals(f.localName()) && "result".equals(f.attribute("type"))) {
                    Frame config = server.frames().stream()
                            .filter(s -> "iq".equals(s.localName()) && f.attribute("id").equals(s.attribute("id")))
                            .findFirst().orElseThrow();
                    assertThat(CmElements.iqResult(config.element())).as(where).isEqualTo(f.frame().asString());
                    seen("configuration ack");
                }
            }
        }
    }

    /**
     * Every session IQ the probe sent either parses and is written back equal in meaning, or is
     * refused with the condition Openfire answered; and every error Openfire answered is what
     * {@link CmElements#iqError} writes for that request.
     */
    @ParameterizedTest
    @MethodSource("files")
    void everySessionIqTheProbeSentParsesOrIsRefusedAsOpenfireRefusedIt(String file) throws Exception {
        Transcript t = Transcript.load(file);
        for (Frame f : TranscriptFrames.cmFrames(t, Direction.CLIENT_TO_SERVER)) {
            if (!"iq".equals(f.localName()) || "result".equals(f.attribute("type")) || "error".equals(f.attribute("type"))) {
                continue;
            }
            String where = file + " " + f;
            Element request = f.element();
            Frame replyFrame = replyTo(t, f);
            StanzaError answered = replyFrame == null ? null : CmElements.parseError(replyFrame.element());
            try {
                SessionIq parsed = CmElements.parseSessionIq(request);
                // SessionIq carries no iq from/to (03, create-3 has them): compare without addressing
                Element unaddressed = request.createCopy();
                for (String attribute : List.of("from", "to")) {
                    if (unaddressed.attribute(attribute) != null) {
                        unaddressed.remove(unaddressed.attribute(attribute));
                    }
                }
                assertThat(canonicalOnLink(CmElements.sessionIq(parsed))).as(where).isEqualTo(XmlTrees.canonical(unaddressed));
                if (answered != null) {
                    // refused for the server's state, not for the form: unknown session, link not authenticated
                    assertThat(answered.condition()).as(where)
                            .isIn(StanzaErrorCondition.ITEM_NOT_FOUND, StanzaErrorCondition.NOT_AUTHORIZED);
                }
                seen("session iq " + parsed.getClass().getSimpleName().toLowerCase());
            } catch (CmProtocolException refused) {
                assertThat(answered).as("Openfire refused " + where).isNotNull();
                if (answered.condition() == StanzaErrorCondition.ITEM_NOT_FOUND) {
                    // Openfire looks the session up before it looks at the body (06a case 17, the probe)
                    assertThat(refused.cmCondition()).as(where).isNotEqualTo(CmErrorCondition.ID_REQUIRED);
                } else {
                    assertThat(refused.condition()).as(where).isEqualTo(answered.condition());
                    assertThat(refused.cmCondition()).as(where).isEqualTo(answered.cmCondition());
                }
                seen("session iq refused");
            }
            if (answered != null) {
                String ours = CmElements.iqError(request, answered.condition(), answered.cmCondition());
                assertThat(canonicalOnLink(ours)).as(where).isEqualTo(XmlTrees.canonical(replyFrame.element()));
                seen("iq error written");
            }
        }
    }

    /**
     * Every route the probe sent (with a stream id and one stanza) is what {@link RouteCodec#wrap}
     * makes of that stanza read from a client stream: byte for byte when the stanza declares its
     * namespace, equal in meaning (in jabber:client) when it inherited it.
     */
    @ParameterizedTest
    @MethodSource("files")
    void everyRouteTheProbeSentIsWhatWrapMakesOfTheClientStanza(String file) throws Exception {
        Transcript t = Transcript.load(file);
        for (Frame f : TranscriptFrames.cmFrames(t, Direction.CLIENT_TO_SERVER)) {
            String streamId = f.attribute("streamid");
            if (!"route".equals(f.localName()) || streamId == null || streamId.isEmpty()) {
                continue;
            }
            Element route = f.element();
            if (route.elements().size() != 1) {
                continue; // 06a (16) two stanzas, (18) none
            }
            String where = file + " " + f;
            byte[] b = f.frame().bytes();
            int start = TagScanner.skipWhitespace(b, f.frame().contentStart(), f.frame().contentEnd());
            int end = TagScanner.elementEnd(b, start, f.frame().contentEnd());
            String stanza = new String(b, start, end - start, StandardCharsets.UTF_8);
            String name = stanza.substring(1, TagScanner.nameEnd(b, start, end) - start);
            String declared = "<" + name + " xmlns='jabber:client'";
            boolean explicitClient = stanza.startsWith(declared);
            String onClientStream = explicitClient ? "<" + name + stanza.substring(declared.length()) : stanza;

            ClientStanza client = readFromClientStream(onClientStream);
            byte[] wrapped = RouteCodec.wrap(streamId, client.frame(), client.namespaces());
            String wrappedText = new String(wrapped, StandardCharsets.UTF_8);
            if (explicitClient || client.frame().declaresDefaultNamespace()) {
                assertThat(wrappedText).as(where).isEqualTo(f.frame().asString());
                seen("route wrapped byte-exact");
            } else {
                Element theirs = XmlDom.withNamespace(route, Namespaces.CONNECTION_MANAGER, Namespaces.CLIENT);
                Element ours = XmlDom.withNamespace(XmlTrees.parse(wrapped, XmlTrees.LINK_SCOPE), Namespaces.CONNECTION_MANAGER, Namespaces.CLIENT);
                assertThat(XmlTrees.canonical(ours)).as(where).isEqualTo(XmlTrees.canonical(theirs));
                assertThat(wrappedText).as(where).contains("<" + name + " xmlns='jabber:client'");
                seen("route wrapped with xmlns added");
            }
            // and back: unwrap gives the stanza with its jabber:client declaration
            RoutedStanza back = RouteCodec.unwrap(TestFrames.of(wrapped, XmlTrees.LINK_SCOPE));
            assertThat(back.streamId()).isEqualTo(streamId);
            assertThat(back.localName()).isEqualTo(name);
        }
    }

    private record ClientStanza(StanzaFrame frame, Map<String, String> namespaces) {
    }

    /** The stanza as the framer reports it on a client stream ({@code xmlns='jabber:client'} on the header). */
    private static ClientStanza readFromClientStream(String stanza) throws XmlStreamException {
        String header = "<?xml version='1.0'?><stream:stream to='example.test' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
        byte[] bytes = (header + stanza).getBytes(StandardCharsets.UTF_8);
        List<StanzaFrame> frames = new ArrayList<>();
        AtomicReference<Map<String, String>> namespaces = new AtomicReference<>();
        new XmlStreamFramer(TranscriptFrames.MAX_ELEMENT_BYTES).feed(bytes, 0, bytes.length, new FramerListener() {
            @Override
            public void streamOpened(StreamOpen open) {
                namespaces.set(open.namespaces());
            }

            @Override
            public void frame(StanzaFrame frame) {
                frames.add(frame);
            }

            @Override
            public void streamClosed() {
            }
        });
        assertThat(frames).hasSize(1);
        return new ClientStanza(frames.get(0), namespaces.get());
    }

    /** The transcripts exercise every reader and writer checked above, each in every form we expect. */
    @Test
    void everyKindOfElementIsCoveredByTheTranscripts() throws Exception {
        synchronized (SEEN) {
            SEEN.clear();
        }
        for (String file : files()) {
            everyElementOpenfireSentReadsWithOurReaders(file);
            linkHeaderIsWhatTheProbeSentAndTheServerHeaderMeansWhatOpenfireSent(file);
            handshakeAndConfigurationAckAreWhatTheProbeSent(file);
            everySessionIqTheProbeSentParsesOrIsRefusedAsOpenfireRefusedIt(file);
            everyRouteTheProbeSentIsWhatWrapMakesOfTheClientStanza(file);
        }
        assertThat(SEEN.keySet()).contains("features", "handshake ack", "configuration iq", "session iq result",
                "iq error bad-request+id-required", "iq error bad-request+invalid-payload", "iq error bad-request+unknown-stanza",
                "iq error bad-request", "iq error item-not-found", "iq error not-authorized",
                "route error item-not-found", "route error bad-request+unknown-stanza", "route error not-authorized",
                "route element message", "route element presence", "route element iq",
                "route text success", "route text challenge", "route text failure", "route text error",
                "stream error", "link header", "server header", "handshake", "configuration ack",
                "session iq create", "session iq close", "session iq failed", "session iq refused", "iq error written",
                "route wrapped byte-exact", "route wrapped with xmlns added");
        assertThat(SEEN.get("route text success")).isGreaterThanOrEqualTo(15);
        assertThat(SEEN.get("route element presence")).isGreaterThanOrEqualTo(20);
    }
}
