package org.xmppcm.protocol.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XmlStreamFramerTest {
    static final int LIMIT = 4096;
    static final String STREAMS = "http://etherx.jabber.org/streams";

    static final String CLIENT_HEADER = "<?xml version='1.0' encoding='UTF-8'?>"
            + "<stream:stream xmlns='jabber:client' xmlns:stream='" + STREAMS + "'"
            + " to='localhost' version='1.0' xml:lang='en'>";
    static final String AUTH = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
            + "AGFsaWNlAHNlY3JldA==</auth>";
    static final String MESSAGE = "<message to='bob@localhost' type='chat' id='m1' xml:lang='de'>"
            + "<body>Grüße ü€😀 &amp; bye</body>"
            + "<note xmlns='urn:x' text='ü€😀 &apos;q&apos; &lt;&gt;'/>"
            + "<active xmlns='http://jabber.org/protocol/chatstates'></active></message>";
    static final String PRESENCE = "<presence/>";
    static final String CLIENT_STREAM = CLIENT_HEADER + "\n" + AUTH + MESSAGE + "\n  " + PRESENCE + " "
            + "</stream:stream>";

    static final String LINK_HEADER = "<stream:stream xmlns='jabber:connectionmanager'"
            + " xmlns:stream='" + STREAMS + "' to='cm.localhost' version='1.0'>";

    // ---- delivery ----

    @Test
    void deliversEachTopLevelElementWithItsExactBytes() throws Exception {
        RecordingListener l = feedWhole(CLIENT_STREAM);

        assertThat(l.events).hasSize(8);
        assertThat(l.events.get(0)).startsWith("open stream:stream");
        assertThat(l.frames).extracting(StanzaFrame::asString).containsExactly(AUTH, MESSAGE, PRESENCE);
        assertThat(l.events.subList(1, 8)).map(e -> e.split(" ")[0])
                .containsExactly("ws", "frame", "frame", "ws", "frame", "ws", "close");
        assertThat(l.frames.get(1).bytes()).isEqualTo(MESSAGE.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void reportsElementNameNamespaceAndUnescapedAttributes() throws Exception {
        RecordingListener l = feedWhole(CLIENT_STREAM);

        StanzaFrame auth = l.frame("auth");
        assertThat(auth.prefix()).isEmpty();
        assertThat(auth.namespace()).isEqualTo("urn:ietf:params:xml:ns:xmpp-sasl");
        assertThat(auth.attributes()).isEqualTo(Map.of("mechanism", "PLAIN"));
        assertThat(auth.is("auth", "urn:ietf:params:xml:ns:xmpp-sasl")).isTrue();

        StanzaFrame message = l.frame("message");
        assertThat(message.namespace()).isEqualTo("jabber:client");
        assertThat(message.attributes()).isEqualTo(
                Map.of("to", "bob@localhost", "type", "chat", "id", "m1", "xml:lang", "de"));

        StanzaFrame presence = l.frame("presence");
        assertThat(presence.attributes()).isEmpty();
        assertThat(presence.namespace()).isEqualTo("jabber:client");
    }

    @Test
    void reportsTheStreamHeader() throws Exception {
        RecordingListener l = feedWhole(CLIENT_HEADER);

        StreamOpen open = l.opens.get(0);
        assertThat(open.prefix()).isEqualTo("stream");
        assertThat(open.localName()).isEqualTo("stream");
        assertThat(open.namespace()).isEqualTo(STREAMS);
        assertThat(open.attributes()).isEqualTo(Map.of("to", "localhost", "version", "1.0", "xml:lang", "en"));
        assertThat(open.namespaces()).isEqualTo(Map.of("", "jabber:client", "stream", STREAMS));
        assertThat(open.defaultNamespace()).isEqualTo("jabber:client");
    }

    @Test
    void producesIdenticalEventsForEverySplitIntoTwoChunks() throws Exception {
        byte[] bytes = utf8(CLIENT_STREAM);
        List<String> expected = feedWhole(CLIENT_STREAM).events;
        for (int cut = 1; cut < bytes.length; cut++) {
            assertThat(feedChunks(bytes, cut).events).as("split at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void producesIdenticalEventsWhenFedOneByteAtATime() throws Exception {
        byte[] bytes = utf8(CLIENT_STREAM);
        int[] cuts = new int[bytes.length - 1];
        Arrays.setAll(cuts, i -> i + 1);
        assertThat(feedChunks(bytes, cuts).events).isEqualTo(feedWhole(CLIENT_STREAM).events);
    }

    /**
     * Aalto's byte offsets include the offset argument of feedInput; random chunks at random
     * offsets of a reused, scribbled-over array check that positions are computed right and that
     * the framer keeps no reference to the caller's array.
     */
    @Test
    void producesIdenticalEventsForRandomChunksAtArrayOffsetsOfAReusedArray() throws Exception {
        byte[] bytes = utf8(CLIENT_STREAM + "");
        List<String> expected = feedWhole(CLIENT_STREAM).events;
        Random random = new Random(42);
        byte[] scratch = new byte[bytes.length + 64];
        for (int round = 0; round < 300; round++) {
            XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
            RecordingListener l = new RecordingListener();
            int pos = 0;
            while (pos < bytes.length) {
                int len = Math.min(bytes.length - pos, 1 + random.nextInt(40));
                int at = random.nextInt(64);
                Arrays.fill(scratch, (byte) '<');
                System.arraycopy(bytes, pos, scratch, at, len);
                framer.feed(scratch, at, len, l);
                pos += len;
            }
            assertThat(l.events).as("round %d", round).isEqualTo(expected);
        }
    }

    /** Random chunkings of varied streams, with a restart requested from inside a callback. */
    @Test
    void producesIdenticalEventsForRandomChunkingOfVariedStreams() throws Exception {
        String restarted = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='" + STREAMS
                + "' from='😀@localhost' xml:lang='ü'>";
        List<String> streams = List.of(
                CLIENT_STREAM,
                LINK_HEADER + "<route streamid='x'><message><body>hi</body></message></route>\n"
                        + "<route streamid='y' from='😀@x/€'>&lt;success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/&gt;</route>"
                        + "<handshake>abc</handshake> </stream:stream>",
                CLIENT_HEADER + AUTH + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" + restarted
                        + "<iq id='😀' type='set'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>\r\n" + MESSAGE
                        + "</stream:stream><ignored/>");
        Random random = new Random(7);
        for (String stream : streams) {
            byte[] bytes = utf8(stream);
            List<String> expected = eventsRestartingOnSuccess(bytes, new int[0]);
            assertThat(expected).last().isEqualTo("close");
            for (int round = 0; round < 400; round++) {
                int[] cuts = random.ints(1 + random.nextInt(12), 1, bytes.length).sorted().distinct().toArray();
                assertThat(eventsRestartingOnSuccess(bytes, cuts)).as("cuts %s", Arrays.toString(cuts))
                        .isEqualTo(expected);
            }
        }
    }

    private static List<String> eventsRestartingOnSuccess(byte[] bytes, int[] cuts) throws XmlStreamException {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        l.onFrame = f -> {
            if (f.localName().equals("success")) {
                framer.restart();
            }
        };
        int prev = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int next = i < cuts.length ? cuts[i] : bytes.length;
            byte[] chunk = Arrays.copyOfRange(bytes, prev, next);
            framer.feed(chunk, 0, chunk.length, l);
            prev = next;
        }
        return l.events;
    }

    @Test
    void locatesContentOfEmptyNestedAndMultibyteElements() throws Exception {
        String a1 = "<a/>";
        String a2 = "<a></a>";
        String nested = "<b x='ü'><c><d/></c>€</b >";
        String multi = "<e title='😀€ü'>ü€😀<f/>&amp;</e>";
        String xml = LINK_HEADER + a1 + a2 + nested + multi;
        for (RecordingListener l : List.of(feedWhole(xml), feedOneByteAtATime(utf8(xml)))) {
            assertThat(l.frames).extracting(StanzaFrame::asString).containsExactly(a1, a2, nested, multi);
            assertContent(l.frames.get(0), 4, 4, "");
            assertContent(l.frames.get(1), 3, 3, "");
            assertContent(l.frames.get(2), utf8("<b x='ü'>").length, utf8(nested).length - 5, "<c><d/></c>€");
            assertContent(l.frames.get(3), utf8("<e title='😀€ü'>").length, utf8(multi).length - 4,
                    "ü€😀<f/>&amp;");
            assertThat(l.frames.get(3).attribute("title")).isEqualTo("😀€ü");
        }
    }

    @Test
    void framesRoutesOfALinkStream() throws Exception {
        String route = "<route streamid='x'><message><body>hi</body></message></route>";
        String escaped = "<route from='a@b/c' to='b' streamid='y'>"
                + "&lt;success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/&gt;</route>";
        RecordingListener l = feedWhole(LINK_HEADER + route + "\n" + escaped);

        assertThat(l.opens.get(0).defaultNamespace()).isEqualTo("jabber:connectionmanager");
        StanzaFrame first = l.frames.get(0);
        assertThat(first.asString()).isEqualTo(route);
        assertThat(first.namespace()).isEqualTo("jabber:connectionmanager");
        assertThat(first.attribute("streamid")).isEqualTo("x");
        assertContent(first, 20, route.length() - 8, "<message><body>hi</body></message>");

        StanzaFrame second = l.frames.get(1);
        assertThat(second.asString()).isEqualTo(escaped);
        assertThat(second.attributes()).isEqualTo(Map.of("from", "a@b/c", "to", "b", "streamid", "y"));
        assertContent(second, escaped.indexOf('>') + 1, escaped.length() - 8,
                "&lt;success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/&gt;");
    }

    @Test
    void allowsPredefinedEntitiesAndCharacterReferencesKeepingTheBytesAsWritten() throws Exception {
        String message = "<message a='&#65;&quot;&#x1F600;'><body>&lt;&gt;&amp;&quot;&apos;&#65;&#x1F600;</body></message>";
        RecordingListener whole = feedWhole(CLIENT_HEADER + message);
        RecordingListener bytewise = feedOneByteAtATime(utf8(CLIENT_HEADER + message));

        assertThat(whole.frames.get(0).asString()).isEqualTo(message);
        assertThat(whole.frames.get(0).attribute("a")).isEqualTo("A\"😀");
        assertThat(bytewise.events).isEqualTo(whole.events);
    }

    // ---- namespaces ----

    @Test
    void streamLevelElementInheritsTheStreamPrefix() throws Exception {
        RecordingListener l = feedWhole(CLIENT_HEADER
                + "<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");

        StanzaFrame error = l.frames.get(0);
        assertThat(error.prefix()).isEqualTo("stream");
        assertThat(error.localName()).isEqualTo("error");
        assertThat(error.namespace()).isEqualTo(STREAMS);
        assertThat(error.inheritedPrefixes()).containsExactly("stream");
    }

    @Test
    void prefixDeclaredInsideTheElementIsNotInherited() throws Exception {
        RecordingListener l = feedWhole(CLIENT_HEADER
                + "<message><foo:bar xmlns:foo='x' foo:a='1'/><foo:baz xmlns:foo='y'/></message>");

        assertThat(l.frames.get(0).inheritedPrefixes()).isEmpty();
    }

    @Test
    void headerPrefixUsedDeepInsideIsInheritedButXmlNeverIs() throws Exception {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='" + STREAMS + "' xmlns:h='urn:h'"
                + " xmlns:g='urn:g'>";
        RecordingListener l = feedWhole(header
                + "<message xml:lang='en'><x><y><h:z/></y></x><w g:attr='1'/></message>"
                + "<iq><q xmlns:h='urn:other'><h:z/></q></iq>"
                + "<presence><q xmlns:h='urn:other'/><h:z/></presence>");

        assertThat(l.frames.get(0).inheritedPrefixes()).containsExactlyInAnyOrder("h", "g");
        assertThat(l.frames.get(1).inheritedPrefixes()).isEmpty();
        // the declaration went out of scope with <q/>: the later use is the header's
        assertThat(l.frames.get(2).inheritedPrefixes()).containsExactly("h");
    }

    @Test
    void reportsWhetherTheStartTagDeclaresADefaultNamespace() throws Exception {
        RecordingListener l = feedWhole(CLIENT_HEADER
                + "<message><body xmlns='jabber:client'>x</body></message>"
                + "<message xmlns='jabber:client'/>"
                + "<iq xmlns:foo='urn:foo'/>"
                + "<iq xmlns=''/>");

        assertThat(l.frames).extracting(StanzaFrame::declaresDefaultNamespace)
                .containsExactly(false, true, false, true);
        assertThat(l.frames.get(3).namespace()).isEmpty();
    }

    // ---- whitespace ----

    @Test
    void reportsEachWhitespaceRunOnceHoweverItIsSplit() throws Exception {
        String xml = CLIENT_HEADER + " \n\t \r\n" + PRESENCE + "   " + PRESENCE + PRESENCE + "\n";
        byte[] bytes = utf8(xml);
        List<String> expected = List.of("ws", "frame", "ws", "frame", "frame", "ws");

        assertThat(feedWhole(xml).events.subList(1, 7)).map(e -> e.split(" ")[0]).isEqualTo(expected);
        assertThat(feedOneByteAtATime(bytes).events.subList(1, 7)).map(e -> e.split(" ")[0]).isEqualTo(expected);
    }

    @Test
    void whitespaceKeepalivesAloneAreReportedPerFeed() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        feed(framer, CLIENT_HEADER + PRESENCE, l);
        feed(framer, " ", l);
        feed(framer, " ", l);
        feed(framer, PRESENCE + " ", l);

        assertThat(l.events.subList(1, l.events.size())).map(e -> e.split(" ")[0])
                .containsExactly("frame", "ws", "frame", "ws");
    }

    // ---- closing ----

    @Test
    void deliversNothingAfterTheStreamIsClosed() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        feed(framer, CLIENT_HEADER + PRESENCE + "</stream:stream>" + PRESENCE + "\u0001garbage\u00ff", l);
        feed(framer, PRESENCE, l);

        assertThat(framer.isClosed()).isTrue();
        assertThat(l.events).hasSize(3);
        assertThat(l.events.get(2)).isEqualTo("close");
    }

    @Test
    void closesRightAfterTheHeader() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        assertThat(framer.isClosed()).isFalse();
        feed(framer, CLIENT_HEADER + "</stream:stream>", l);

        assertThat(framer.isClosed()).isTrue();
        assertThat(l.events).hasSize(2).endsWith("close");
    }

    // ---- restarts ----

    @Test
    void restartsFromInsideTheFrameCallbackWithTheNewHeaderInTheSameChunk() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        l.onFrame = f -> {
            if (f.localName().equals("success")) {
                framer.restart();
            }
        };
        String second = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='" + STREAMS
                + "' to='localhost' version='1.0'>";
        feed(framer, CLIENT_HEADER + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" + second
                + "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>", l);

        assertThat(l.opens).hasSize(2);
        assertThat(l.frames).extracting(StanzaFrame::localName).containsExactly("success", "iq");
        assertThat(l.frames.get(1).asString()).startsWith("<iq type='set'");
    }

    @Test
    void restartsBetweenFeedsWithTheNewHeaderAloneInOneFeed() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        feed(framer, CLIENT_HEADER + AUTH, l);
        framer.restart();
        feed(framer, CLIENT_HEADER, l);
        feed(framer, MESSAGE + "</stream:stream>", l);

        assertThat(l.opens).hasSize(2);
        assertThat(l.frames).extracting(StanzaFrame::asString).containsExactly(AUTH, MESSAGE);
        assertThat(framer.isClosed()).isTrue();
    }

    @Test
    void restartDiscardsAPartialElement() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        feed(framer, CLIENT_HEADER + "<message><body>unfinished", l);
        framer.restart();
        feed(framer, CLIENT_HEADER + PRESENCE, l);

        assertThat(l.frames).extracting(StanzaFrame::asString).containsExactly(PRESENCE);
    }

    @Test
    void restartWorksOnAFreshFramerAndAfterClose() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        framer.restart();
        feed(framer, CLIENT_HEADER + "</stream:stream>", l);
        assertThat(framer.isClosed()).isTrue();

        framer.restart();
        assertThat(framer.isClosed()).isFalse();
        feed(framer, CLIENT_HEADER + PRESENCE, l);
        assertThat(l.events).map(e -> e.split(" ")[0]).containsExactly("open", "close", "open", "frame");
    }

    @Test
    void restartedStreamMayUseDifferentNamespaces() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        feed(framer, CLIENT_HEADER + PRESENCE, l);
        framer.restart();
        feed(framer, LINK_HEADER + PRESENCE, l);

        assertThat(l.frames).extracting(StanzaFrame::namespace)
                .containsExactly("jabber:client", "jabber:connectionmanager");
    }

    // ---- rejections ----

    @Test
    void rejectsADoctype() {
        assertRejected(StreamErrorCondition.RESTRICTED_XML, "<!DOCTYPE stream:stream>" + CLIENT_HEADER);
        assertRejected(StreamErrorCondition.RESTRICTED_XML,
                "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY foo 'bar'>]>" + CLIENT_HEADER.substring(38));
    }

    @Test
    void rejectsCommentsAnywhere() {
        assertRejected(StreamErrorCondition.RESTRICTED_XML, "<!-- hi -->" + CLIENT_HEADER.substring(38));
        assertRejected(StreamErrorCondition.RESTRICTED_XML, CLIENT_HEADER + "<!-- hi -->" + PRESENCE);
        assertRejected(StreamErrorCondition.RESTRICTED_XML, CLIENT_HEADER + "<message><!-- hi --></message>");
    }

    @Test
    void rejectsProcessingInstructions() {
        assertRejected(StreamErrorCondition.RESTRICTED_XML, "<?php x?>" + CLIENT_HEADER.substring(38));
        assertRejected(StreamErrorCondition.RESTRICTED_XML, CLIENT_HEADER + "<?php x?>");
        assertRejected(StreamErrorCondition.RESTRICTED_XML, CLIENT_HEADER + "<message><?php x?></message>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<message>&foo;</message>", "<message><body>a&foo;b</body></message>",
            "<message a='&foo;'/>", "&foo;"})
    void rejectsEntityReferencesOtherThanThePredefinedOnes(String xml) {
        assertRejected(StreamErrorCondition.RESTRICTED_XML, CLIENT_HEADER + xml);
    }

    @Test
    void rejectsAStreamRootInTheWrongNamespace() {
        assertRejected(StreamErrorCondition.INVALID_NAMESPACE,
                "<stream:stream xmlns:stream='http://wrong.example/streams' xmlns='jabber:client'>");
        assertRejected(StreamErrorCondition.INVALID_NAMESPACE, "<stream xmlns='jabber:client'>");
    }

    @Test
    void rejectsARootThatIsNotStream() {
        assertRejected(StreamErrorCondition.NOT_WELL_FORMED, "<stream:strem xmlns:stream='" + STREAMS + "'>");
    }

    @Test
    void acceptsAnUnprefixedStreamRoot() throws Exception {
        RecordingListener l = feedWhole("<stream xmlns='" + STREAMS + "'>" + "<message xmlns='jabber:client'/>");
        assertThat(l.opens.get(0).prefix()).isEmpty();
        assertThat(l.frames).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<message></msg>", "<message><body></message></body>", "<message a='1' a='2'/>",
            "<message a=1/>", "<message a='1'b='2'/>", "<message a='<'/>", "<foo:bar/>", "<message><x:y/></message>",
            "text<message/>", "<message/>text", "<message/>&#32;<message/>", "<![CDATA[ ]]>", "< message/>",
            "<message>&#0;</message>", "<message>x&#1;y</message>", "<message>&#xFFFE;</message>",
            "<message>\u0001</message>", "<message a='\u0002'/>", "<message>\uFFFE</message>",
            "<message>&amp</message>", "<message>&#;</message>"})
    void rejectsMalformedXml(String xml) {
        assertRejected(StreamErrorCondition.NOT_WELL_FORMED, CLIENT_HEADER + xml);
        assertRejectedBytewise(StreamErrorCondition.NOT_WELL_FORMED, utf8(CLIENT_HEADER + xml));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FF", "C0AF", "E080AF", "EDA080", "F4908080", "F8888080", "80", "C3", "E282"})
    void rejectsInvalidUtf8(String hex) throws Exception {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] head = utf8(CLIENT_HEADER + "<message><body>x");
        byte[] tail = utf8("</body></message>");
        byte[] all = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);

        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        XmlStreamException e = catchThrowableOfType(() -> framer.feed(all, 0, all.length, l),
                XmlStreamException.class);
        assertThat(e).isNotNull();
        assertThat(e.condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        assertThat(l.frames).isEmpty();
        assertRejectedBytewise(StreamErrorCondition.NOT_WELL_FORMED, all);
    }

    /**
     * Aalto 1.3.3 notices an end tag that differs from the open one only in its last character
     * (same length) at the next markup, not at its '>'; what matters is that nothing is delivered.
     */
    @Test
    void rejectsASameLengthMismatchedEndTagAtTheNextMarkupWithoutDeliveringIt() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        feed(framer, CLIENT_HEADER + "<abcde></abcdf>", l);
        XmlStreamException e = catchThrowableOfType(() -> feed(framer, PRESENCE, l), XmlStreamException.class);

        assertThat(e.condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        assertThat(l.frames).isEmpty();
        assertRejected(StreamErrorCondition.NOT_WELL_FORMED, CLIENT_HEADER + "<a><b></c></a>");
    }

    @Test
    void keepsSupplementaryCharactersInAttributesSplitAnywhere() throws Exception {
        String message = "<message to='😀€ü😀x' from='ü😀'><x y='😀'/></message>";
        byte[] bytes = utf8(CLIENT_HEADER + message);
        for (int cut = 1; cut < bytes.length; cut++) {
            for (int cut2 = cut + 1; cut2 < bytes.length; cut2 += 3) {
                StanzaFrame frame = feedChunks(bytes, cut, cut2).frames.get(0);
                assertThat(frame.attributes()).as("cuts %d %d", cut, cut2)
                        .isEqualTo(Map.of("to", "😀€ü😀x", "from", "ü😀"));
                assertThat(frame.asString()).isEqualTo(message);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ISO-8859-1", "US-ASCII", "UTF-16"})
    void rejectsEncodingsOtherThanUtf8(String encoding) {
        assertRejected(StreamErrorCondition.UNSUPPORTED_ENCODING,
                "<?xml version='1.0' encoding='" + encoding + "'?>" + CLIENT_HEADER.substring(38));
    }

    @Test
    void acceptsAnyCaseOfUtf8() throws Exception {
        assertThat(feedWhole("<?xml version='1.0' encoding='utf-8'?>" + CLIENT_HEADER.substring(38)).opens)
                .hasSize(1);
    }

    @Test
    void rejectsAnOversizeStanzaBeforeItCompletes() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(256);
        RecordingListener l = new RecordingListener();
        feed(framer, CLIENT_HEADER, l);
        byte[] stanza = utf8("<message><body>" + "x".repeat(1000) + "</body></message>");
        int fed = 0;
        XmlStreamException error = null;
        while (fed < stanza.length && error == null) {
            int n = Math.min(16, stanza.length - fed);
            try {
                framer.feed(stanza, fed, n, l);
            } catch (XmlStreamException e) {
                error = e;
            }
            fed += n;
        }
        assertThat(error).isNotNull();
        assertThat(error.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        assertThat(fed).isLessThanOrEqualTo(256 + 16);
        assertThat(l.frames).isEmpty();
        assertThatThrownBy(() -> feed(framer, PRESENCE, l)).isInstanceOf(XmlStreamException.class);
    }

    @Test
    void rejectsAnOversizeStanzaFedInOneChunk() {
        assertRejected(StreamErrorCondition.POLICY_VIOLATION, 256,
                CLIENT_HEADER + "<message><body>" + "x".repeat(1000) + "</body></message>");
        assertRejected(StreamErrorCondition.POLICY_VIOLATION, 256,
                CLIENT_HEADER + "<message a='" + "x".repeat(1000) + "'/>");
    }

    @Test
    void rejectsAnOversizeStartTagSpanningChunks() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(256);
        RecordingListener l = new RecordingListener();
        feed(framer, CLIENT_HEADER + "   <message a='", l);
        XmlStreamException e = catchThrowableOfType(() -> {
            for (int i = 0; i < 100; i++) {
                feed(framer, "xxxxxxxxxx", l);
            }
        }, XmlStreamException.class);
        assertThat(e.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void acceptsAStanzaOfExactlyTheLimit() throws Exception {
        String head = "<message><body>";
        String tail = "</body></message>";
        String exact = head + "x".repeat(256 - head.length() - tail.length()) + tail;
        assertThat(utf8(exact)).hasSize(256);

        XmlStreamFramer framer = new XmlStreamFramer(256);
        RecordingListener l = new RecordingListener();
        feedBytewise(framer, utf8(CLIENT_HEADER + exact), l);
        assertThat(l.frames).extracting(StanzaFrame::asString).containsExactly(exact);

        String over = head + "x" + exact.substring(head.length());
        assertRejected(StreamErrorCondition.POLICY_VIOLATION, 256, CLIENT_HEADER + over);
    }

    @Test
    void rejectsAnOversizeHeader() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(256);
        RecordingListener l = new RecordingListener();
        XmlStreamException e = catchThrowableOfType(() -> {
            feed(framer, "<stream:stream xmlns:stream='" + STREAMS + "' a='", l);
            for (int i = 0; i < 100; i++) {
                feed(framer, "xxxxxxxxxx", l);
            }
        }, XmlStreamException.class);
        assertThat(e.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        assertThat(l.opens).isEmpty();

        assertRejected(StreamErrorCondition.POLICY_VIOLATION, 256,
                "<stream:stream xmlns:stream='" + STREAMS + "' a='" + "x".repeat(300) + "'>");
        assertRejected(StreamErrorCondition.POLICY_VIOLATION, 256, " ".repeat(300) + CLIENT_HEADER.substring(38));
    }

    @Test
    void staysFailedAfterAnError() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        assertThatThrownBy(() -> feed(framer, CLIENT_HEADER + "<a></b><c/>", l))
                .isInstanceOf(XmlStreamException.class);
        framer.restart();
        XmlStreamException again = catchThrowableOfType(() -> feed(framer, CLIENT_HEADER, l),
                XmlStreamException.class);
        assertThat(again.condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        assertThat(l.opens).hasSize(1);
    }

    @Test
    void aListenerErrorFailsTheFramer() throws Exception {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        FramerListener rejecting = new RecordingListener() {
            @Override
            public void streamOpened(StreamOpen open) {
                throw new IllegalStateException("boom");
            }
        };
        assertThatThrownBy(() -> feed(framer, CLIENT_HEADER, rejecting)).hasMessage("boom");
        assertThatThrownBy(() -> feed(framer, PRESENCE, rejecting)).isInstanceOf(XmlStreamException.class);
    }

    // ---- memory ----

    @Test
    void trimmedFramerCarriesOnWithTheSameNamespaces() throws Exception {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='" + STREAMS + "' xmlns:h='a&amp;b&apos;c'>";
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        feed(framer, header + "<presence/> ", l);
        assertThat(framer.trim()).isTrue();
        feed(framer, "  <stream:features><h:x/></stream:features>", l);
        feed(framer, "<message", l);
        assertThat(framer.trim()).as("a partial element keeps the parser").isFalse();
        feed(framer, "/></stream:stream>", l);

        assertThat(l.events).map(e -> e.split(" ")[0]).containsExactly("open", "frame", "ws", "frame", "frame", "close");
        StanzaFrame features = l.frames.get(1);
        assertThat(features.namespace()).isEqualTo(STREAMS);
        assertThat(features.inheritedPrefixes()).containsExactlyInAnyOrder("stream", "h");
        assertThat(l.frames.get(2).namespace()).isEqualTo("jabber:client");
    }

    @Test
    void bigElementsDoNotChangeWhatIsDelivered() throws Exception {
        String big = "<message><body>" + "ü".repeat(3000) + "</body></message>";
        String xml = CLIENT_HEADER + big + "<stream:features/>" + big + PRESENCE;
        RecordingListener whole = feedWhole(xml, 16384);
        RecordingListener chunked = new RecordingListener();
        XmlStreamFramer framer = new XmlStreamFramer(16384);
        byte[] bytes = utf8(xml);
        for (int i = 0; i < bytes.length; i += 1000) {
            framer.feed(bytes, i, Math.min(1000, bytes.length - i), chunked);
        }
        assertThat(whole.frames).extracting(StanzaFrame::localName)
                .containsExactly("message", "features", "message", "presence");
        assertThat(chunked.events).isEqualTo(whole.events);
    }

    @Test
    void syntheticHeaderKeepsTheRootNameAndEscapesNamespaceUris() {
        byte[] header = XmlStreamFramer.syntheticHeader(
                new StreamOpen("stream", "stream", STREAMS, Map.of("to", "x"), Map.of("p", "a&b<'\t")));
        assertThat(new String(header, StandardCharsets.UTF_8))
                .isEqualTo("<stream:stream xmlns:p='a&amp;b&lt;&apos;&#9;'>");
    }

    // ---- helpers ----

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void feed(XmlStreamFramer framer, String xml, FramerListener l) throws XmlStreamException {
        byte[] bytes = utf8(xml);
        framer.feed(bytes, 0, bytes.length, l);
    }

    static void feedBytewise(XmlStreamFramer framer, byte[] bytes, FramerListener l) throws XmlStreamException {
        byte[] one = new byte[1];
        for (byte b : bytes) {
            one[0] = b;
            framer.feed(one, 0, 1, l);
        }
    }

    static RecordingListener feedWhole(String xml) throws XmlStreamException {
        return feedWhole(xml, LIMIT);
    }

    static RecordingListener feedWhole(String xml, int limit) throws XmlStreamException {
        RecordingListener l = new RecordingListener();
        feed(new XmlStreamFramer(limit), xml, l);
        return l;
    }

    static RecordingListener feedOneByteAtATime(byte[] bytes) throws XmlStreamException {
        RecordingListener l = new RecordingListener();
        feedBytewise(new XmlStreamFramer(LIMIT), bytes, l);
        return l;
    }

    /** Feeds copies of bytes cut at the given ascending positions. */
    static RecordingListener feedChunks(byte[] bytes, int... cuts) throws XmlStreamException {
        XmlStreamFramer framer = new XmlStreamFramer(LIMIT);
        RecordingListener l = new RecordingListener();
        List<Integer> bounds = new ArrayList<>();
        for (int c : cuts) {
            bounds.add(c);
        }
        bounds.add(bytes.length);
        int prev = 0;
        for (int b : bounds) {
            byte[] chunk = Arrays.copyOfRange(bytes, prev, b);
            framer.feed(chunk, 0, chunk.length, l);
            prev = b;
        }
        return l;
    }

    static void assertRejected(StreamErrorCondition condition, String xml) {
        assertRejected(condition, LIMIT, xml);
    }

    static void assertRejected(StreamErrorCondition condition, int limit, String xml) {
        XmlStreamFramer framer = new XmlStreamFramer(limit);
        XmlStreamException e = catchThrowableOfType(() -> feed(framer, xml, new RecordingListener()),
                XmlStreamException.class);
        assertThat(e).as("no error for %s", xml).isNotNull();
        assertThat(e.condition()).as("%s: %s", xml, e.getMessage()).isEqualTo(condition);
    }

    static void assertRejectedBytewise(StreamErrorCondition condition, byte[] bytes) {
        XmlStreamException e = catchThrowableOfType(() -> feedOneByteAtATime(bytes), XmlStreamException.class);
        assertThat(e).as("no error bytewise for %s", new String(bytes, StandardCharsets.UTF_8)).isNotNull();
        assertThat(e.condition()).as("%s", e.getMessage()).isEqualTo(condition);
    }

    static void assertContent(StanzaFrame frame, int start, int end, String content) {
        assertThat(frame.contentStart()).as("contentStart of %s", frame.asString()).isEqualTo(start);
        assertThat(frame.contentEnd()).as("contentEnd of %s", frame.asString()).isEqualTo(end);
        assertThat(new String(frame.bytes(), start, end - start, StandardCharsets.UTF_8)).isEqualTo(content);
    }
}
