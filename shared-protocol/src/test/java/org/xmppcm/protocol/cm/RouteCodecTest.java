package org.xmppcm.protocol.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.testing.TestFrames;
import org.xmppcm.protocol.testing.XmlTrees;
import org.xmppcm.protocol.xml.StanzaFrame;

class RouteCodecTest {
    private static final Map<String, String> CLIENT = XmlTrees.CLIENT_SCOPE;
    private static final Map<String, String> LINK = XmlTrees.LINK_SCOPE;

    private static String wrap(String sid, String stanza, Map<String, String> ns) {
        return new String(RouteCodec.wrap(sid, TestFrames.of(stanza, ns), ns), StandardCharsets.UTF_8);
    }

    private static RoutedStanza unwrap(String route) throws CmProtocolException {
        return RouteCodec.unwrap(TestFrames.of(route, LINK));
    }

    // ---- wrap

    @Test
    void wrapAddsJabberClientRightAfterTheNameWhenTheStanzaInheritsIt() {
        assertThat(wrap("a11ce004", "<message to='bob@example.test/cm4' type='chat' id='m2'><body>no xmlns</body></message>", CLIENT))
                .isEqualTo("<route streamid='a11ce004'><message xmlns='jabber:client' to='bob@example.test/cm4' type='chat' id='m2'>"
                        + "<body>no xmlns</body></message></route>");
    }

    @Test
    void wrapLeavesAStanzaThatDeclaresItsNamespaceByteForByte() {
        String auth = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>";
        assertThat(wrap("a11ce004", auth, CLIENT)).isEqualTo("<route streamid='a11ce004'>" + auth + "</route>");
        String message = "<message xmlns=\"jabber:client\" to=\"b\"/>";
        assertThat(wrap("s", message, CLIENT)).isEqualTo("<route streamid='s'>" + message + "</route>");
    }

    @Test
    void wrapHandlesAnEmptyElementTagWithoutAttributes() {
        assertThat(wrap("s", "<presence/>", CLIENT)).isEqualTo("<route streamid='s'><presence xmlns='jabber:client'/></route>");
    }

    @Test
    void wrapDeclaresEveryInheritedPrefixFromTheClientStream() {
        Map<String, String> ns = Map.of("", Namespaces.CLIENT, "stream", Namespaces.STREAMS, "db", "jabber:server:dialback");
        String routed = wrap("s", "<message db:x='1'><stream:error/></message>", ns);
        assertThat(routed).isEqualTo("<route streamid='s'><message xmlns='jabber:client' xmlns:db='jabber:server:dialback'"
                + " xmlns:stream='http://etherx.jabber.org/streams' db:x='1'><stream:error/></message></route>");
        // and it means the same as on the client stream
        assertThat(XmlTrees.canonical(XmlTrees.parse(routed, LINK).elements().get(0)))
                .isEqualTo(XmlTrees.canonical("<message db:x='1'><stream:error/></message>", ns));
    }

    @Test
    void wrapUsesTheClientStreamsDefaultNamespace() {
        Map<String, String> ns = Map.of("", "jabber:server");
        assertThat(wrap("s", "<iq/>", ns)).isEqualTo("<route streamid='s'><iq xmlns='jabber:server'/></route>");
    }

    @Test
    void wrapEscapesTheStreamId() {
        assertThat(wrap("a'<&", "<presence/>", CLIENT)).startsWith("<route streamid='a&apos;&lt;&amp;'>");
    }

