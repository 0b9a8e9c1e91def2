package org.xmppcm.protocol.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TagScannerTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nameEndsAtWhitespaceSlashOrAngleBracket() {
        assertThat(TagScanner.nameEnd(b("<message to='x'>"), 0, 16)).isEqualTo(8);
        assertThat(TagScanner.nameEnd(b("<presence/>"), 0, 11)).isEqualTo(9);
        assertThat(TagScanner.nameEnd(b("<iq>"), 0, 4)).isEqualTo(3);
        assertThat(TagScanner.nameEnd(b("</stream:error>"), 0, 15)).isEqualTo(14);
    }

    @Test
    void startTagEndSkipsAngleBracketsInsideQuotedValues() {
        byte[] x = b("<message to='a>b' id=\"/>\">rest");
        assertThat(TagScanner.startTagEnd(x, 0, x.length)).isEqualTo(25);
    }

    @Test
    void startTagEndReportsAnIncompleteTag() {
        byte[] x = b("<message to='a>b");
        assertThat(TagScanner.startTagEnd(x, 0, x.length)).isEqualTo(-1);
    }

    @Test
    void readsNamePrefixAttributesAndDeclarations() {
        byte[] x = b("<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\" a='&lt;&amp;'/>");
        TagScanner.StartTag tag = TagScanner.readStartTag(x, 0, x.length);
        assertThat(tag.qualifiedName()).isEqualTo("stream:error");
        assertThat(tag.prefix()).isEqualTo("stream");
        assertThat(tag.localName()).isEqualTo("error");
        assertThat(tag.declaration("stream")).isEqualTo(Namespaces.STREAMS);
        assertThat(tag.defaultNamespaceDeclaration()).isNull();
        assertThat(tag.attribute("a")).isEqualTo("<&");
        assertThat(tag.emptyElement()).isTrue();
        assertThat(tag.end()).isEqualTo(x.length);
    }

    @Test
    void readsMultibyteAttributeValues() {
        byte[] x = b("<m a = \"ü€😀\" >");
        TagScanner.StartTag tag = TagScanner.readStartTag(x, 0, x.length);
        assertThat(tag.attribute("a")).isEqualTo("ü€😀");
        assertThat(tag.emptyElement()).isFalse();
    }

    @Test
    void refusesMalformedStartTags() {
        for (String bad : new String[] {"<a b>", "<a b='1'c='2'>", "<a b=1>", "<a b='1' b='2'>", "</a>", "<a b='<'>", "<:a>", "<a"}) {
            byte[] x = b(bad);
            assertThatThrownBy(() -> TagScanner.readStartTag(x, 0, x.length)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void elementEndOfAnEmptyElementTag() {
        byte[] x = b("<presence xmlns='jabber:client'/><iq/>");
        assertThat(TagScanner.elementEnd(x, 0, x.length)).isEqualTo(33);
    }

    @Test
    void elementEndTracksDepthOverNestedElementsOfTheSameName() {
        String first = "<message><message><message/></message><body>x</body></message>";
        byte[] x = b(first + "<message/>");
        assertThat(TagScanner.elementEnd(x, 0, x.length)).isEqualTo(first.length());
    }

    @Test
    void elementEndIgnoresTagLookalikesInAttributesAndCdata() {
        String first = "<a x='/a>' y=\"b/>\"><![CDATA[</a><a>]]><!-- </a> --><?pi </a>?></a>";
        byte[] x = b(first + "tail");
        assertThat(TagScanner.elementEnd(x, 0, x.length)).isEqualTo(first.length());
    }

    @Test
    void elementEndCountsBytesNotCharacters() {
        String first = "<body>ü€😀</body>";
        byte[] x = b(first + "<x/>");
        assertThat(TagScanner.elementEnd(x, 0, x.length)).isEqualTo(first.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void elementEndReportsIncompleteElements() {
        byte[] x = b("<a><b></b>");
        assertThat(TagScanner.elementEnd(x, 0, x.length)).isEqualTo(-1);
    }

    @Test
    void elementEndRefusesMismatchedEndTagsAndDoctypes() {
        byte[] mismatched = b("<a><b></a></b>");
        assertThatThrownBy(() -> TagScanner.elementEnd(mismatched, 0, mismatched.length))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
        byte[] doctype = b("<a><!DOCTYPE a [<!ENTITY e 'x'>]></a>");
        assertThatThrownBy(() -> TagScanner.elementEnd(doctype, 0, doctype.length)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void elementEndToleratesWhitespaceInEndTags() {
        byte[] x = b("<a><b></b ></a\n>");
        assertThat(TagScanner.elementEnd(x, 0, x.length)).isEqualTo(x.length);
    }

    @Test
    void readsOnlyTheNamespaceDeclarationsWhenThatIsAllTheCallerNeeds() {
        byte[] tag = "<message to='a&amp;b' xmlns='jabber:client' xmlns:x='urn:x' id=\"1\">".getBytes(StandardCharsets.UTF_8);
        TagScanner.StartTag start = TagScanner.readStartTag(tag, 0, tag.length, true);
        assertThat(start.localName()).isEqualTo("message");
        assertThat(start.attributes()).containsOnlyKeys("xmlns", "xmlns:x");
        assertThat(start.declaration("x")).isEqualTo("urn:x");
        assertThat(start.end()).isEqualTo(tag.length);
    }

    @Test
    void stillRefusesABrokenTagWhenReadingOnlyDeclarations() {
        byte[] tag = "<message to='unterminated>".getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TagScanner.readStartTag(tag, 0, tag.length, true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
