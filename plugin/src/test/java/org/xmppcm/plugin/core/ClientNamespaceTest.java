package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.XmlDom;

class ClientNamespaceTest {

    /** A stanza built the way Openfire's packet classes build one: in no namespace, payloads in their own. */
    private static Element openfireMessage() {
        final Element message = DocumentHelper.createElement("message");
        message.addAttribute("to", "bob@example.test/cm4");
        message.addAttribute("from", "alice@example.test/cm4");
        message.addElement("body").setText("Grüße & <tags>");
        final Element x = message.addElement(QName.get("x", "vcard-temp:x:update"));
        x.addElement("photo");
        return message;
    }

    /** Verifies that the stanza and its inheriting children move to jabber:client and serialize with one xmlns. */
    @Test
    void stanzaGetsJabberClient() {
        // Execute system under test.
        final Element client = ClientNamespace.toClient(openfireMessage());

        // Verify results.
        assertThat(client.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(client.element("body").getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(XmlDom.toXml(client)).isEqualTo("<message xmlns=\"jabber:client\" to=\"bob@example.test/cm4\""
                + " from=\"alice@example.test/cm4\"><body>Grüße &amp; &lt;tags&gt;</body>"
                + "<x xmlns=\"vcard-temp:x:update\"><photo/></x></message>");
    }

    /** Verifies that payload children inherit their payload's namespace, not jabber:client. */
    @Test
    void payloadChildrenKeepTheirNamespace() {
        final Element client = ClientNamespace.toClient(openfireMessage());

        final Element x = client.element(QName.get("x", "vcard-temp:x:update"));
        assertThat(x.element(QName.get("photo", "vcard-temp:x:update"))).isNotNull();
    }

    /** Verifies that an element that explicitly left every namespace inside a payload stays out of jabber:client. */
    @Test
    void explicitNoNamespaceInsideAPayloadStays() {
        // Setup test fixture: <iq><query xmlns='urn:example'><item xmlns=''/></query></iq>
        final Element iq = DocumentHelper.createElement("iq");
        iq.addElement(QName.get("query", "urn:example")).add(DocumentHelper.createElement("item"));

        // Execute system under test.
        final Element client = ClientNamespace.toClient(iq);

        // Verify results.
        assertThat(client.element(QName.get("query", "urn:example")).elements().get(0).getNamespaceURI()).isEmpty();
    }

    /** Verifies that a stanza already in jabber:client is copied as is, and the source is never modified. */
    @Test
    void clientStanzasAreCopiedAndTheSourceIsUntouched() {
        final Element source = DocumentHelper.createElement(QName.get("presence", Namespaces.CLIENT));
        source.addElement("status").setText("away");
        final String before = source.asXML();

        final Element copy = ClientNamespace.toClient(source);

        assertThat(copy).isNotSameAs(source);
        assertThat(copy.getParent()).isNull();
        assertThat(XmlDom.toXml(copy)).isEqualTo("<presence xmlns=\"jabber:client\"><status>away</status></presence>");
        assertThat(source.asXML()).isEqualTo(before);
    }
}
