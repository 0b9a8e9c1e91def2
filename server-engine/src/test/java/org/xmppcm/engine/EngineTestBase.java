package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.engine.testing.CmTestClient;

/** A running engine on a loopback port with a {@link FakeHost}, and helpers speaking the CM side. */
@Timeout(30)
abstract class EngineTestBase {
    static final String CONN1 = FakeHost.MANAGER + "/conn1";
    static final String CONN2 = FakeHost.MANAGER + "/conn2";
    static final int MAX_STANZA = 64 * 1024;

    FakeHost host;
    ConnectionManagerListener engine;
    private final List<CmTestClient> clients = new ArrayList<>();

    @BeforeEach
    void startEngine() throws IOException {
        host = new FakeHost();
        engine = newEngine();
        engine.start();
    }

    ConnectionManagerListener newEngine() {
        return new ConnectionManagerListener(settings(), host);
    }

    static EngineSettings settings() {
        return new EngineSettings(new InetSocketAddress("127.0.0.1", 0), MAX_STANZA);
    }

    /** Replaces the running engine by one with other limits. */
    void restartEngine(LinkLimits limits) throws IOException {
        restartEngine(limits, System::nanoTime);
    }

    /** Replaces the running engine by one with other limits and the handshake throttle on {@code nanoClock}. */
    void restartEngine(LinkLimits limits, LongSupplier nanoClock) throws IOException {
        engine.stop();
        engine = new ConnectionManagerListener(settings(), host, limits, nanoClock);
        engine.start();
    }

    @AfterEach
    void stopEngine() throws IOException {
        for (CmTestClient client : clients) {
            client.close();
        }
        engine.stop();
    }

    /** A chat message for alice, as the host would deliver it. */
    static Element message(String body) {
        Element message = org.dom4j.DocumentHelper.createElement(QName.get("message", Namespaces.CLIENT));
        message.addAttribute("to", "alice@example.test/cm");
        message.addElement(QName.get("body", Namespaces.CLIENT)).setText(body);
        return message;
    }

    /** Waits until no manager has a link left (a closed socket reaches the engine asynchronously). */
    void awaitNoLink() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && engine.managers().stream().anyMatch(m -> !m.links().isEmpty())) {
            Thread.sleep(10);
        }
    }

    CmTestClient connect() throws IOException {
        CmTestClient client = CmTestClient.connect(engine.port());
        clients.add(client);
        return client;
    }

    /** A connection from another source address, which the server sees as another host. */
    CmTestClient connectFrom(InetAddress localAddress) throws IOException {
        CmTestClient client = CmTestClient.connect(localAddress, engine.port(), 0);
        clients.add(client);
        return client;
    }

    CmTestClient connect(int receiveBuffer) throws IOException {
        CmTestClient client = CmTestClient.connect(engine.port(), receiveBuffer);
        clients.add(client);
        return client;
    }

    /** A link that has authenticated and acknowledged the configuration push. */
    CmTestClient authenticatedLink(String to) throws IOException {
        CmTestClient client = connect();
        client.authenticate(to, FakeHost.SECRET);
        return client;
    }

    static String sessionIq(String iqId, String streamId, String body) {
        return "<iq type='set' id='" + iqId + "'><session xmlns='" + Namespaces.CM_PROTOCOL + "' id='"
                + streamId + "'>" + body + "</session></iq>";
    }

    static String create(String iqId, String streamId) {
        return sessionIq(iqId, streamId, "<create><host name='localhost' address='127.0.0.1'/></create>");
    }

    /** Announces a client on {@code link}; returns the host's session for it. */
    FakeSession createSession(CmTestClient link, String streamId) throws Exception {
        link.send(create("cr-" + streamId, streamId));
        assertResult(link.next(), "cr-" + streamId);
        FakeSession session = host.byStreamId.get(streamId);
        assertThat(session).as("host session for " + streamId).isNotNull();
        host.opened.remove(session);
        return session;
    }

    static void assertResult(Element iq, String id) {
        assertThat(iq.getName()).as(iq.asXML()).isEqualTo("iq");
        assertThat(iq.attributeValue("type")).as(iq.asXML()).isEqualTo("result");
        assertThat(iq.attributeValue("id")).isEqualTo(id);
    }

    /** Asserts an IQ or route error with the stanza condition and (null for none) the CM condition. */
    static void assertError(Element stanza, String name, String id, String condition, String cmCondition) {
        assertThat(stanza.getName()).as(stanza.asXML()).isEqualTo(name);
        assertThat(stanza.attributeValue("type")).as(stanza.asXML()).isEqualTo("error");
        if (id != null) {
            assertThat(stanza.attributeValue("iq".equals(name) ? "id" : "streamid")).isEqualTo(id);
        }
        Element error = stanza.element("error");
        assertThat(error).as(stanza.asXML()).isNotNull();
        assertThat(childIn(error, Namespaces.STANZAS)).as(stanza.asXML()).isEqualTo(condition);
        assertThat(childIn(error, Namespaces.CM_ERRORS)).as(stanza.asXML()).isEqualTo(cmCondition);
    }

    static void assertIqError(Element iq, String id, String condition, String cmCondition) {
        assertError(iq, "iq", id, condition, cmCondition);
    }

    static void assertRouteError(Element route, String streamId, String condition, String cmCondition) {
        assertError(route, "route", streamId, condition, cmCondition);
    }

    /** Name of the first child of {@code parent} in {@code namespace} other than text, or null. */
    static String childIn(Element parent, String namespace) {
        for (Element child : parent.elements()) {
            if (namespace.equals(child.getNamespaceURI()) && !"text".equals(child.getName())) {
                return child.getName();
            }
        }
        return null;
    }

    /** Asserts the link is still up and answering: a probe for a session that does not exist. */
    static void assertLinkAnswers(CmTestClient link) throws IOException {
        link.send(sessionIq("alive", "no-such-session", "<probe/>"));
        assertIqError(link.next(), "alive", "item-not-found", null);
    }

    static Element configurationOf(Element iq) {
        return iq.element(QName.get("configuration", Namespaces.CM_PROTOCOL));
    }
}
