package org.xmppcm.protocol.cm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Escaping and unescaping of XML character data, the one place in this package that knows the
 * rules. Every writer here ({@link XmlWriter}, {@link RouteCodec}) escapes through it, and the
 * route reader unescapes stock Openfire's text-form stanzas with it.
 *
 * <pre>
 *   text:       a &amp; b &lt; c &gt; d        ->  a &amp;amp; b &amp;lt; c &amp;gt; d
 *   attribute:  it's "q" &lt;x&gt;           ->  it&amp;apos;s &amp;quot;q&amp;quot; &amp;lt;x&amp;gt;
 *   unescape:   &amp;lt;success/&amp;gt; &amp;#xE9; &amp;#233;  ->  &lt;success/&gt; é é
 * </pre>
 *
 * <p>Tab and newline are escaped as character references in attribute values, and carriage
 * return everywhere, because an XML parser would otherwise normalize them (XML 1.0 sections 2.11
 * and 3.3.3) and the value read back would differ.
 *
 * <p>Unescaping knows the five predefined entities ({@code amp lt gt apos quot}) and decimal or
 * hexadecimal character references; anything else is rejected, as RFC 6120 section 11.1 forbids
 * other entity references on an XMPP stream. Control characters that XML 1.0 forbids are rejected
 * by the escapers too, so no writer here can emit a document a peer must refuse.
 */
public final class XmlEscaping {
    private XmlEscaping() {
    }

    /** Text content: escapes {@code & < >}; quotes stay literal (as Openfire writes them, 04). */
    public static String escapeText(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        appendText(out, text);
        return out.toString();
    }

    /** An attribute value for either quote style: escapes {@code & < > ' "}. */
    public static String escapeAttribute(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        appendAttribute(out, value);
        return out.toString();
    }

    /** Appends {@code text} escaped as character data. */
    public static void appendText(StringBuilder out, CharSequence text) {
        append(out, text, false);
    }

    /** Appends {@code value} escaped for use inside a quoted attribute value. */
    public static void appendAttribute(StringBuilder out, CharSequence value) {
        append(out, value, true);
    }

    private static void append(StringBuilder out, CharSequence s, boolean attribute) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\'' -> out.append(attribute ? "&apos;" : "'");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\t', '\n' -> {
                    if (attribute) {
                        // parsers normalize a literal tab or newline in an attribute value to a space
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
                case '\r' -> out.append("&#13;"); // a literal CR would be read back as LF
                default -> {
                    if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                        throw new IllegalArgumentException(
                                "character U+" + Integer.toHexString(c) + " is not allowed in XML 1.0");
                    }
                    out.append(c);
                }
            }
        }
    }

    /**
     * Resolves entity and character references in character data.
     *
     * @throws IllegalArgumentException on an unknown or unterminated reference, or a reference to a
     *         character XML 1.0 does not allow
     */
    public static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return new String(unescape(utf8, 0, utf8.length), StandardCharsets.UTF_8);
    }

    /**
     * Resolves entity and character references in the UTF-8 bytes {@code [from, to)}, returning new
     * UTF-8 bytes. Works on bytes directly: a reference is ASCII and no byte of a multibyte UTF-8
     * sequence is ASCII, so non-ASCII text passes through untouched and is never decoded.
     *
     * @throws IllegalArgumentException on an unknown or unterminated reference
     */
    public static byte[] unescape(byte[] utf8, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        int i = from;
        while (i < to) {
            byte b = utf8[i];
            if (b != '&') {
                int next = indexOf(utf8, (byte) '&', i, to);
                int end = next < 0 ? to : next;
                out.write(utf8, i, end - i);
                i = end;
                continue;
            }
            int semi = indexOf(utf8, (byte) ';', i + 1, Math.min(to, i + 12));
            if (semi < 0) {
                throw new IllegalArgumentException("unterminated reference at offset " + (i - from));
            }
            String name = new String(utf8, i + 1, semi - i - 1, StandardCharsets.US_ASCII);
            int codePoint = resolve(name);
            byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            out.write(encoded, 0, encoded.length);
            i = semi + 1;
        }
        return out.toByteArray();
    }

    private static int resolve(String name) {
        switch (name) {
            case "amp":
                return '&';
            case "lt":
                return '<';
            case "gt":
                return '>';
            case "apos":
                return '\'';
            case "quot":
                return '"';
            default:
                break;
        }
        if (name.length() >= 2 && name.charAt(0) == '#') {
            int cp;
            try {
                cp = name.charAt(1) == 'x'
                        ? Integer.parseInt(name.substring(2), 16)
                        : Integer.parseInt(name.substring(1), 10);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed character reference &" + name + ";");
            }
            if (!isXmlChar(cp)) {
                throw new IllegalArgumentException("character reference &" + name + "; is not an XML character");
            }
            return cp;
        }
        throw new IllegalArgumentException("unknown entity reference &" + name + ";");
    }

    /** XML 1.0 production [2] Char. */
    static boolean isXmlChar(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD
                || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD)
                || (cp >= 0x10000 && cp <= 0x10FFFF);
    }

    private static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
