package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.engine.testing.CmTestClient;
import org.xmppcm.protocol.cm.Namespaces;

/**
 * Verifies the grace period a host may ask for: when a manager's last link drops, its sessions
 * wait for it, stanzas for them are held and delivered in order when it is back; when it is not
 * back in time, held messages go to the host's offline storage and the sessions end; a manager
 * that shuts down gets no grace.
 */
class GracePeriodTest extends EngineTestBase {
    @Test
    void stanzasHeldWhileTheManagerWasAwayArriveInOrderWhenItIsBackInTime() throws Exception {
        host.grace.set(Duration.ofSeconds(10));
        CmTestClient first = authenticatedLink(CONN1);
        FakeSession alice = createSession(first, "a11ceg01");
        first.close();
        awaitNoLink();

        alice.channel.deliver(message("held 1"));
        alice.channel.deliver(message("held 2"));
        assertThat(alice.isClosed()).as("the session waits for its manager").isFalse();

        CmTestClient again = authenticatedLink(CONN1);
        List<String> bodies = new ArrayList<>();
        while (bodies.size() < 2) {
            Element route = again.next();
            if (route.getName().equals("route")) {
                bodies.add(route.elements().get(0).elementText("body"));
            }
        }
        assertThat(bodies).containsExactly("held 1", "held 2");

        again.send(sessionIq("p1", "a11ceg01", "<probe/>"));
        assertIqError(again.next(), "p1", "bad-request", null); // the CM's probe: still there
        alice.channel.deliver(message("after"));
        assertThat(again.next().elements().get(0).elementText("body")).isEqualTo("after");
    }

    @Test
    void whenTheManagerIsNotBackInTimeHeldMessagesGoToOfflineStorageAndTheSessionEnds() throws Exception {
        host.grace.set(Duration.ofMillis(700));
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession alice = createSession(link, "a11ceg02");
        link.close();
        awaitNoLink();
        alice.channel.deliver(message("for later"));

        Element stored = alice.awaitFailed();
        assertThat(stored.elementText("body")).isEqualTo("for later");
        assertThat(alice.awaitClosed()).isTrue();
        assertThat(alice.closedCalls).hasValue(1);
    }

    @Test
    void aManagerThatShutsDownGetsNoGrace() throws Exception {
        host.grace.set(Duration.ofSeconds(30));
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession alice = createSession(link, "a11ceg03");
        link.send("<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
        assertThat(alice.awaitClosed()).isTrue();
    }

    @Test
    void aSessionWhoseHoldIsFullEndsAndItsMessagesGoToOfflineStorage() throws Exception {
        host.grace.set(Duration.ofSeconds(30));
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession alice = createSession(link, "a11ceg04");
        link.close();
        awaitNoLink();
        int sent = RoutedSession.MAX_HELD_STANZAS + 1;
        for (int i = 0; i < sent; i++) {
            alice.channel.deliver(message("m" + i));
        }
        assertThat(alice.awaitClosed()).as("ended long before the grace period").isTrue();
        List<String> stored = new ArrayList<>();
        for (Element m = alice.failed.poll(); m != null; m = alice.failed.poll()) {
            stored.add(m.elementText("body"));
        }
        assertThat(stored).hasSize(sent).startsWith("m0", "m1").endsWith("m" + (sent - 1));
    }

    @Test
    void anIqRequestHeldWhenTheGraceEndsGoesBackToTheHostToBeAnswered() throws Exception {
        host.grace.set(Duration.ofMillis(500));
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession alice = createSession(link, "a11ceg05");
        link.close();
        awaitNoLink();
        Element ping = org.dom4j.DocumentHelper.createElement(org.dom4j.QName.get("iq", Namespaces.CLIENT));
        ping.addAttribute("type", "get").addAttribute("id", "p1").addAttribute("from", "bob@example.test/x");
        ping.addElement(org.dom4j.QName.get("ping", "urn:xmpp:ping"));
        alice.channel.deliver(ping);
        Element back = alice.awaitFailed();
        assertThat(back.getName()).isEqualTo("iq");
        assertThat(back.attributeValue("id")).isEqualTo("p1");
        assertThat(alice.awaitClosed()).isTrue();
    }

    @Test
    void aPresenceOverTheHoldLimitGoesBackToTheHostInsteadOfVanishing() throws Exception {
        host.grace.set(Duration.ofSeconds(30));
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession alice = createSession(link, "a11ceg06");
        link.close();
        awaitNoLink();
        for (int i = 0; i < RoutedSession.MAX_HELD_STANZAS; i++) {
            alice.channel.deliver(message("m" + i));
        }
        // The first stanza over the limit: it ends the session, and must come back with the rest.
        Element presence = org.dom4j.DocumentHelper.createElement(org.dom4j.QName.get("presence", Namespaces.CLIENT));
        presence.addAttribute("from", "bob@example.test/x");
        alice.channel.deliver(presence);
        assertThat(alice.awaitClosed()).isTrue();
        Element last = null;
        for (Element m = alice.awaitFailed(); m != null; m = alice.failed.poll(2, java.util.concurrent.TimeUnit.SECONDS)) {
            last = m;
        }
        assertThat(last).isNotNull();
        assertThat(last.getName()).as("the presence comes back last, after the held messages").isEqualTo("presence");
    }
}
