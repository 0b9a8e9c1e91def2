package org.xmppcm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Namespaces;

class ServerIqTest {
    private final DemoHost host = DemoHost.builder()
            .users(Map.of("alice", "alice", "bob", "bob", "carol", "carol")).build();
    private final TestClient alice = new TestClient(host).login("alice", "home");

    private Element ask(String iq) {
        alice.send(iq);
        List<Element> replies = alice.take();
        assertThat(replies).hasSize(1);
        Element reply = replies.get(0);
        assertThat(reply.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        return reply;
    }

    @Test
    void rosterListsEveryOtherUserWithSubscriptionBoth() {
        Element result = ask("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");

        assertThat(result.attributeValue("type")).isEqualTo("result");
        assertThat(result.attributeValue("id")).isEqualTo("r1");
        assertThat(result.attributeValue("to")).isEqualTo("alice@localhost/home");
        Element query = result.element("query");
        assertThat(query.getNamespaceURI()).isEqualTo("jabber:iq:roster");
        assertThat(query.elements("item")).extracting(i -> i.attributeValue("jid") + " " + i.attributeValue("name")
                        + " " + i.attributeValue("subscription"))
                .containsExactly("bob@localhost bob both", "carol@localhost carol both");
    }

    @Test
    void rosterGetAddressedToTheOwnBareJidIsAnsweredToo() {
        Element result = ask("<iq type='get' id='r2' to='alice@localhost'><query xmlns='jabber:iq:roster'/></iq>");

        assertThat(result.attributeValue("type")).isEqualTo("result");
        assertThat(result.attributeValue("from")).isEqualTo("alice@localhost");
        assertThat(result.element("query").elements()).hasSize(2);
    }

    @Test
    void rosterSetIsNotAllowedBecauseTheRosterIsFixed() {
        Element error = ask("<iq type='set' id='r3'><query xmlns='jabber:iq:roster'>"
                + "<item jid='dave@localhost'/></query></iq>");

        assertThat(TestClient.errorCondition(error)).isEqualTo("not-allowed");
        assertThat(error.element("query")).as("original payload kept").isNotNull();
    }

    @Test
    void answersPing() {
        Element result = ask("<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");

        assertThat(result.attributeValue("type")).isEqualTo("result");
        assertThat(result.attributeValue("id")).isEqualTo("p1");
        assertThat(result.attributeValue("from")).isEqualTo("localhost");
        assertThat(result.attributeValue("to")).isEqualTo("alice@localhost/home");
    }

    @Test
    void answersSoftwareVersionAsTheDemoServer() {
        Element result = ask("<iq type='get' id='v1' to='localhost'><query xmlns='jabber:iq:version'/></iq>");

        assertThat(result.element("query").elementText("name")).isEqualTo("Connection Manager demo server");
        assertThat(result.element("query").elementText("version")).isNotBlank();
    }

    @Test
    void discoInfoShowsAnImServerWithItsFeatures() {
        Element result = ask("<iq type='get' id='d1' to='localhost'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");

        Element query = result.element("query");
        Element identity = query.element("identity");
        assertThat(identity.attributeValue("category")).isEqualTo("server");
        assertThat(identity.attributeValue("type")).isEqualTo("im");
        assertThat(query.elements("feature")).extracting(f -> f.attributeValue("var"))
                .contains("http://jabber.org/protocol/disco#info", "urn:xmpp:ping", "jabber:iq:version", "msgoffline");
    }

    @Test
    void discoItemsIsAnEmptyList() {
        Element result = ask("<iq type='get' id='d2' to='localhost'>"
                + "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");

        assertThat(result.attributeValue("type")).isEqualTo("result");
        assertThat(result.element("query").elements()).isEmpty();
    }

    @Test
    void anUnknownNamespaceIsServiceUnavailable() {
        Element error = ask("<iq type='get' id='u1' to='localhost'><query xmlns='jabber:iq:last'/></iq>");

        assertThat(error.attributeValue("type")).isEqualTo("error");
        assertThat(error.attributeValue("from")).isEqualTo("localhost");
        assertThat(error.attributeValue("to")).isEqualTo("alice@localhost/home");
        assertThat(error.element("error").attributeValue("type")).isEqualTo("cancel");
        assertThat(error.element("error").element("service-unavailable").getNamespaceURI())
                .isEqualTo(Namespaces.STANZAS);
    }

    @Test
    void aRequestWithoutPayloadIsABadRequest() {
        Element error = ask("<iq type='get' id='e1'/>");

        assertThat(TestClient.errorCondition(error)).isEqualTo("bad-request");
    }

    @Test
    void routesRequestsAndResultsBetweenFullJids() {
        TestClient bob = new TestClient(host).login("bob", "desk");

        alice.send("<iq type='get' id='q1' to='bob@localhost/desk' from='forged@localhost'>"
                + "<query xmlns='jabber:iq:version'/></iq>");
        Element request = bob.take().get(0);
        assertThat(request.attributeValue("from")).isEqualTo("alice@localhost/home");
        bob.send("<iq type='result' id='q1' to='alice@localhost/home'>"
                + "<query xmlns='jabber:iq:version'><name>x</name></query></iq>");

        Element result = alice.take().get(0);
        assertThat(result.attributeValue("from")).isEqualTo("bob@localhost/desk");
        assertThat(result.attributeValue("id")).isEqualTo("q1");
    }

    @Test
    void aRequestToAnotherUsersBareJidIsAnsweredServiceUnavailableOnTheirBehalf() {
        TestClient bob = new TestClient(host).login("bob", "desk");

        Element error = ask("<iq type='get' id='q2' to='bob@localhost'><query xmlns='jabber:iq:version'/></iq>");

        assertThat(error.attributeValue("from")).isEqualTo("bob@localhost");
        assertThat(TestClient.errorCondition(error)).isEqualTo("service-unavailable");
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void aRequestToAResourceNobodyHoldsIsServiceUnavailable() {
        Element error = ask("<iq type='get' id='q3' to='bob@localhost/gone'><ping xmlns='urn:xmpp:ping'/></iq>");

        assertThat(TestClient.errorCondition(error)).isEqualTo("service-unavailable");
    }

    @Test
    void aRequestToAnotherDomainIsRemoteServerNotFound() {
        Element error = ask("<iq type='get' id='q4' to='example.org'><ping xmlns='urn:xmpp:ping'/></iq>");

        assertThat(TestClient.errorCondition(error)).isEqualTo("remote-server-not-found");
    }

    @Test
    void aResultNobodyWaitsForIsDroppedSilently() {
        alice.send("<iq type='result' id='x' to='bob@localhost/gone'/>");
        alice.send("<iq type='error' id='y'/>");

        assertThat(alice.take()).isEmpty();
    }
}
