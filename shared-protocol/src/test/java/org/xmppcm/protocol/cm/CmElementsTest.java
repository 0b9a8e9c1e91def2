package org.xmppcm.protocol.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmppcm.protocol.testing.XmlTrees;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/** Writers and readers against hand-written input and literals taken from the transcripts. */
class CmElementsTest {
    static final String CM_NS = "http://jabber.org/protocol/connectionmanager";

    /** Stock Openfire 5.1.1's configuration IQ, 01-link-setup.txt. */
    static final String STOCK_CONFIG_IQ = "<iq type=\"set\" id=\"726-2\"><configuration xmlns=\"http://jabber.org/protocol/connectionmanager\">"
            + "<starttls xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/><mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">"
            + "<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism><mechanism>EXTERNAL</mechanism>"
            + "<mechanism>SCRAM-SHA-1-PLUS</mechanism></mechanisms><compression xmlns=\"http://jabber.org/features/compress\">"
            + "<method>zlib</method></compression><register xmlns=\"http://jabber.org/features/iq-register\"/></configuration></iq>";

    static final ClientConfiguration STOCK_CONFIG = new ClientConfiguration(TlsPolicy.OPTIONAL,
            List.of("PLAIN", "SCRAM-SHA-1", "EXTERNAL", "SCRAM-SHA-1-PLUS"), List.of("zlib"), false, true, Map.of());

    static Element link(String xml) {
        return XmlTrees.parse(xml, XmlTrees.LINK_SCOPE);
    }

    static void assertSameMeaning(String actual, String expected) {
        assertThat(XmlTrees.canonical(actual, XmlTrees.LINK_SCOPE)).isEqualTo(XmlTrees.canonical(expected, XmlTrees.LINK_SCOPE));
    }

    static CmProtocolException sessionIqError(String xml) {
        try {
            CmElements.parseSessionIq(link(xml));
        } catch (CmProtocolException e) {
            return e;
        }
        throw new AssertionError("accepted: " + xml);
    }

    @Nested
    class LinkSetup {
        @Test
        void linkStreamOpenIsWhatTheProbeSent() {
            assertThat(CmElements.linkStreamOpen("cmtest/conn1")).isEqualTo("<?xml version='1.0' encoding='UTF-8'?>"
                    + "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:connectionmanager'"
                    + " to='cmtest/conn1' version='1.0'>");
        }

        @Test
        void linkStreamOpenWithoutToOmitsIt() {
            assertThat(CmElements.linkStreamOpen(null)).doesNotContain("to=");
        }

        @Test
        void linkStreamOpenReplyMeansWhatOpenfireSent() {
            String openfire = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><stream:stream xmlns:stream=\"http://etherx.jabber.org/streams\""
                    + " xmlns=\"jabber:connectionmanager\" version=\"1.0\" from=\"cmtest/conn1\" id=\"4gh424n0i7\"><stream:features>"
                    + "<starttls xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/></stream:features>";
            String ours = CmElements.linkStreamOpenReply("cmtest/conn1", "4gh424n0i7", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            assertThat(XmlTrees.canonical(XmlTrees.parseDocument(ours + CmElements.STREAM_CLOSE)))
                    .isEqualTo(XmlTrees.canonical(XmlTrees.parseDocument(openfire + "</stream:stream>")));
        }

        @Test
        void linkStreamOpenReplyWithoutFeaturesHasEmptyFeatures() {
            assertThat(CmElements.linkStreamOpenReply("cmtest/conn1", "id1", null)).endsWith("<stream:features/>");
        }

        @Test
        void handshakeIsWhatTheProbeSent() {
            assertThat(CmElements.handshake(Handshake.digest("4gh424n0i7", "s3cret")))
                    .isEqualTo("<handshake>213ab6de63f30db6484dec2f5de5746bf3184ebf</handshake>");
        }

        @Test
        void handshakeReaderGivesTheDigestOrEmptyForTheAck() throws Exception {
            assertThat(CmElements.parseHandshake(link(CmElements.handshake("abc")))).isEqualTo("abc");
            assertThat(CmElements.parseHandshake(link("<handshake></handshake>"))).isEmpty();
            assertThat(CmElements.parseHandshake(link(CmElements.handshakeAck()))).isEmpty();
            assertThat(CmElements.handshake(null)).isEqualTo("<handshake/>");
            assertThatThrownBy(() -> CmElements.parseHandshake(link("<iq/>"))).isInstanceOf(CmProtocolException.class);
        }
    }

