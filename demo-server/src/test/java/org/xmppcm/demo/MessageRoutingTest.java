package org.xmppcm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Namespaces;

class MessageRoutingTest {
    private final DemoHost host = DemoHost.builder()
            .users(Map.of("alice", "alice", "bob", "bob"))
            .maxOfflineMessages(3)
            .clock(Clock.fixed(Instant.parse("2024-05-01T12:00:00.250Z"), ZoneOffset.UTC))
            .build();
    private final TestClient alice = new TestClient(host).login("alice", "home");

    private static String chat(String to, String body) {
        return "<message type='chat' to='" + to + "'><body>" + body + "</body></message>";
    }

    private static List<String> bodies(List<Element> messages) {
        return messages.stream().map(m -> m.elementText("body")).toList();
    }

    @Test
    void aMessageToABoundFullJidReachesThatSessionWithTheSendersFullJidAsFrom() {
        TestClient bobDesk = new TestClient(host).login("bob", "desk");
        TestClient bobPhone = new TestClient(host).login("bob", "phone").online();

        alice.send("<message type='chat' to='bob@localhost/desk' from='bob@localhost'><body>hi</body></message>");

        Element message = bobDesk.take().get(0);
        assertThat(message.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(message.attributeValue("from")).isEqualTo("alice@localhost/home");
        assertThat(message.attributeValue("to")).isEqualTo("bob@localhost/desk");
        assertThat(message.elementText("body")).isEqualTo("hi");
        assertThat(bobPhone.take("message")).isEmpty();
    }

    @Test
    void aMessageToAFullJidNobodyHoldsGoesToTheBareJid() {
        TestClient bob = new TestClient(host).login("bob", "desk").online();

        alice.send(chat("bob@localhost/gone", "hi"));

        assertThat(bodies(bob.take("message"))).containsExactly("hi");
    }

    @Test
    void aMessageToABareJidGoesToTheHighestPriorityAvailableResource() {
        TestClient low = new TestClient(host).login("bob", "low");
        low.send("<presence><priority>1</priority></presence>");
        TestClient high = new TestClient(host).login("bob", "high");
        high.send("<presence><priority>10</priority></presence>");
        TestClient later = new TestClient(host).login("bob", "later");
        later.send("<presence><priority>2</priority></presence>");
        TestClient notAvailable = new TestClient(host).login("bob", "bound");

        alice.send(chat("bob@localhost", "hi"));

        assertThat(bodies(high.take("message"))).containsExactly("hi");
        assertThat(low.take("message")).isEmpty();
        assertThat(later.take("message")).isEmpty();
        assertThat(notAvailable.take("message")).isEmpty();
    }

    @Test
    void amongEqualPrioritiesTheResourceWithTheMostRecentPresenceWins() {
        TestClient first = new TestClient(host).login("bob", "first").online();
        TestClient second = new TestClient(host).login("bob", "second").online();

        alice.send(chat("bob@localhost", "one"));
        first.send("<presence><show>chat</show></presence>");
        alice.send(chat("bob@localhost", "two"));

        assertThat(bodies(second.take("message"))).containsExactly("one");
        assertThat(bodies(first.take("message"))).containsExactly("two");
    }

    @Test
    void aMessageWithoutToGoesToTheSendersOwnBareJid() {
        TestClient alicePhone = new TestClient(host).login("alice", "phone").online();

        alice.send("<message><body>note to self</body></message>");

        Element message = alicePhone.take("message").get(0);
        assertThat(message.attributeValue("to")).isEqualTo("alice@localhost");
    }

    @Test
    void aMessageToAnUnknownUserBouncesWithServiceUnavailableKeepingTheOriginal() {
        alice.send("<message type='chat' id='m1' to='nobody@localhost'><body>hello?</body></message>");

        Element error = alice.take().get(0);
        assertThat(error.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(error.attributeValue("type")).isEqualTo("error");
        assertThat(error.attributeValue("id")).isEqualTo("m1");
        assertThat(error.attributeValue("from")).isEqualTo("nobody@localhost");
        assertThat(error.attributeValue("to")).isEqualTo("alice@localhost/home");
        assertThat(error.elementText("body")).isEqualTo("hello?");
        assertThat(TestClient.errorCondition(error)).isEqualTo("service-unavailable");
        assertThat(error.element("error").attributeValue("type")).isEqualTo("cancel");
    }

    @Test
    void anErrorMessageToAnUnknownUserIsNotAnsweredWithAnotherError() {
        alice.send("<message type='error' to='nobody@localhost'><body>x</body></message>");

        assertThat(alice.take()).isEmpty();
    }

    @Test
    void aMessageToAnotherDomainBouncesWithRemoteServerNotFound() {
        alice.send(chat("bob@example.org", "hi"));

        assertThat(TestClient.errorCondition(alice.take().get(0))).isEqualTo("remote-server-not-found");
    }

    @Test
    void aMessageToAMalformedJidBouncesWithJidMalformed() {
        alice.send(chat("@localhost", "hi"));

        assertThat(TestClient.errorCondition(alice.take().get(0))).isEqualTo("jid-malformed");
    }

    @Test
    void deliversMessagesStoredOfflineWhenTheUserComesOnline() {
        alice.send(chat("bob@localhost", "first"));
        alice.send(chat("bob@localhost/whatever", "second"));
        assertThat(alice.take()).as("no error for stored messages").isEmpty();
        TestClient bob = new TestClient(host).login("bob", "desk");
        assertThat(bob.take()).as("not before initial presence").isEmpty();

        bob.send("<presence/>");

        List<Element> messages = bob.take("message");
        assertThat(bodies(messages)).containsExactly("first", "second");
        Element delay = messages.get(0).element("delay");
        assertThat(delay.getNamespaceURI()).isEqualTo("urn:xmpp:delay");
        assertThat(delay.attributeValue("from")).isEqualTo("localhost");
        assertThat(delay.attributeValue("stamp")).isEqualTo("2024-05-01T12:00:00.250Z");
        assertThat(messages.get(0).attributeValue("from")).isEqualTo("alice@localhost/home");
        assertThat(host.offline().size("bob")).isZero();
    }

    @Test
    void storesMessagesOfflineWhileTheOnlyResourcesHaveNegativePriority() {
        TestClient bob = new TestClient(host).login("bob", "desk");
        bob.send("<presence><priority>-1</priority></presence>");
        bob.take();

        alice.send(chat("bob@localhost", "later"));
        assertThat(bob.take("message")).isEmpty();

        bob.send("<presence><priority>0</priority></presence>");
        assertThat(bodies(bob.take("message"))).containsExactly("later");
    }

    @Test
    void refusesMessagesBeyondTheOfflineLimitWithServiceUnavailable() {
        for (int i = 1; i <= 4; i++) {
            alice.send(chat("bob@localhost", "m" + i));
        }

        List<Element> errors = alice.take();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.elementText("body")).isEqualTo("m4");
            assertThat(TestClient.errorCondition(e)).isEqualTo("service-unavailable");
        });
        TestClient bob = new TestClient(host).login("bob", "desk");
        bob.send("<presence/>");
        assertThat(bodies(bob.take("message"))).containsExactly("m1", "m2", "m3");
    }

    @Test
    void aFailedDeliveryGoesToAnotherAvailableResourceOrElseOffline() {
        TestClient bobDesk = new TestClient(host).login("bob", "desk").online();
        TestClient bobPhone = new TestClient(host).login("bob", "phone").online();
        alice.send(chat("bob@localhost/desk", "one"));
        Element lost = bobDesk.take("message").get(0);

        bobDesk.session.deliveryFailed(lost);
        assertThat(bodies(bobPhone.take("message"))).containsExactly("one");

        bobPhone.session.closed();
        bobDesk.session.deliveryFailed(lost);
        bobDesk.session.closed();
        assertThat(host.offline().size("bob")).isEqualTo(1);
        TestClient bobAgain = new TestClient(host).login("bob", "desk");
        bobAgain.send("<presence/>");
        assertThat(bodies(bobAgain.take("message"))).containsExactly("one");
    }

    @Test
    void headlinesGoToAllAvailableResourcesAndAreNeverStored() {
        TestClient bobDesk = new TestClient(host).login("bob", "desk").online();
        TestClient bobPhone = new TestClient(host).login("bob", "phone").online();

        alice.send("<message type='headline' to='bob@localhost'><body>news</body></message>");
        bobDesk.session.closed();
        bobPhone.session.closed();
        alice.send("<message type='headline' to='bob@localhost'><body>old news</body></message>");

        assertThat(bodies(bobDesk.take("message"))).containsExactly("news");
        assertThat(bodies(bobPhone.take("message"))).containsExactly("news");
        assertThat(host.offline().size("bob")).isZero();
        assertThat(alice.take()).isEmpty();
    }
}
