package org.xmppcm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.xml.StreamErrorCondition;

class ResourceBindingTest {
    private static final String BIND = "<iq type='set' id='b1'><bind xmlns='" + Namespaces.BIND + "'>%s</bind></iq>";

    private final DemoHost host = DemoHost.withDemoDefaults();

    private static Element single(TestClient client) {
        List<Element> replies = client.take();
        assertThat(replies).hasSize(1);
        return replies.get(0);
    }

    @Test
    void bindsTheRequestedResource() {
        TestClient alice = new TestClient(host);
        alice.authPlain("alice", "alice").take();

        alice.send(String.format(BIND, "<resource>laptop</resource>"));

        Element result = single(alice);
        assertThat(result.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(result.attributeValue("type")).isEqualTo("result");
        assertThat(result.attributeValue("id")).isEqualTo("b1");
        Element bind = result.element("bind");
        assertThat(bind.getNamespaceURI()).isEqualTo(Namespaces.BIND);
        assertThat(bind.elementText("jid")).isEqualTo("alice@localhost/laptop");
    }

    @Test
    void generatesAResourceWhenTheClientAsksForNone() {
        TestClient alice = new TestClient(host);
        alice.authPlain("alice", "alice").take();

        alice.send(String.format(BIND, ""));

        assertThat(single(alice).element("bind").elementText("jid")).matches("alice@localhost/demo-[0-9a-f]{8}");
    }

    @Test
    void bindingAResourceInUseEndsTheOldSessionWithConflict() {
        TestClient first = new TestClient(host).login("alice", "phone");
        TestClient bob = new TestClient(host).login("bob", "desk").online();
        first.online();
        bob.take();
        TestClient second = new TestClient(host);
        second.authPlain("alice", "alice").take();

        second.send(String.format(BIND, "<resource>phone</resource>"));

        assertThat(single(second).element("bind").elementText("jid")).isEqualTo("alice@localhost/phone");
        assertThat(first.channel.closedWith()).isEqualTo(StreamErrorCondition.CONFLICT);
        List<Element> seenByBob = bob.take();
        assertThat(seenByBob).singleElement().satisfies(p -> {
            assertThat(p.attributeValue("type")).isEqualTo("unavailable");
            assertThat(p.attributeValue("from")).isEqualTo("alice@localhost/phone");
        });
        // Messages to the resource now reach the new session only.
        bob.send("<message to='alice@localhost/phone' type='chat'><body>hi</body></message>");
        assertThat(second.take("message")).hasSize(1);
        assertThat(first.take("message")).isEmpty();
        assertThat(host.sessionCount()).isEqualTo(2);
    }

    @Test
    void refusesAResourceWithControlCharacters() {
        TestClient alice = new TestClient(host);
        alice.authPlain("alice", "alice").take();

        alice.send(String.format(BIND, "<resource>a&#x9;b</resource>"));

        assertThat(TestClient.errorCondition(single(alice))).isEqualTo("bad-request");
    }

    @Test
    void refusesASecondBindOnTheSameStream() {
        TestClient alice = new TestClient(host).login("alice", "one");

        alice.send(String.format(BIND, "<resource>two</resource>"));

        assertThat(TestClient.errorCondition(single(alice))).isEqualTo("not-allowed");
    }

    @Test
    void answersLegacySessionEstablishmentWithAnEmptyResult() {
        TestClient alice = new TestClient(host).login("alice", "one");

        alice.send("<iq type='set' id='s1'><session xmlns='" + Namespaces.SESSION + "'/></iq>");

        Element result = single(alice);
        assertThat(result.attributeValue("type")).isEqualTo("result");
        assertThat(result.attributeValue("id")).isEqualTo("s1");
        assertThat(result.elements()).isEmpty();
    }

    @Test
    void rejectsIqsBeforeAuthenticationWithNotAuthorizedAndDropsOtherStanzas() {
        TestClient stranger = new TestClient(host);
        TestClient bob = new TestClient(host).login("bob", "desk").online();

        stranger.send("<iq type='get' id='r1' from='alice@localhost/x'><query xmlns='jabber:iq:roster'/></iq>");
        Element error = single(stranger);
        assertThat(error.attributeValue("type")).isEqualTo("error");
        assertThat(error.attributeValue("id")).isEqualTo("r1");
        assertThat(error.attributeValue("to")).as("the client has no address yet").isNull();
        assertThat(TestClient.errorCondition(error)).isEqualTo("not-authorized");

        stranger.send("<message to='bob@localhost'><body>spam</body></message>");
        stranger.send("<presence/>");
        stranger.send(String.format(BIND, "<resource>x</resource>"));
        assertThat(TestClient.errorCondition(single(stranger))).isEqualTo("not-authorized");
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void dropsStanzasSentAfterAuthenticationButBeforeBinding() {
        TestClient alice = new TestClient(host);
        alice.authPlain("alice", "alice").take();
        TestClient bob = new TestClient(host).login("bob", "desk").online();

        alice.send("<message to='bob@localhost'><body>too early</body></message>");
        alice.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

        assertThat(bob.take()).isEmpty();
        assertThat(TestClient.errorCondition(single(alice))).isEqualTo("not-authorized");
    }

    @Test
    void closesTheStreamOnAnElementThatIsNoStanza() {
        TestClient alice = new TestClient(host).login("alice", "one");

        alice.send("<enable xmlns='urn:xmpp:sm:3'/>");

        assertThat(alice.channel.closedWith()).isEqualTo(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE);
        assertThat(host.sessionCount()).isZero();
    }
}