    @Nested
    class Configuration {
        @Test
        void readsStockOpenfiresConfigurationIq() throws Exception {
            assertThat(CmElements.parseConfigurationIq(link(STOCK_CONFIG_IQ))).isEqualTo(STOCK_CONFIG);
            assertThat(CmElements.isConfigurationIq(link(STOCK_CONFIG_IQ))).isTrue();
        }

        @Test
        void writesStockOpenfiresConfigurationIqInMeaning() {
            assertSameMeaning(CmElements.configurationIq("726-2", STOCK_CONFIG), STOCK_CONFIG_IQ);
        }

        @Test
        void requiredInsideStarttlsMeansRequiredAndAbsentStarttlsMeansDisabled() throws Exception {
            Element required = link("<configuration xmlns='" + CM_NS + "'><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></configuration>");
            assertThat(CmElements.parseConfiguration(required).tls()).isEqualTo(TlsPolicy.REQUIRED);
            Element none = link("<configuration xmlns='" + CM_NS + "'/>");
            ClientConfiguration empty = CmElements.parseConfiguration(none);
            assertThat(empty).isEqualTo(new ClientConfiguration(TlsPolicy.DISABLED, List.of(), List.of(), false, false, Map.of()));
        }

        @Test
        void iqAuthIsTheIqAuthFeature() throws Exception {
            Element c = link("<configuration xmlns='" + CM_NS + "'><auth xmlns='http://jabber.org/features/iq-auth'/></configuration>");
            assertThat(CmElements.parseConfiguration(c).iqAuth()).isTrue();
        }

        @Test
        void readsOurTuningParameters() throws Exception {
            Element c = link("<configuration xmlns='" + CM_NS + "'><tuning xmlns='urn:xmppcm:tuning:0'>"
                    + "<param name='max-stanza-bytes' value='262144'/><param name='keepalive' value='30 s &amp; more'/></tuning></configuration>");
            assertThat(CmElements.parseConfiguration(c).tuning())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("max-stanza-bytes", "262144", "keepalive", "30 s & more"));
        }

        @Test
        void ignoresUnknownChildrenAndATuningElementOfAnotherNamespace() throws Exception {
            Element c = link("<configuration xmlns='" + CM_NS + "'><future xmlns='urn:x'/><tuning xmlns='urn:other'><param name='a' value='b'/></tuning></configuration>");
            assertThat(CmElements.parseConfiguration(c).tuning()).isEmpty();
        }

        @Test
        void refusesTuningParametersWithoutNameOrValueOrRepeated() {
            for (String params : new String[] {"<param value='1'/>", "<param name='a'/>", "<param name='a' value='1'/><param name='a' value='2'/>"}) {
                Element c = link("<configuration xmlns='" + CM_NS + "'><tuning xmlns='urn:xmppcm:tuning:0'>" + params + "</tuning></configuration>");
                assertThatThrownBy(() -> CmElements.parseConfiguration(c)).as(params).isInstanceOfSatisfying(CmProtocolException.class,
                        e -> assertThat(e.condition()).isEqualTo(StanzaErrorCondition.BAD_REQUEST));
            }
        }

        @Test
        void refusesAnElementThatIsNotAConfiguration() {
            assertThatThrownBy(() -> CmElements.parseConfiguration(link("<configuration/>"))).isInstanceOf(CmProtocolException.class);
            assertThatThrownBy(() -> CmElements.parseConfigurationIq(link("<iq type='get' id='1'><configuration xmlns='" + CM_NS + "'/></iq>")))
                    .isInstanceOf(CmProtocolException.class);
            assertThatThrownBy(() -> CmElements.parseConfigurationIq(link("<iq type='set' id='1'/>"))).isInstanceOf(CmProtocolException.class);
        }

