package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.SessionIq;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.engine.testing.CmTestClient;

class RouteTest extends EngineTestBase {
    static Element message(String body) {
        Element message = DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
        message.addAttribute("to", "alice@example.test/cm4");
        message.addAttribute("from", "bob@example.test/home");
        message.addAttribute("type", "chat");
        message.addElement(QName.get("body", Namespaces.CLIENT)).setText(body);
        return message;
    }

    @Test
    void routedStanzaReachesTheHostSessionInJabberClient() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "a11ce004");
        link.send("<route streamid='a11ce004'><message xmlns='jabber:client' to='bob@example.test' type='chat'>"
                + "<body>hi &amp; \u00fc\u20ac</body><x xmlns='urn:example'/></message></route>");

        Element message = session.awaitReceived();
        assertThat(message.getQName()).isEqualTo(QName.get("message", Namespaces.CLIENT));
        assertThat(message.attributeValue("to")).isEqualTo("bob@example.test");
        assertThat(message.elementText("body")).isEqualTo("hi & \u00fc\u20ac");
        assertThat(message.element(QName.get("x", "urn:example"))).isNotNull();
    }

    @Test
    void routedStanzaWithoutXmlnsIsTakenAsJabberClient() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "a11ce004");
        link.send("<route streamid='a11ce004'><presence><show>away</show></presence></route>");

        Element presence = session.awaitReceived();
        assertThat(presence.getQName()).isEqualTo(QName.get("presence", Namespaces.CLIENT));
        assertThat(presence.element(QName.get("show", Namespaces.CLIENT))).isNotNull();
    }

    @Test
    void saslElementsAreHandedToTheHost() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "e0000006x");
        link.send("<route streamid='e0000006x'><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                + "AGNhcm9sAGNhcm9s</auth></route>");
        Element auth = session.awaitReceived();
        assertThat(auth.getQName()).isEqualTo(QName.get("auth", Namespaces.SASL));
        assertThat(auth.attributeValue("mechanism")).isEqualTo("PLAIN");
        assertThat(auth.getText()).isEqualTo("AGNhcm9sAGNhcm9s");
    }

    @Test
    void hostDeliveryIsRoutedFromTheDomainToTheManagerAsAJabberClientElement() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "a11ce004");
        session.channel.deliver(message("hello <there> & \u00fc"));

        Element route = link.next();
        assertThat(route.getQName()).isEqualTo(QName.get("route", Namespaces.CONNECTION_MANAGER));
        assertThat(route.attributeValue("streamid")).isEqualTo("a11ce004");
        assertThat(route.attributeValue("from")).isEqualTo(FakeHost.DOMAIN);
        assertThat(route.attributeValue("to")).isEqualTo(FakeHost.MANAGER);
        assertThat(route.elements()).hasSize(1);
        Element message = route.elements().get(0);
        assertThat(message.getQName()).isEqualTo(QName.get("message", Namespaces.CLIENT));
        assertThat(message.attributeValue("to")).isEqualTo("alice@example.test/cm4");
        assertThat(message.elementText("body")).isEqualTo("hello <there> & \u00fc");
    }

    @Test
    void saslResultsGoOutAsElementsNotEscapedText() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "e0000006x");
        session.channel.deliver(DocumentHelper.createElement(QName.get("success", Namespaces.SASL)));

        StanzaFrame frame = link.nextFrame();
        assertThat(frame.asString()).doesNotContain("&lt;");
        Element route = org.xmppcm.protocol.cm.XmlDom.parse(frame, link.header().namespaces());
        assertThat(route.elements()).singleElement()
                .satisfies(e -> assertThat(e.getQName()).isEqualTo(QName.get("success", Namespaces.SASL)));
    }

    @Test
    void routeForAnUnknownSessionGetsItemNotFoundAndTheLinkStaysUp() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        link.send("<route streamid='nosuchsid'><message xmlns='jabber:client' to='bob@example.test'><body>x</body></message></route>");
        assertRouteError(link.next(), "nosuchsid", "item-not-found", null);
        assertLinkAnswers(link);
    }

    @Test
    void routeWithoutStreamIdGetsBadRequestAndTheLinkStaysUp() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "e000006b");
        link.send("<route><message xmlns='jabber:client' to='bob@example.test'><body>x</body></message></route>");
        assertRouteError(link.next(), null, "bad-request", "id-required");
        link.send("<route streamid=''><message xmlns='jabber:client' to='bob@example.test'><body>y</body></message></route>");
        assertRouteError(link.next(), null, "bad-request", "id-required");
        assertLinkAnswers(link);
        assertThat(session.isClosed()).isFalse();
    }

    @Test
    void emptyRouteGetsInvalidPayloadAndTheLinkStaysUp() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "e0000006y");
        link.send("<route streamid='e0000006y'></route>");
        assertRouteError(link.next(), "e0000006y", "bad-request", "invalid-payload");
        link.send("<route streamid='e0000006y'/>");
        assertRouteError(link.next(), "e0000006y", "bad-request", "invalid-payload");
        assertLinkAnswers(link);
        assertThat(session.received).isEmpty();
    }

    @Test
    void routeCarryingTwoStanzasGetsInvalidPayloadNeitherReachesTheHostAndLinkAndSessionStayUp() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "e0000006x");
        // 06a (16): stock Openfire answers two-1 and silently drops two-2.
        link.send("<route streamid='e0000006x'><iq xmlns='jabber:client' type='get' id='two-1' to='example.test'>"
                + "<ping xmlns='urn:xmpp:ping'/></iq><iq xmlns='jabber:client' type='get' id='two-2' to='example.test'>"
                + "<ping xmlns='urn:xmpp:ping'/></iq></route>");

        // Shaped as stock's error routes (06a (2)): streamid and type only, <error code type> with the conditions.
        Element route = link.next();
        assertRouteError(route, "e0000006x", "bad-request", "invalid-payload");
        assertThat(route.attributeCount()).as(route.asXML()).isEqualTo(2);
        Element error = route.element("error");
        assertThat(error.attributeValue("type")).isEqualTo("modify");
        assertThat(error.attributeValue("code")).isEqualTo("400");
        assertThat(error.elements()).extracting(Element::getQName).containsExactly(
                QName.get("bad-request", Namespaces.STANZAS), QName.get("invalid-payload", Namespaces.CM_ERRORS));
        assertThat(route.elements()).hasSize(1);

        link.send("<route streamid='e0000006x'><message xmlns='jabber:client' id='m1'/>\n"
                + "<message xmlns='jabber:client' id='m2'/><message xmlns='jabber:client' id='m3'/></route>");
        assertRouteError(link.next(), "e0000006x", "bad-request", "invalid-payload");
        assertLinkAnswers(link);
        assertThat(session.received).as("nothing of either route reached the host").isEmpty();
        assertThat(session.isClosed()).isFalse();

        link.send("<route streamid='e0000006x'><iq xmlns='jabber:client' type='get' id='one' to='example.test'>"
                + "<ping xmlns='urn:xmpp:ping'/></iq></route>");
        assertThat(session.awaitReceived().attributeValue("id")).as("the session still takes a route of one stanza")
                .isEqualTo("one");
        assertThat(session.received).isEmpty();
    }

    @Test
    void routeCarryingSomethingOtherThanAStanzaGetsUnknownStanza() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "e0000006");
        link.send("<route streamid='e0000006'><foo xmlns=\"urn:example\"/></route>");
        assertRouteError(link.next(), "e0000006", "bad-request", "unknown-stanza");
        link.send("<route streamid='e0000006'><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></route>");
        assertRouteError(link.next(), "e0000006", "bad-request", "unknown-stanza");
        assertLinkAnswers(link);
        assertThat(session.received).isEmpty();
    }

    @Test
    void stanzasOfOneSessionReachTheHostInTheOrderSent() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "order1");
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            burst.append("<route streamid='order1'><message xmlns='jabber:client' id='m").append(i)
                    .append("'><body>").append(i).append("</body></message></route>");
        }
        link.send(burst.toString());
        for (int i = 0; i < 300; i++) {
            assertThat(session.awaitReceived().attributeValue("id")).isEqualTo("m" + i);
        }
    }

    @Test
    void channelCloseSendsTheManagerACloseIqWithTheStreamErrorAndForgetsTheSession() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "b0b00004");
        session.channel.close(StreamErrorCondition.CONFLICT);

        Element iq = link.next();
        assertThat(iq.getName()).isEqualTo("iq");
        assertThat(iq.attributeValue("type")).isEqualTo("set");
        Element sessionElement = iq.element(QName.get("session", Namespaces.CM_PROTOCOL));
        assertThat(sessionElement.attributeValue("id")).isEqualTo("b0b00004");
        Element close = sessionElement.element(QName.get("close", Namespaces.CM_PROTOCOL));
        assertThat(close).isNotNull();
        Element streamError = close.element(QName.get("error", Namespaces.STREAMS));
        assertThat(streamError).as(iq.asXML()).isNotNull();
        assertThat(childIn(streamError, Namespaces.STREAM_ERRORS)).isEqualTo("conflict");
        link.send("<iq type='result' id='" + iq.attributeValue("id") + "'/>");

        // The session is gone for the engine, and the host is not told twice.
        link.send(sessionIq("p", "b0b00004", "<probe/>"));
        assertIqError(link.next(), "p", "item-not-found", null);
        link.send("<route streamid='b0b00004'><presence xmlns='jabber:client'/></route>");
        assertRouteError(link.next(), "b0b00004", "item-not-found", null);
        session.channel.deliver(message("too late"));
        link.expectSilence(Duration.ofMillis(200));
        assertThat(session.closedCalls).hasValue(0);
    }

    @Test
    void closeIqCarriesTheSameShapeTheProtocolCodecReads() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "b0b00005");
        session.channel.close(StreamErrorCondition.SYSTEM_SHUTDOWN);
        SessionIq.Close close = (SessionIq.Close) org.xmppcm.protocol.cm.CmElements.parseSessionIq(link.next());
        assertThat(close.streamId()).isEqualTo("b0b00005");
        assertThat(close.streamErrorXml()).contains("system-shutdown");
    }
}
