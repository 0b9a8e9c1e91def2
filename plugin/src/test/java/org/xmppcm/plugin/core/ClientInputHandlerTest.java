package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StreamErrorCondition;

class ClientInputHandlerTest {
    private final RecordingChannel channel = new RecordingChannel();
    private final ClientOutput output = new ClientOutput(channel, "client a11ce004");
    private final List<String> routed = new ArrayList<>();
    private int sessionCloses;
    private boolean routerKnowsIt = true;
    private RuntimeException routerFailure;

    private final ClientInputHandler.Session session = new ClientInputHandler.Session() {
        @Override
        public boolean route(Element element) {
            if (routerFailure != null) {
                throw routerFailure;
            }
            routed.add(element.getName());
            return routerKnowsIt;
        }

        @Override
        public ClientOutput output() {
            return output;
        }

        @Override
        public void closeSession() {
            sessionCloses++;
        }

        @Override
        public String toString() {
            return "client a11ce004";
        }
    };

    private static Element parse(String xml) throws Exception {
        return XmlDom.parse(xml, null);
    }

    /** Verifies that SASL steps and stanzas go to Openfire's router. */
    @Test
    void saslStepsAndStanzasAreRouted() throws Exception {
        // Execute system under test.
        ClientInputHandler.handle(parse("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGFsaWNl</auth>"), session);
        ClientInputHandler.handle(parse("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>=</response>"), session);
        ClientInputHandler.handle(parse("<iq xmlns='jabber:client' type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>"), session);
        ClientInputHandler.handle(parse("<message xmlns='jabber:client' to='bob@example.test'><body>hi</body></message>"), session);
        ClientInputHandler.handle(parse("<presence xmlns='jabber:client'/>"), session);

        // Verify results.
        assertThat(routed).containsExactly("auth", "response", "iq", "message", "presence");
        assertThat(channel.closes).isEmpty();
        assertThat(sessionCloses).isZero();
    }

    /** Verifies that a SASL abort is answered with failure/aborted and never reaches the router. */
    @Test
    void abortIsAnsweredHere() throws Exception {
        ClientInputHandler.handle(parse("<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"), session);

        assertThat(routed).isEmpty();
        assertThat(channel.delivered)
                .containsExactly("<failure xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><aborted/></failure>");
    }

    /** Verifies that an element that is not a stanza ends the client's stream and closes its session. */
    @Test
    void unsupportedElementsEndTheStream() throws Exception {
        ClientInputHandler.handle(parse("<enable xmlns='urn:xmpp:sm:3'/>"), session);

        assertThat(routed).isEmpty();
        assertThat(channel.closes).containsExactly(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE);
        assertThat(sessionCloses).isOne();
    }

    /** Verifies that an element Openfire's router does not know ends the stream the same way. */
    @Test
    void elementsTheRouterDoesNotKnowEndTheStream() throws Exception {
        routerKnowsIt = false;

        ClientInputHandler.handle(parse("<iq xmlns='jabber:client' type='get' id='1'/>"), session);

        assertThat(channel.closes).containsExactly(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE);
        assertThat(sessionCloses).isOne();
    }

    /** Verifies that Openfire failing on one stanza leaves the session up. */
    @Test
    void aRouterFailureKeepsTheSession() throws Exception {
        routerFailure = new IllegalStateException("database down");

        ClientInputHandler.handle(parse("<message xmlns='jabber:client'/>"), session);

        assertThat(channel.closes).isEmpty();
        assertThat(sessionCloses).isZero();
    }

    /** Verifies that input still pending when the server ended the stream is dropped. */
    @Test
    void inputAfterAServerEndIsDropped() throws Exception {
        ClientInputHandler.end(StreamErrorCondition.POLICY_VIOLATION, session);

        ClientInputHandler.handle(parse("<message xmlns='jabber:client'><body>late</body></message>"), session);
        ClientInputHandler.handle(parse("<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"), session);

        assertThat(routed).isEmpty();
        assertThat(channel.delivered).isEmpty();
        assertThat(channel.closes).containsExactly(StreamErrorCondition.POLICY_VIOLATION);
    }

    /** Verifies that what a departed client sent before leaving is still routed (its last words count). */
    @Test
    void inputOfADepartedClientIsStillRouted() throws Exception {
        output.clientGone();

        ClientInputHandler.handle(parse("<presence xmlns='jabber:client' type='unavailable'/>"), session);

        assertThat(routed).containsExactly("presence");
    }
}
