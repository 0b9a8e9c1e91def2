package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/** Raw text as stock Openfire 5.1.1 writes it (unescaped from the transcripts it appears in). */
class RawTextTest {

    /** Verifies that a SASL success without data (04-plain-bind-message-close.txt) becomes one element. */
    @Test
    void saslSuccessBecomesAnElement() {
        // Execute system under test.
        final RawText.Translation translation = RawText.translate(
                "<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");

        // Verify results.
        assertThat(translation.deliver()).hasSize(1);
        final Element success = translation.deliver().get(0);
        assertThat(success.getQName().getNamespaceURI()).isEqualTo(Namespaces.SASL);
        assertThat(success.getName()).isEqualTo("success");
        assertThat(success.getParent()).isNull();
        assertThat(translation.endStream()).isNull();
        assertThat(XmlDom.toXml(success)).isEqualTo("<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
    }

    /** Verifies that a SCRAM challenge and a success with data (05-scram-sha1.txt) keep their text exactly. */
    @Test
    void saslChallengeAndSuccessKeepTheirData() {
        final String challenge = "cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0w5Y2Q1Y2ZhNS03NTVmLTRiZTUtYTQ2Yi1jMGQ2YjZjNjc3OWMscz"
                + "1UWStwWXdiVEM1MDZOaDhBT3FnTGFmRG5CZzBNZlMwRixpPTQwOTY=";

        assertThat(RawText.translate("<challenge xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">" + challenge
                + "</challenge>").deliver().get(0).getText()).isEqualTo(challenge);
        assertThat(RawText.translate("<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">"
                + "dj1KNEJTeDY1SFpCWWNHT3cwWjNPUmRSQ01pRHM9</success>").deliver().get(0).getText())
                .isEqualTo("dj1KNEJTeDY1SFpCWWNHT3cwWjNPUmRSQ01pRHM9");
    }

    /** Verifies that a SASL failure keeps its condition child in the SASL namespace. */
    @Test
    void saslFailureKeepsItsCondition() {
        final Element failure = RawText.translate(
                "<failure xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><not-authorized/></failure>").deliver().get(0);

        assertThat(failure.getName()).isEqualTo("failure");
        assertThat(failure.elements()).singleElement().satisfies(condition -> {
            assertThat(condition.getName()).isEqualTo("not-authorized");
            assertThat(condition.getNamespaceURI()).isEqualTo(Namespaces.SASL);
        });
    }

    /** Verifies that the resource-conflict stream error (08-server-initiated-close.txt) ends the stream. */
    @Test
    void conflictStreamErrorEndsTheStream() {
        final RawText.Translation translation = RawText.translate("<stream:error xmlns:stream=\"http://etherx.jabber"
                + ".org/streams\"><conflict xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>");

        assertThat(translation.deliver()).isEmpty();
        assertThat(translation.endStream()).isEqualTo(StreamErrorCondition.CONFLICT);
    }

    /** Verifies that a stream error whose prefix is not declared in the text still parses, as on a client stream. */
    @Test
    void undeclaredStreamPrefixParses() {
        assertThat(RawText.translate("<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Do not send invalid stanza</text></stream:error>")
                .endStream()).isEqualTo(StreamErrorCondition.NOT_AUTHORIZED);
    }

    /** Verifies that a stanza written as text without xmlns lands in jabber:client, children included. */
    @Test
    void stanzaWithoutXmlnsIsInJabberClient() {
        final Element message = RawText.translate("<message to='a@example.test'><body>hi</body></message>")
                .deliver().get(0);

        assertThat(message.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
        assertThat(message.element("body").getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
    }

    /** Verifies that elements before a stream error are delivered first, and nothing after it is. */
    @Test
    void orderIsKeptAndNothingFollowsTheError() {
        final RawText.Translation translation = RawText.translate("<presence type='unavailable'/> "
                + "<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
                + "<message><body>late</body></message></stream:stream>");

        assertThat(translation.deliver()).extracting(Element::getName).containsExactly("presence");
        assertThat(translation.endStream()).isEqualTo(StreamErrorCondition.SYSTEM_SHUTDOWN);
    }

    /** Verifies that whitespace, an empty string, null and a lone stream end translate to nothing. */
    @Test
    void nothingToTranslate() {
        for (String text : new String[] {null, "", " ", "\n", "</stream:stream>", " </stream:stream> "}) {
            final RawText.Translation translation = RawText.translate(text);
            assertThat(translation.deliver()).as(String.valueOf(text)).isEmpty();
            assertThat(translation.endStream()).isNull();
            assertThat(translation.ignored()).isEmpty();
        }
    }

    /** Verifies that elements that are neither stanzas nor SASL replies are reported, not forwarded. */
    @Test
    void otherElementsAreIgnoredAndNamed() {
        final RawText.Translation translation = RawText.translate("<r xmlns='urn:xmpp:sm:3'/><success "
                + "xmlns='urn:xmpp:sasl:2'/><challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>=</challenge>");

        assertThat(translation.deliver()).extracting(Element::getName).containsExactly("challenge");
        assertThat(translation.ignored()).containsExactly("{urn:xmpp:sm:3}r", "{urn:xmpp:sasl:2}success");
    }

    /** Verifies that text that is not whole elements is refused rather than forwarded as text. */
    @Test
    void partialOrForeignTextIsRefused() {
        for (String text : new String[] {
                "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>",
                "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>", "plain words", "<a/>stray<b/>",
                "</raw-text><x/><raw-text>", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"}) {
            assertThatThrownBy(() -> RawText.translate(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
