package org.xmppcm.protocol.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XmlEscapingTest {
    @Test
    void textEscapesAmpersandAndAngleBracketsButKeepsQuotes() {
        // as Openfire writes the m1 body in 04: &amp; &lt; &gt; kept, quotes literal
        assertThat(XmlEscaping.escapeText("Hello Bob & <friends> 'q' \"dq\" ü€"))
                .isEqualTo("Hello Bob &amp; &lt;friends&gt; 'q' \"dq\" ü€");
    }

    @Test
    void attributeEscapesBothQuoteStyles() {
        assertThat(XmlEscaping.escapeAttribute("it's \"x\" <a&b>")).isEqualTo("it&apos;s &quot;x&quot; &lt;a&amp;b&gt;");
    }

    @Test
    void attributeKeepsTabsAndNewlinesAsCharacterReferences() {
        assertThat(XmlEscaping.escapeAttribute("a\tb\nc")).isEqualTo("a&#9;b&#10;c");
        assertThat(XmlEscaping.escapeText("a\tb\nc")).isEqualTo("a\tb\nc");
    }

    @Test
    void carriageReturnIsAlwaysACharacterReferenceSoItIsNotReadBackAsNewline() {
        assertThat(XmlEscaping.escapeText("a\r\nb")).isEqualTo("a&#13;\nb");
        assertThat(XmlEscaping.escapeAttribute("a\rb")).isEqualTo("a&#13;b");
    }

    @Test
    void escapingRefusesCharactersXmlCannotCarry() {
        assertThatThrownBy(() -> XmlEscaping.escapeText("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmlEscaping.escapeAttribute("\u0007")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unescapeResolvesThePredefinedEntities() {
        assertThat(XmlEscaping.unescape("&lt;a b=&quot;c&apos;&quot;&gt;&amp;&lt;/a&gt;")).isEqualTo("<a b=\"c'\">&</a>");
    }

    @Test
    void unescapeResolvesDecimalAndHexCharacterReferences() {
        assertThat(XmlEscaping.unescape("&#233;&#xE9;&#x1F600;&#10;")).isEqualTo("éé\uD83D\uDE00\n");
    }

    @Test
    void unescapeResolvesOneLevelOnly() {
        assertThat(XmlEscaping.unescape("&amp;lt;")).isEqualTo("&lt;");
    }

    @Test
    void unescapeRefusesUnknownMalformedAndForbiddenReferences() {
        assertThatThrownBy(() -> XmlEscaping.unescape("&nbsp;")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmlEscaping.unescape("a & b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmlEscaping.unescape("&#xZZ;")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmlEscaping.unescape("&#0;")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmlEscaping.unescape("&#xD800;")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmlEscaping.unescape("&amp")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void byteUnescapePassesMultibyteUtf8ThroughUntouched() {
        byte[] in = "x ü€ &lt;😀&gt; y".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(XmlEscaping.unescape(in, 2, in.length - 2), StandardCharsets.UTF_8)).isEqualTo("ü€ <😀>");
    }

    @Test
    void escapeThenUnescapeIsIdentity() {
        String s = "<route streamid='x'>&amp; \"ü\"</route>\t";
        assertThat(XmlEscaping.unescape(XmlEscaping.escapeAttribute(s))).isEqualTo(s);
        assertThat(XmlEscaping.unescape(XmlEscaping.escapeText(s))).isEqualTo(s);
    }
}
