package org.xmppcm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Namespaces;

class PresenceTest {
    private final DemoHost host = DemoHost.builder()
            .users(Map.of("alice", "alice", "bob", "bob", "carol", "carol")).build();

    private static List<String> fromTo(List<Element> presences) {
        return presences.stream().map(p -> p.attributeValue("from") + " -> " + p.attributeValue("to")
                + (p.attributeValue("type") == null ? "" : " " + p.attributeValue("type"))).toList();
    }

    @Test
    void initialPresenceGoesToEveryAvailableContactAndOwnResourceWithFromAndToSet() {
        TestClient bob = new TestClient(host).login("bob", "desk").online();
        TestClient carol = new TestClient(host).login("carol", "tab").online();
        TestClient alicePhone = new TestClient(host).login("alice", "phone").online();
        TestClient aliceQuiet = new TestClient(host).login("alice", "quiet"); // bound, never available
        bob.take();
        carol.take();
        alicePhone.take();
        TestClient alice = new TestClient(host).login("alice", "home");

        alice.send("<presence from='forged@localhost'><show>chat</show><status>hello</status><priority>5</priority></presence>");

        Element toBob = bob.take().get(0);
        assertThat(toBob.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(toBob.attributeValue("from")).isEqualTo("alice@localhost/home");
        assertThat(toBob.attributeValue("to")).isEqualTo("bob@localhost/desk");
        assertThat(toBob.elementText("status")).isEqualTo("hello");
        assertThat(fromTo(carol.take())).containsExactly("alice@localhost/home -> carol@localhost/tab");
        assertThat(fromTo(alicePhone.take())).containsExactly("alice@localhost/home -> alice@localhost/phone");
        assertThat(aliceQuiet.take()).isEmpty();
    }

    @Test
    void initialPresenceIsAnsweredWithTheCurrentPresenceOfEveryAvailableResource() {
        TestClient bob = new TestClient(host).login("bob", "desk");
        bob.send("<presence><status>at work</status></presence>");
        new TestClient(host).login("carol", "tab").online();
        new TestClient(host).login("alice", "phone").online();
        TestClient alice = new TestClient(host).login("alice", "home");

        alice.send("<presence/>");

        List<Element> presences = alice.take("presence");
        assertThat(fromTo(presences)).containsExactlyInAnyOrder(
                "alice@localhost/home -> alice@localhost/home",
                "bob@localhost/desk -> alice@localhost/home",
                "carol@localhost/tab -> alice@localhost/home",
                "alice@localhost/phone -> alice@localhost/home");
        assertThat(presences).filteredOn(p -> "bob@localhost/desk".equals(p.attributeValue("from")))
                .singleElement().satisfies(p -> assertThat(p.elementText("status")).isEqualTo("at work"));
    }

    @Test
    void aPresenceUpdateIsBroadcastButNotAnsweredWithPresencesAgain() {
        TestClient bob = new TestClient(host).login("bob", "desk").online();
        TestClient alice = new TestClient(host).login("alice", "home").online();
        bob.take();

        alice.send("<presence><show>away</show></presence>");

        assertThat(bob.take()).singleElement().satisfies(p -> assertThat(p.elementText("show")).isEqualTo("away"));
        assertThat(fromTo(alice.take())).containsExactly("alice@localhost/home -> alice@localhost/home");
    }

    @Test
    void closingAnAvailableSessionBroadcastsUnavailableOnce() {
        TestClient bob = new TestClient(host).login("bob", "desk").online();
        TestClient alice = new TestClient(host).login("alice", "home").online();
        bob.take();

        alice.session.closed();
        alice.session.closed();

        assertThat(fromTo(bob.take())).containsExactly("alice@localhost/home -> bob@localhost/desk unavailable");
        assertThat(host.sessionCount()).isEqualTo(1);
        assertThat(alice.channel.closedWith()).as("the engine closed it, not the host").isNull();
    }

    @Test
    void closingASessionThatNeverSentPresenceTellsNobody() {
        TestClient bob = new TestClient(host).login("bob", "desk").online();
        TestClient alice = new TestClient(host).login("alice", "home");

        alice.session.closed();

        assertThat(bob.take()).isEmpty();
    }

    @Test
    void explicitUnavailableIsBroadcastAndTheLaterCloseAddsNothing() {
        TestClient bob = new TestClient(host).login("bob", "desk").online();
        TestClient alice = new TestClient(host).login("alice", "home").online();
        bob.take();

        alice.send("<presence type='unavailable'><status>bye</status></presence>");
        alice.session.closed();

        assertThat(bob.take()).singleElement().satisfies(p -> {
            assertThat(p.attributeValue("type")).isEqualTo("unavailable");
            assertThat(p.elementText("status")).isEqualTo("bye");
        });
    }

    @Test
    void directedPresenceToABareJidReachesEveryAvailableResourceOfThatUserOnly() {
        TestClient bobDesk = new TestClient(host).login("bob", "desk").online();
        TestClient bobPhone = new TestClient(host).login("bob", "phone").online();
        TestClient carol = new TestClient(host).login("carol", "tab").online();
        TestClient alice = new TestClient(host).login("alice", "home");
        bobDesk.take();
        bobPhone.take();
        carol.take();

        alice.send("<presence to='bob@localhost'><status>psst</status></presence>");

        assertThat(fromTo(bobDesk.take())).containsExactly("alice@localhost/home -> bob@localhost");
        assertThat(fromTo(bobPhone.take())).containsExactly("alice@localhost/home -> bob@localhost");
        assertThat(carol.take()).isEmpty();
    }

    @Test
    void directedPresenceToAFullJidReachesThatResourceOnly() {
        TestClient bobDesk = new TestClient(host).login("bob", "desk").online();
        TestClient bobPhone = new TestClient(host).login("bob", "phone").online();
        TestClient alice = new TestClient(host).login("alice", "home");
        bobDesk.take();
        bobPhone.take();

        alice.send("<presence to='bob@localhost/phone' type='unavailable'/>");

        assertThat(bobDesk.take()).isEmpty();
        assertThat(fromTo(bobPhone.take())).containsExactly("alice@localhost/home -> bob@localhost/phone unavailable");
    }

    @Test
    void aSubscriptionRequestIsAcknowledgedOnTheContactsBehalf() {
        TestClient alice = new TestClient(host).login("alice", "home");

        alice.send("<presence to='bob@localhost' type='subscribe'/>");

        assertThat(fromTo(alice.take())).containsExactly("bob@localhost -> alice@localhost subscribed");
    }

    @Test
    void aProbeOfAnOfflineContactIsAnsweredUnavailable() {
        TestClient alice = new TestClient(host).login("alice", "home");

        alice.send("<presence to='carol@localhost' type='probe'/>");

        assertThat(fromTo(alice.take())).containsExactly("carol@localhost -> alice@localhost/home unavailable");
    }

    @Test
    void presenceToUnknownUsersIsIgnored() {
        TestClient alice = new TestClient(host).login("alice", "home");

        alice.send("<presence to='nobody@localhost'/>");
        alice.send("<presence to='someone@example.org' type='subscribe'/>");

        assertThat(alice.take()).isEmpty();
    }
}
