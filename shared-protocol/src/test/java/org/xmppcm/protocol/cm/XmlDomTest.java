package org.xmppcm.protocol.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.testing.TestFrames;
import org.xmppcm.protocol.testing.XmlTrees;
import org.xmppcm.protocol.xml.StanzaFrame;

class XmlDomTest {
    @Test
    void frameInheritsTheStreamsDefaultNamespace() throws Exception {
        StanzaFrame frame = TestFrames.of("<iq type=\"set\" id=\"726-2\"><configuration xmlns=\"http://jabber.org/protocol/connectionmanager\"/></iq>",
                XmlTrees.LINK_SCOPE);
        Element iq = XmlDom.parse(frame, XmlTrees.LINK_SCOPE);
        assertThat(iq.getNamespaceURI()).isEqualTo(Namespaces.CONNECTION_MANAGER);
        assertThat(iq.element("configuration").getNamespaceURI()).isEqualTo(Namespaces.CM_PROTOCOL);
        assertThat(iq.getParent()).isNull();
        assertThat(iq.getDocument()).isNull();
    }

    @Test
    void framePrefixesResolveThroughTheStreamHeader() throws Exception {
        StanzaFrame frame = TestFrames.of("<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>",
                XmlTrees.LINK_SCOPE);
        Element error = XmlDom.parse(frame, XmlTrees.LINK_SCOPE);
        assertThat(error.getNamespaceURI()).isEqualTo(Namespaces.STREAMS);
        assertThat(error.getName()).isEqualTo("error");
    }

    @Test
    void standaloneXmlTakesTheGivenDefaultNamespace() throws Exception {
        Element m = XmlDom.parse("<message to='b'><body>x</body></message>", Namespaces.CLIENT);
        assertThat(m.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(XmlDom.parse("<x/>", null).getNamespaceURI()).isEmpty();
    }

    @Test
    void standaloneXmlMayStartWithAnXmlDeclaration() throws Exception {
        Element e = XmlDom.parse("<?xml version='1.0' encoding='UTF-8'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'/>", null);
        assertThat(e.getNamespaceURI()).isEqualTo(Namespaces.STREAMS);
    }

    @Test
    void toXmlDeclaresTheElementsOwnNamespace() throws Exception {
        Element m = XmlDom.parse("<message to='b'><body>a &amp; b</body></message>", Namespaces.CLIENT);
        assertThat(XmlDom.toXml(m)).isEqualTo("<message xmlns=\"jabber:client\" to=\"b\"><body>a &amp; b</body></message>");
    }

    @Test
    void toXmlDeclaresInheritedPrefixesOfElementsAndAttributes() throws Exception {
        Element e = XmlDom.parseInScope("<iq p:a='1'><stream:error/><p:x/></iq>".getBytes(StandardCharsets.UTF_8),
                Map.of("", Namespaces.CLIENT, "p", "urn:p", "stream", Namespaces.STREAMS));
        String xml = XmlDom.toXml(e);
        assertThat(XmlTrees.canonical(xml, Map.of())).isEqualTo(XmlTrees.canonical(e));
    }

    @Test
    void toXmlOfADetachedStreamErrorCarriesXmlnsStream() throws Exception {
        Element close = XmlDom.parse("<close><stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></close>", Namespaces.CM_PROTOCOL);
        assertThat(XmlDom.toXml(close.elements().get(0))).isEqualTo("<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\">"
                + "<conflict xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>");
    }

    @Test
    void toXmlPreservesWhitespaceCharactersAParserWouldNormalize() throws Exception {
        Element m = XmlDom.parse("<m a='x&#10;y&#9;z&#13;' b=\"'&quot;\">line&#13;\nnext\tend ]]&gt;</m>", Namespaces.CLIENT);
        Element back = XmlDom.parse(XmlDom.toXml(m), Namespaces.CLIENT);
        assertThat(back.attributeValue("a")).isEqualTo("x\ny\tz\r");
        assertThat(back.attributeValue("b")).isEqualTo("'\"");
        assertThat(back.getText()).isEqualTo("line\r\nnext\tend ]]>");
    }

    @Test
    void withNamespaceMovesInheritedElementsOnly() throws Exception {
        Element m = XmlDom.parse("<message><body>x</body><x xmlns='vcard-temp:x:update'><photo/></x></message>", Namespaces.CM_PROTOCOL);
        Element moved = XmlDom.withNamespace(m, Namespaces.CM_PROTOCOL, Namespaces.CLIENT);
        assertThat(XmlDom.toXml(moved)).isEqualTo("<message xmlns=\"jabber:client\"><body>x</body>"
                + "<x xmlns=\"vcard-temp:x:update\"><photo/></x></message>");
    }

    @Test
    void refusesADoctype() {
        assertThatThrownBy(() -> XmlDom.parse("<!DOCTYPE x [<!ENTITY e 'boom'>]><x>&e;</x>", null))
                .isInstanceOfSatisfying(CmProtocolException.class, e -> {
                    assertThat(e.condition()).isEqualTo(StanzaErrorCondition.BAD_REQUEST);
                    assertThat(e.cmCondition()).isEqualTo(CmErrorCondition.INVALID_PAYLOAD);
                });
        assertThatThrownBy(() -> XmlDom.parse("<?xml version='1.0'?><!DOCTYPE x SYSTEM 'file:///etc/passwd'><x/>", null))
                .isInstanceOf(CmProtocolException.class);
    }

    @Test
    void refusesUndeclaredEntities() {
        assertThatThrownBy(() -> XmlDom.parse("<x>&xxe;</x>", null)).isInstanceOf(CmProtocolException.class);
    }

    @Test
    void refusesMalformedXmlAsInvalidPayload() {
        for (String bad : new String[] {"<a><b></a>", "<a>", "text", "", "<a/><b/>", "x<a/>", "<p:a/>"}) {
            assertThatThrownBy(() -> XmlDom.parse(bad, null)).as(bad)
                    .isInstanceOfSatisfying(CmProtocolException.class,
                            e -> assertThat(e.cmCondition()).isEqualTo(CmErrorCondition.INVALID_PAYLOAD));
        }
    }

    @Test
    void cannotEscapeTheWrapperWithACloseTag() {
        assertThatThrownBy(() -> XmlDom.parse("<a/></wrapper><wrapper>", null)).isInstanceOf(CmProtocolException.class);
    }
}