        @Test
        void roundTripsEveryField() throws Exception {
            for (ClientConfiguration config : List.of(STOCK_CONFIG,
                    new ClientConfiguration(TlsPolicy.REQUIRED, List.of("EXTERNAL"), List.of(), true, false,
                            Map.of("b", "2", "a", "<&'\">")),
                    new ClientConfiguration(TlsPolicy.DISABLED, List.of(), List.of("zlib", "lzw"), false, false, Map.of()))) {
                String xml = CmElements.configurationIq("c1", config);
                assertThat(CmElements.parseConfigurationIq(link(xml))).as(xml).isEqualTo(config);
            }
        }

        @Test
        void writesTuningOnlyWhenThereIsSome() {
            assertThat(CmElements.configurationIq("1", STOCK_CONFIG)).doesNotContain("tuning");
            assertThat(CmElements.configurationIq("1", new ClientConfiguration(TlsPolicy.OPTIONAL, List.of(), List.of(), false, false,
                    Map.of("z", "1", "a", "2")))).contains("<tuning xmlns='urn:xmppcm:tuning:0'><param name='a' value='2'/><param name='z' value='1'/></tuning>");
        }
    }

    @Nested
    class SessionIqs {
        @Test
        void createIsWhatTheProbeSent() {
            assertThat(CmElements.sessionIq(new SessionIq.Create("create-1", "c0ffee03", "localhost", "127.0.0.1")))
                    .isEqualTo("<iq type='set' id='create-1'><session xmlns='http://jabber.org/protocol/connectionmanager' id='c0ffee03'>"
                            + "<create><host name='localhost' address='127.0.0.1'/></create></session></iq>");
        }

        @Test
        void createWithoutHostIsABareCreate() {
            assertThat(CmElements.sessionIq(new SessionIq.Create("create-2", "c0ffee03b", null, null)))
                    .isEqualTo("<iq type='set' id='create-2'><session xmlns='http://jabber.org/protocol/connectionmanager' id='c0ffee03b'><create/></session></iq>");
        }

        @Test
        void closeIsWhatTheProbeSent() {
            assertThat(CmElements.sessionIq(new SessionIq.Close("close-1", "c0ffee03", null)))
                    .isEqualTo("<iq type='set' id='close-1'><session xmlns='http://jabber.org/protocol/connectionmanager' id='c0ffee03'><close/></session></iq>");
        }

        @Test
        void roundTripsEveryKind() throws Exception {
            String streamError = CmElements.standaloneStreamError(StreamErrorCondition.CONFLICT, "replaced");
            for (SessionIq iq : List.of(
                    new SessionIq.Create("1", "a11ce004", "localhost", "127.0.0.1"),
                    new SessionIq.Create("2", "a11ce004", null, null),
                    new SessionIq.Create("3", "a11ce004", "h", null),
                    new SessionIq.Close("4", "a11ce004", null),
                    new SessionIq.Failed("6", "e0000006", "<message xmlns=\"jabber:client\" to=\"carol@example.test\" type=\"chat\" id=\"f1\">"
                            + "<body>undeliverable &amp; ü</body></message>"))) {
                assertThat(CmElements.parseSessionIq(link(CmElements.sessionIq(iq)))).isEqualTo(iq);
            }
            SessionIq.Close close = (SessionIq.Close) CmElements.parseSessionIq(link(CmElements.sessionIq(new SessionIq.Close("5", "s", streamError))));
            assertThat(XmlTrees.canonical(close.streamErrorXml(), Map.of())).isEqualTo(XmlTrees.canonical(streamError, Map.of()));
        }

