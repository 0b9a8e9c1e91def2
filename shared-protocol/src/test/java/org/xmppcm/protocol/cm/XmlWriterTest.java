package org.xmppcm.protocol.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class XmlWriterTest {
    @Test
    void writesSingleQuotedEscapedAttributesAndEscapedText() {
        String xml = new XmlWriter().start("message").attr("to", "a'b").optAttr("from", null)
                .start("body").text("1 < 2 & 'x'").end().end().toString();
        assertThat(xml).isEqualTo("<message to='a&apos;b'><body>1 &lt; 2 &amp; 'x'</body></message>");
    }

    @Test
    void closesAnElementWithoutContentAsEmptyElementTag() {
        assertThat(new XmlWriter().start("iq").attr("id", "1").end().toString()).isEqualTo("<iq id='1'/>");
        assertThat(new XmlWriter().empty("bad-request", Namespaces.STANZAS).toString())
                .isEqualTo("<bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>");
    }

    @Test
    void writesAnEmptyTextElementAsStartAndEndTag() {
        assertThat(new XmlWriter().textElement("handshake", "").toString()).isEqualTo("<handshake></handshake>");
    }

    @Test
    void insertsRawXmlVerbatim() {
        assertThat(new XmlWriter().start("failed").raw("<message xmlns=\"jabber:client\"/>").end().toString())
                .isEqualTo("<failed><message xmlns=\"jabber:client\"/></failed>");
    }

    @Test
    void leavesAStreamHeaderOpen() {
        assertThat(new XmlWriter().start("stream:stream").xmlns("stream", Namespaces.STREAMS).leaveOpen().toString())
                .isEqualTo("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>");
    }

    @Test
    void refusesAttributesAfterContentAndUnclosedElements() {
        assertThatThrownBy(() -> new XmlWriter().start("a").text("x").attr("b", "c")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new XmlWriter().start("a").toString()).isInstanceOf(IllegalStateException.class);
    }
}
