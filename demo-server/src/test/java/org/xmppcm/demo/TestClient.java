package org.xmppcm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.protocol.cm.Namespaces;

/** One fake client stream on a DemoHost, driven the way the engine would drive it. */
final class TestClient {
    private static final AtomicInteger STREAMS = new AtomicInteger();

    final RecordingChannel channel;
    final HostSession session;
    private String jid;

    TestClient(DemoHost host) {
        String streamId = "stream" + STREAMS.incrementAndGet();
        this.channel = new RecordingChannel(streamId);
        this.session = host.openSession(new ClientDescriptor("cm1", streamId, "localhost", "127.0.0.1"), channel);
    }

    /** Parses {@code xml} as the engine hands it over: in jabber:client unless it declares its own namespace. */
    static Element xml(String xml) {
        try {
            Element wrapper = DocumentHelper.parseText("<w xmlns='jabber:client'>" + xml + "</w>").getRootElement();
            return wrapper.elements().get(0).createCopy();
        } catch (DocumentException e) {
            throw new IllegalArgumentException(xml, e);
        }
    }

    TestClient send(String xml) {
        session.received(xml(xml));
        return this;
    }

    TestClient authPlain(String user, String password) {
        String data = "\0" + user + "\0" + password;
        return send("<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>"
                + Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)) + "</auth>");
    }

    /** Authenticates with PLAIN and binds {@code resource}, asserting both worked; forgets what was delivered. */
    TestClient login(String user, String resource) {
        authPlain(user, user);
        assertThat(take()).extracting(Element::getName).containsExactly("success");
        send("<iq type='set' id='bind1'><bind xmlns='" + Namespaces.BIND + "'><resource>" + resource
                + "</resource></bind></iq>");
        List<Element> replies = take();
        assertThat(replies).hasSize(1);
        jid = replies.get(0).element("bind").elementText("jid");
        assertThat(jid).isEqualTo(user + "@localhost/" + resource);
        return this;
    }

    /** Sends initial presence; forgets what was delivered. */
    TestClient online() {
        send("<presence/>");
        take();
        return this;
    }

    String jid() {
        return jid;
    }

    List<Element> take() {
        return channel.take();
    }

    List<Element> delivered() {
        return channel.delivered();
    }

    /** The stanzas of one kind delivered so far, forgetting everything delivered. */
    List<Element> take(String name) {
        return take().stream().filter(e -> e.getName().equals(name)).collect(Collectors.toList());
    }

    static String errorCondition(Element stanza) {
        Element error = stanza.element("error");
        assertThat(error).as("error child of %s", stanza.asXML()).isNotNull();
        return error.elements().get(0).getName();
    }
}