        @Test
        void closeCarriesAStreamErrorWithItsOwnStreamPrefix() throws Exception {
            SessionIq iq = CmElements.parseSessionIq(link("<iq type='set' id='c'><session xmlns='" + CM_NS + "' id='a11ce008'><close>"
                    + "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></close></session></iq>"));
            assertThat(((SessionIq.Close) iq).streamErrorXml()).isEqualTo("<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\">"
                    + "<conflict xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>");
        }

        @Test
        void failedMessageIsSerializedInJabberClient() throws Exception {
            SessionIq iq = CmElements.parseSessionIq(link("<iq type='set' id='e3'><session xmlns='" + CM_NS + "' id='e0000006'><failed>"
                    + "<message xmlns='jabber:client' from='alice@example.test/cm6' to='carol@example.test' type='chat' id='f1'>"
                    + "<body>undeliverable</body></message></failed></session></iq>"));
            assertThat(iq).isEqualTo(new SessionIq.Failed("e3", "e0000006", "<message xmlns=\"jabber:client\" from=\"alice@example.test/cm6\""
                    + " to=\"carol@example.test\" type=\"chat\" id=\"f1\"><body>undeliverable</body></message>"));
        }

        @Test
        void failedMessageThatInheritedTheSessionNamespaceIsPutIntoJabberClient() throws Exception {
            SessionIq iq = CmElements.parseSessionIq(link("<iq type='set' id='f'><session xmlns='" + CM_NS + "' id='s'><failed>"
                    + "<message to='c'><body>x</body></message></failed></session></iq>"));
            assertThat(((SessionIq.Failed) iq).stanzaXml()).isEqualTo("<message xmlns=\"jabber:client\" to=\"c\"><body>x</body></message>");
        }

        @Test
        void readsTheHostOfACreateAndToleratesABareOne() throws Exception {
            assertThat(CmElements.parseSessionIq(link("<iq type='set' id='create-3' from='cmtest/conn1' to='example.test'><session xmlns='"
                    + CM_NS + "' id='c0ffee03c'><create><host name='client.example' address='::1'/></create></session></iq>")))
                    .isEqualTo(new SessionIq.Create("create-3", "c0ffee03c", "client.example", "::1"));
            assertThat(CmElements.parseSessionIq(link("<iq type='set' id='create-2'><session xmlns='" + CM_NS + "' id='c0ffee03b'><create/></session></iq>")))
                    .isEqualTo(new SessionIq.Create("create-2", "c0ffee03b", null, null));
        }