    @Test
    void wrapRefusesAnInheritedPrefixTheStreamDoesNotDeclare() {
        StanzaFrame frame = TestFrames.of("<message p:x='1'/>", Map.of("p", "urn:p"));
        assertThatThrownBy(() -> RouteCodec.wrap("s", frame, CLIENT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrapNeitherModifiesNorSharesTheFramesBytes() {
        StanzaFrame frame = TestFrames.of("<presence/>", CLIENT);
        byte[] before = frame.bytes().clone();
        byte[] routed = RouteCodec.wrap("s", frame, CLIENT);
        assertThat(frame.bytes()).isEqualTo(before);
        routed[20] = 'X';
        assertThat(frame.bytes()).isEqualTo(before);
    }

    @Test
    void wrapCopiesMultibyteContentUnchanged() {
        String message = "<message to='b'><body>ü€😀 &amp; &lt;</body></message>";
        byte[] routed = RouteCodec.wrap("s", TestFrames.of(message, CLIENT), CLIENT);
        assertThat(new String(routed, StandardCharsets.UTF_8)).contains("<body>ü€😀 &amp; &lt;</body>");
    }

    @Test
    void wrapThenUnwrapGivesTheStanzaBackInJabberClient() throws Exception {
        String message = "<message to='b' id='x>y'><body>ü€</body><message/></message>";
        byte[] routed = RouteCodec.wrap("sid1", TestFrames.of(message, CLIENT), CLIENT);
        RoutedStanza back = RouteCodec.unwrap(TestFrames.of(routed, LINK));
        assertThat(back.streamId()).isEqualTo("sid1");
        assertThat(back.localName()).isEqualTo("message");
        assertThat(back.namespace()).isEqualTo(Namespaces.CLIENT);
        assertThat(back.asString()).isEqualTo("<message xmlns='jabber:client' to='b' id='x>y'><body>ü€</body><message/></message>");
    }

    // ---- unwrap, element form

    @Test
    void unwrapSlicesTheChildExactly() throws Exception {
        String child = "<message to=\"bob@example.test/cm4\" type=\"chat\" id=\"m1\" from=\"alice@example.test/cm4\">"
                + "<body>Hello Bob &amp; &lt;friends&gt; 'q' \"dq\" ü€</body></message>";
        RoutedStanza r = unwrap("<route streamid=\"b0b00004\" from=\"example.test\" to=\"cmtest\">" + child + "</route>");
        assertThat(r.streamId()).isEqualTo("b0b00004");
        assertThat(r.stanza()).isEqualTo(child.getBytes(StandardCharsets.UTF_8));
        assertThat(r.localName()).isEqualTo("message");
        assertThat(r.namespace()).isEqualTo(Namespaces.CLIENT);
        assertThat(r.isStreamError()).isFalse();
    }

    @Test
    void unwrapFindsTheEndOfNestedChildrenWithTheSameName() throws Exception {
        String child = "<message><message><message/></message><message>x</message></message>";
        RoutedStanza r = unwrap("<route streamid='s'>" + child + "</route>");
        assertThat(r.asString()).isEqualTo(child);
    }

    @Test
    void unwrapIsNotFooledByAngleBracketsAndSlashesInAttributeValues() throws Exception {
        String child = "<iq id='a>b' to=\"c/d\" x='/iq>' y=\"/>\"><query xmlns='q' v='>'/></iq>";
        RoutedStanza r = unwrap("<route streamid='s'>" + child + "</route>");
        assertThat(r.asString()).isEqualTo(child);
        assertThat(r.localName()).isEqualTo("iq");
    }

    @Test
    void unwrapKeepsMultibyteUtf8Intact() throws Exception {
        String child = "<message to='ü€'><body>😀 日本語</body></message>";
        RoutedStanza r = unwrap("<route streamid='s'>" + child + "</route>");
        assertThat(r.stanza()).isEqualTo(child.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unwrapRefusesARouteWithMoreThanOneChildAsInvalidPayload() {
        // 06a (16): stock Openfire processes two-1 and silently drops two-2; we refuse the route whole.
        for (String route : new String[] {
                "<route streamid='e0000006x'><iq xmlns='jabber:client' type='get' id='two-1' to='example.test'>"
                        + "<ping xmlns='urn:xmpp:ping'/></iq><iq xmlns='jabber:client' type='get' id='two-2'"
                        + " to='example.test'><ping xmlns='urn:xmpp:ping'/></iq></route>",
                "<route streamid='s'><message><message/></message>\n <presence/><presence/></route>",
                "<route streamid='s'><presence/>trailing text</route>"}) {
            assertThatThrownBy(() -> unwrap(route)).as(route).isInstanceOfSatisfying(CmProtocolException.class, e -> {
                assertThat(e.condition()).isEqualTo(StanzaErrorCondition.BAD_REQUEST);
                assertThat(e.cmCondition()).isEqualTo(CmErrorCondition.INVALID_PAYLOAD);
            });
        }
        assertThatThrownBy(() -> unwrap("<route streamid='s'><presence/> <presence/><presence/></route>"))
                .hasMessageContaining("3 stanzas");
    }

    @Test
    void unwrapSkipsLeadingWhitespace() throws Exception {
        RoutedStanza r = unwrap("<route streamid='s'>\n  <presence/>\n</route>");
        assertThat(r.asString()).isEqualTo("<presence/>");
    }

    @Test
    void unwrapReportsTheDeclaredNamespaceOfAChild() throws Exception {
        RoutedStanza r = unwrap("<route streamid='s'><foo xmlns=\"urn:example\"/></route>");
        assertThat(r.namespace()).isEqualTo("urn:example");
        assertThat(r.localName()).isEqualTo("foo");
    }

    @Test
    void unwrapResolvesTheStreamPrefix() throws Exception {
        RoutedStanza inherited = unwrap("<route streamid='s'><stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></route>");
        assertThat(inherited.namespace()).isEqualTo(Namespaces.STREAMS);
        assertThat(inherited.isStreamError()).isTrue();
        RoutedStanza other = unwrap("<route streamid='s' xmlns:x='urn:x'><x:y/></route>");
        assertThat(other.namespace()).isEqualTo("urn:x");
    }

    // ---- unwrap, text form

    @Test
    void unwrapUnescapesSaslSuccessSentAsText() throws Exception {
        RoutedStanza r = unwrap("<route from=\"example.test\" to=\"cmtest\" streamid=\"a11ce004\">"
                + "&lt;success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/&gt;</route>");
        assertThat(r.asString()).isEqualTo("<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
        assertThat(r.isSaslSuccess()).isTrue();
        assertThat(r.namespace()).isEqualTo(Namespaces.SASL);
    }

    @Test
    void unwrapUnescapesAPerSessionStreamErrorSentAsText() throws Exception {
        RoutedStanza r = unwrap("<route from=\"example.test\" to=\"cmtest\" streamid=\"a11ce008\">&lt;stream:error "
                + "xmlns:stream=\"http://etherx.jabber.org/streams\"&gt;&lt;conflict xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/&gt;"
                + "&lt;/stream:error&gt;</route>");
        assertThat(r.isStreamError()).isTrue();
        assertThat(r.asString()).isEqualTo("<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\">"
                + "<conflict xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>");
    }

    @Test
    void unwrapResolvesOneLevelOfEscapingOnly() throws Exception {
        RoutedStanza r = unwrap("<route streamid='s'>&lt;message&gt;&lt;body&gt;a &amp;lt;b&amp;gt; &amp;amp; c&lt;/body&gt;&lt;/message&gt;</route>");
        assertThat(r.asString()).isEqualTo("<message><body>a &lt;b&gt; &amp; c</body></message>");
        assertThat(r.namespace()).isEqualTo(Namespaces.CLIENT);
    }

    @Test
    void unwrapAcceptsTextInCdataAndCharacterReferences() throws Exception {
        assertThat(unwrap("<route streamid='s'><![CDATA[<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>]]></route>").isSaslSuccess()).isTrue();
        assertThat(unwrap("<route streamid='s'>&#60;presence/&#x3E;</route>").asString()).isEqualTo("<presence/>");
    }

    @Test
    void unwrapTrimsWhitespaceAroundEscapedText() throws Exception {
        assertThat(unwrap("<route streamid='s'>\n &lt;presence/&gt; \n</route>").asString()).isEqualTo("<presence/>");
    }

    @Test
    void unwrapKeepsMultibyteUtf8InEscapedText() throws Exception {
        assertThat(unwrap("<route streamid='s'>&lt;failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'&gt;&lt;text&gt;ü€&lt;/text&gt;&lt;/failure&gt;</route>")
                .asString()).isEqualTo("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><text>ü€</text></failure>");
    }

    // ---- unwrap, errors

    @Test
    void unwrapRefusesAMissingOrEmptyStreamId() {
        assertThatThrownBy(() -> unwrap("<route><presence/></route>")).isInstanceOfSatisfying(CmProtocolException.class, e -> {
            assertThat(e.condition()).isEqualTo(StanzaErrorCondition.BAD_REQUEST);
            assertThat(e.cmCondition()).isNull();
        });
        assertThatThrownBy(() -> unwrap("<route streamid=''><presence/></route>")).isInstanceOf(CmProtocolException.class);
    }

    @Test
    void unwrapRefusesAnEmptyRouteAsInvalidPayload() {
        for (String route : new String[] {"<route streamid='e0000006y'></route>", "<route streamid='s'/>", "<route streamid='s'> \n</route>"}) {
            assertThatThrownBy(() -> unwrap(route)).as(route).isInstanceOfSatisfying(CmProtocolException.class, e -> {
                assertThat(e.condition()).isEqualTo(StanzaErrorCondition.BAD_REQUEST);
                assertThat(e.cmCondition()).isEqualTo(CmErrorCondition.INVALID_PAYLOAD);
            });
        }
    }

    @Test
    void unwrapRefusesTextThatIsNotExactlyOneElement() {
        for (String route : new String[] {
                "<route streamid='s'>hello</route>",
                "<route streamid='s'>&lt;a/&gt;&lt;b/&gt;</route>",
                "<route streamid='s'>&lt;a&gt;</route>",
                "<route streamid='s'>&lt;a&gt;&lt;/b&gt;</route>",
                "<route streamid='s'>&lt;a/&gt; trailing</route>",
                "<route streamid='s'>text<presence/></route>",
                "<route streamid='s'>&amp;bogus;</route>",
                "<route streamid='s'>&lt;p:a/&gt;</route>"}) {
            assertThatThrownBy(() -> unwrap(route)).as(route).isInstanceOfSatisfying(CmProtocolException.class,
                    e -> assertThat(e.cmCondition()).isEqualTo(CmErrorCondition.INVALID_PAYLOAD));
        }
    }

    @Test
    void unwrapRefusesAFrameThatIsNotARoute() {
        assertThatThrownBy(() -> RouteCodec.unwrap(TestFrames.of("<message/>", LINK))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isErrorTellsAnErrorRouteFromAStanzaRoute() {
        assertThat(RouteCodec.isError(TestFrames.of("<route streamid=\"nosuchsid\" type=\"error\"><error code=\"404\" type=\"cancel\">"
                + "<item-not-found xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/></error></route>", LINK))).isTrue();
        assertThat(RouteCodec.isError(TestFrames.of("<route streamid='s'><message type='error'/></route>", LINK))).isFalse();
    }

    // ---- route()

    @Test
    void routeWritesStreamIdFromAndToInOpenfiresOrder() {
        assertThat(RouteCodec.route("b0b00004", "example.test", "cmtest", "<presence type=\"unavailable\"/>"))
                .isEqualTo("<route streamid='b0b00004' from='example.test' to='cmtest'><presence type=\"unavailable\"/></route>");
        assertThat(RouteCodec.route("s", null, null, "<presence/>")).isEqualTo("<route streamid='s'><presence/></route>");
    }

    @Test
    void routeThenUnwrapGivesTheStanzaBack() throws Exception {
        String stanza = "<message xmlns=\"jabber:client\" to=\"a\"><body>ü</body></message>";
        RoutedStanza r = unwrap(RouteCodec.route("s'1", "example.test", "cmtest", stanza));
        assertThat(r.streamId()).isEqualTo("s'1");
        assertThat(r.asString()).isEqualTo(stanza);
    }
}
