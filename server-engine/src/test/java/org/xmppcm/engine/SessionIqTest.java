package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.engine.testing.CmTestClient;

class SessionIqTest extends EngineTestBase {
    @Test
    void createOpensAHostSessionDescribingTheClientAndIsAnsweredWithAResult() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        link.send(create("create-1", "c0ffee03"));
        assertResult(link.next(), "create-1");

        FakeSession session = host.awaitOpened();
        assertThat(session.client).isEqualTo(new ClientDescriptor(FakeHost.MANAGER, "c0ffee03", "localhost", "127.0.0.1"));
        assertThat(session.channel.streamId()).isEqualTo("c0ffee03");
    }

    @Test
    void bareCreateFromOldManagersLeavesHostNameAndAddressUnknown() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        link.send(sessionIq("create-2", "c0ffee03b", "<create/>"));
        assertResult(link.next(), "create-2");
        assertThat(host.awaitOpened().client).isEqualTo(new ClientDescriptor(FakeHost.MANAGER, "c0ffee03b", null, null));
    }

    @Test
    void createForAnExistingSessionIsAnsweredWithAResultAndOpensNothing() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "e0000006");
        link.send(create("e11", "e0000006"));
        assertResult(link.next(), "e11");
        assertThat(host.opened).isEmpty();
        assertThat(session.isClosed()).isFalse();
    }

    @Test
    void closeEndsTheHostSessionOnceAndIsAnsweredWithAResult() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "c0ffee03");
        link.send(sessionIq("close-1", "c0ffee03", "<close/>"));
        assertResult(link.next(), "close-1");
        assertThat(session.awaitClosed()).isTrue();

        link.send(sessionIq("close-2", "c0ffee03", "<close/>"));
        assertIqError(link.next(), "close-2", "item-not-found", null);
        assertThat(session.closedCalls).hasValue(1);
    }

    @Test
    void closeForAnUnknownSessionGetsItemNotFound() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        link.send(sessionIq("e9", "nosuchsid", "<close/>"));
        assertIqError(link.next(), "e9", "item-not-found", null);
    }

    @Test
    void failedHandsTheUndeliverableMessageToTheHost() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "e0000006");
        link.send(sessionIq("e3", "e0000006", "<failed><message xmlns='jabber:client' from='alice@example.test/cm6'"
                + " to='carol@example.test' type='chat' id='f1'><body>undeliverable</body></message></failed>"));
        assertResult(link.next(), "e3");

        Element message = session.awaitFailed();
        assertThat(message.getName()).isEqualTo("message");
        assertThat(message.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(message.attributeValue("to")).isEqualTo("carol@example.test");
        assertThat(message.elementText("body")).isEqualTo("undeliverable");
        assertThat(session.isClosed()).as("failed does not end the session").isFalse();
    }

    @Test
    void failedForAnUnknownSessionGetsItemNotFound() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        link.send(sessionIq("e10", "nosuchsid", "<failed><message xmlns='jabber:client' to='carol@example.test'/></failed>"));
        assertIqError(link.next(), "e10", "item-not-found", null);
    }

    @Test
    void failedWrappingAPresenceGetsUnknownStanza() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "e0000006");
        link.send(sessionIq("e4", "e0000006", "<failed><presence xmlns='jabber:client' to='carol@example.test'/></failed>"));
        assertIqError(link.next(), "e4", "bad-request", "unknown-stanza");
        assertThat(session.failed).isEmpty();
    }

    @Test
    void failedWithTwoStanzasOrNoneGetsInvalidPayload() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        createSession(link, "e0000006");
        link.send(sessionIq("e5", "e0000006", "<failed><message xmlns='jabber:client' to='carol@example.test'/>"
                + "<message xmlns='jabber:client' to='carol@example.test'/></failed>"));
        assertIqError(link.next(), "e5", "bad-request", "invalid-payload");
        link.send(sessionIq("e6", "e0000006", "<failed/>"));
        assertIqError(link.next(), "e6", "bad-request", "invalid-payload");
    }

    @Test
    void sessionIqWithoutASessionIdGetsIdRequired() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        link.send("<iq type='set' id='e1'><session xmlns='" + Namespaces.CM_PROTOCOL + "'>"
                + "<create><host name='localhost' address='127.0.0.1'/></create></session></iq>");
        assertIqError(link.next(), "e1", "bad-request", "id-required");
        assertThat(host.opened).isEmpty();
    }

    @Test
    void iqOfTypeGetIsABadRequest() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        createSession(link, "e0000006");
        link.send("<iq type='get' id='e7'><session xmlns='" + Namespaces.CM_PROTOCOL + "' id='e0000006'/></iq>");
        assertIqError(link.next(), "e7", "bad-request", null);
    }

    @Test
    void probeOfALiveSessionGetsBadRequestAndLeavesItAlive() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        FakeSession session = createSession(link, "e0000006");
        link.send(sessionIq("e18a", "e0000006", "<probe/>"));
        assertIqError(link.next(), "e18a", "bad-request", null);
        assertThat(session.isClosed()).isFalse();

        link.send(sessionIq("e18c", "e0000006", ""));
        assertIqError(link.next(), "e18c", "bad-request", null);
    }

    @Test
    void probeOfAnUnknownOrClosedSessionGetsItemNotFound() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        createSession(link, "e0000006x");
        link.send(sessionIq("cl2", "e0000006x", "<close/>"));
        assertResult(link.next(), "cl2");
        link.send(sessionIq("e18b", "e0000006x", "<probe/>"));
        assertIqError(link.next(), "e18b", "item-not-found", null);
    }

    @Test
    void resultsAndErrorsFromTheManagerAreNeverAnswered() throws Exception {
        CmTestClient link = authenticatedLink(CONN1);
        link.send("<iq type='result' id='whatever'/>");
        link.send("<iq type='error' id='e15'><session xmlns='" + Namespaces.CM_PROTOCOL + "' id='e0000006'/>"
                + "<error type='cancel'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        link.expectSilence(Duration.ofMillis(300));
        assertLinkAnswers(link);
    }

    @Test
    void sessionsBelongToTheManagerSoAnyOfItsLinksMayCloseThem() throws Exception {
        CmTestClient one = authenticatedLink(CONN1);
        CmTestClient two = authenticatedLink(CONN2);
        FakeSession session = createSession(one, "shared1");
        two.send(sessionIq("cl", "shared1", "<close/>"));
        assertResult(two.next(), "cl");
        assertThat(session.awaitClosed()).isTrue();
    }

    @Test
    void sessionsOfAnotherManagerAreInvisible() throws Exception {
        CmTestClient mine = authenticatedLink(CONN1);
        createSession(mine, "private1");
        CmTestClient other = connect();
        other.authenticate("othercm/conn1", "other");
        other.send(sessionIq("p", "private1", "<probe/>"));
        assertIqError(other.next(), "p", "item-not-found", null);
    }
}