        /** The error cases of 06a-error-iqs.txt, with the condition Openfire answered. */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "(1) no session id|<iq type='set' id='e1'><session xmlns='" + CM_NS + "'><create><host name='localhost' address='127.0.0.1'/></create></session></iq>|ID_REQUIRED",
            "(4) failed wraps a presence|<iq type='set' id='e4'><session xmlns='" + CM_NS + "' id='e0000006'><failed><presence xmlns='jabber:client' to='c'/></failed></session></iq>|UNKNOWN_STANZA",
            "(5) failed wraps two messages|<iq type='set' id='e5'><session xmlns='" + CM_NS + "' id='e0000006'><failed><message xmlns='jabber:client'/><message xmlns='jabber:client'/></failed></session></iq>|INVALID_PAYLOAD",
            "(6) failed is empty|<iq type='set' id='e6'><session xmlns='" + CM_NS + "' id='e0000006'><failed/></session></iq>|INVALID_PAYLOAD",
            "(7) type get|<iq type='get' id='e7'><session xmlns='" + CM_NS + "' id='e0000006'></session></iq>|",
            "(8) neither create close nor failed|<iq type='set' id='e8'><session xmlns='" + CM_NS + "' id='e0000006'><foo/></session></iq>|",
            "(14) child of another namespace|<iq type='set' id='e14'><query xmlns='jabber:iq:version'/></iq>|ID_REQUIRED",
            "(17) probe|<iq type='set' id='e18a'><session xmlns='" + CM_NS + "' id='e0000006'><probe/></session></iq>|",
            "no child at all|<iq type='set' id='x'/>|ID_REQUIRED",
            "empty session id|<iq type='set' id='x'><session xmlns='" + CM_NS + "' id=''><close/></session></iq>|ID_REQUIRED",
            "non-session child with an id|<iq type='set' id='x'><query xmlns='jabber:iq:version' id='y'/></iq>|",
            "iq without id|<iq type='set'><session xmlns='" + CM_NS + "' id='s'><close/></session></iq>|",
            "failed wraps a message of a foreign namespace|<iq type='set' id='x'><session xmlns='" + CM_NS + "' id='s'><failed><message xmlns='jabber:server'/></failed></session></iq>|UNKNOWN_STANZA",
        })
        void refusesWhatOpenfireRefusesWithTheSameCondition(String label, String xml, String cmCondition) {
            CmProtocolException e = sessionIqError(xml);
            assertThat(e.condition()).isEqualTo(StanzaErrorCondition.BAD_REQUEST);
            assertThat(e.cmCondition()).isEqualTo(cmCondition == null ? null : CmErrorCondition.valueOf(cmCondition));
        }

        @Test
        void recordsRefuseMissingIds() {
            assertThatThrownBy(() -> new SessionIq.Create(null, "s", null, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new SessionIq.Close("1", "", null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new SessionIq.Failed("1", "s", " ")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void echoedSessionIdReadsResultsAndErrors() {
            assertThat(CmElements.echoedSessionId(link("<iq type=\"result\" id=\"create-1\"><session xmlns=\"" + CM_NS + "\" id=\"c0ffee03\">"
                    + "<create/></session></iq>"))).isEqualTo("c0ffee03");
            assertThat(CmElements.echoedSessionId(link("<iq type=\"result\" id=\"x\"/>"))).isNull();
        }
    }

    @Nested
    class Replies {
        @Test
        void iqResultToTheConfigurationIqIsWhatTheProbeSent() {
            assertThat(CmElements.iqResult(link(STOCK_CONFIG_IQ))).isEqualTo("<iq type='result' id='726-2'/>");
        }

        @Test
        void iqResultSwapsFromAndTo() {
            assertThat(CmElements.iqResult(link("<iq type='set' id='create-3' from='cmtest/conn1' to='example.test'/>")))
                    .isEqualTo("<iq type='result' id='create-3' from='example.test' to='cmtest/conn1'/>");
        }

        @Test
        void iqErrorEchoesTheChildAndCarriesBothConditions() {
            String request = "<iq type='set' id='e1'><session xmlns='" + CM_NS + "'><create><host name='localhost' address='127.0.0.1'/></create></session></iq>";
            String openfire = "<iq type=\"error\" id=\"e1\"><session xmlns=\"http://jabber.org/protocol/connectionmanager\"><create>"
                    + "<host name=\"localhost\" address=\"127.0.0.1\"/></create></session><error code=\"400\" type=\"modify\">"
                    + "<bad-request xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/><id-required xmlns=\"http://jabber.org/protocol/connectionmanager#errors\"/>"
                    + "</error></iq>";
            String ours = CmElements.iqError(link(request), StanzaErrorCondition.BAD_REQUEST, CmErrorCondition.ID_REQUIRED);
            assertSameMeaning(ours, openfire);
            assertThat(ours).endsWith("<error code='400' type='modify'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                    + "<id-required xmlns='http://jabber.org/protocol/connectionmanager#errors'/></error></iq>");
        }

        @Test
        void iqErrorWithoutApplicationCondition() {
            String ours = CmElements.iqError(link("<iq type='set' id='e9'><session xmlns='" + CM_NS + "' id='nosuchsid'><close/></session></iq>"),
                    StanzaErrorCondition.ITEM_NOT_FOUND, null);
            assertSameMeaning(ours, "<iq type=\"error\" id=\"e9\"><session xmlns=\"http://jabber.org/protocol/connectionmanager\" id=\"nosuchsid\">"
                    + "<close/></session><error code=\"404\" type=\"cancel\"><item-not-found xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/></error></iq>");
        }

        @Test
        void routeErrorsMeanWhatOpenfireSent() {
            assertSameMeaning(CmElements.routeError("nosuchsid", StanzaErrorCondition.ITEM_NOT_FOUND, null),
                    "<route streamid=\"nosuchsid\" type=\"error\"><error code=\"404\" type=\"cancel\"><item-not-found xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/></error></route>");
            assertSameMeaning(CmElements.routeError("e0000006", StanzaErrorCondition.BAD_REQUEST, CmErrorCondition.UNKNOWN_STANZA),
                    "<route streamid=\"e0000006\" type=\"error\"><error code=\"400\" type=\"modify\"><bad-request xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/>"
                            + "<unknown-stanza xmlns=\"http://jabber.org/protocol/connectionmanager#errors\"/></error></route>");
        }

        @Test
        void parseErrorReadsTypeCodeAndBothConditions() {
            StanzaError e = CmElements.parseError(link(CmElements.routeError("s", StanzaErrorCondition.BAD_REQUEST, CmErrorCondition.INVALID_PAYLOAD)));
            assertThat(e).isEqualTo(new StanzaError("modify", 400, StanzaErrorCondition.BAD_REQUEST, CmErrorCondition.INVALID_PAYLOAD, null));
            StanzaError auth = CmElements.parseError(link("<iq type=\"error\" id=\"pre-cr\"><error code=\"401\" type=\"auth\">"
                    + "<not-authorized xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/><text xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\">no</text></error></iq>"));
            assertThat(auth).isEqualTo(new StanzaError("auth", 401, StanzaErrorCondition.NOT_AUTHORIZED, null, "no"));
            assertThat(CmElements.parseError(link("<iq type='result' id='1'/>"))).isNull();
            assertThat(CmElements.parseError(link("<iq type='error'><error/></iq>")))
                    .isEqualTo(new StanzaError(null, -1, StanzaErrorCondition.UNDEFINED_CONDITION, null, null));
        }
    }

    @Nested
    class StreamErrors {
        @Test
        void streamErrorInheritsTheStreamPrefix() {
            assertThat(CmElements.streamError(StreamErrorCondition.SYSTEM_SHUTDOWN, null))
                    .isEqualTo("<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
        }

        @Test
        void standaloneStreamErrorMeansWhatOpenfireSentOnABadHandshake() {
            assertThat(XmlTrees.canonical(CmElements.standaloneStreamError(StreamErrorCondition.NOT_AUTHORIZED, null), Map.of()))
                    .isEqualTo(XmlTrees.canonical("<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\"><not-authorized "
                            + "xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>", Map.of()));
        }

        @Test
        void streamErrorWithTextMeansWhatOpenfireSentForABrokenRoute() {
            String openfire = "<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\"><internal-server-error xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>"
                    + "<text xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\">An error occurred while processing data raw inbound data.</text></stream:error>";
            String ours = CmElements.streamError(StreamErrorCondition.INTERNAL_SERVER_ERROR, "An error occurred while processing data raw inbound data.");
            assertThat(XmlTrees.canonical(ours, XmlTrees.LINK_SCOPE)).isEqualTo(XmlTrees.canonical(openfire, Map.of()));
        }

        @Test
        void parseStreamErrorReadsConditionAndText() throws Exception {
            assertThat(CmElements.parseStreamError(link(CmElements.streamError(StreamErrorCondition.CONFLICT, "a < b"))))
                    .isEqualTo(new StreamError(StreamErrorCondition.CONFLICT, "a < b"));
            assertThat(CmElements.parseStreamError(link("<stream:error><x xmlns='urn:other'/></stream:error>")))
                    .isEqualTo(new StreamError(StreamErrorCondition.UNDEFINED_CONDITION, null));
            assertThatThrownBy(() -> CmElements.parseStreamError(link("<error/>"))).isInstanceOf(CmProtocolException.class);
        }
    }
}
