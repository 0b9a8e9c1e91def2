package org.xmppcm.protocol.cm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A byte-level scanner over the tags of XML that is already framed: finds where an element name
 * ends, where a start tag ends (a {@code >} inside a quoted attribute value does not count), what a
 * start tag says (name, prefix, attributes, namespace declarations), and where an element ends
 * (matching end tags by depth). It never decodes text and never allocates per byte: it is the
 * data path's ruler, used by {@link RouteCodec} in both directions.
 *
 * <pre>
 *   &lt;message to='a&gt;b' type="chat"&gt;&lt;body&gt;x&lt;/body&gt;&lt;/message&gt;&lt;presence/&gt;
 *   ^        ^                     ^                           ^
 *   tagStart nameEnd               startTagEnd ('&gt;')          elementEnd (exclusive)
 * </pre>
 *
 * <p>Input is UTF-8; every delimiter the scanner looks for is ASCII, and no byte of a multibyte
 * UTF-8 sequence is ASCII, so non-ASCII names, values and text need no decoding. CDATA sections,
 * comments and processing instructions are skipped whole when tracking depth (the framer forbids
 * the latter two on the wire; the scanner is robust anyway). It checks tag nesting (end tag names
 * must match) but is not a validating parser: give it bytes a strict framer accepted, or bytes
 * that will be checked elsewhere. Offsets are absolute indexes into the array; nothing is copied
 * except what {@link #readStartTag} returns. Stateless and thread-safe.
 */
public final class TagScanner {
    private TagScanner() {
    }

    /**
     * What one start tag says.
     *
     * @param qualifiedName the name as written, {@code stream:error}
     * @param prefix the prefix, "" when none
     * @param localName the name without prefix
     * @param attributes every attribute in document order by qualified name, namespace
     *        declarations ({@code xmlns}, {@code xmlns:p}) included, values unescaped
     * @param end index just after the tag's {@code >}
     * @param emptyElement true for {@code <x/>}
     */
    public record StartTag(String qualifiedName, String prefix, String localName,
                           Map<String, String> attributes, int end, boolean emptyElement) {
        /** The value of {@code xmlns='...'} on this tag, or null. */
        public String defaultNamespaceDeclaration() {
            return attributes.get("xmlns");
        }

        /** The URI this tag itself binds {@code prefix} to ({@code ""} for the default namespace), or null. */
        public String declaration(String prefix) {
            return attributes.get(prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix);
        }

        public String attribute(String qualifiedName) {
            return attributes.get(qualifiedName);
        }
    }

    /** True for the XML white space bytes (space, tab, CR, LF). */
    public static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** The first index in {@code [from, limit)} that is not white space, or {@code limit}. */
    public static int skipWhitespace(byte[] b, int from, int limit) {
        int i = from;
        while (i < limit && isWhitespace(b[i])) {
            i++;
        }
        return i;
    }

    /**
     * The index just after the element name of the tag at {@code tagStart} (which holds {@code <};
     * for an end tag, {@code </}).
     *
     * @throws IllegalArgumentException when there is no name
     */
    public static int nameEnd(byte[] b, int tagStart, int limit) {
        int i = tagStart + 1;
        if (i < limit && b[i] == '/') {
            i++;
        }
        int nameStart = i;
        while (i < limit && !isWhitespace(b[i]) && b[i] != '/' && b[i] != '>' && b[i] != '<'
                && b[i] != '=' && b[i] != '"' && b[i] != '\'') {
            i++;
        }
        if (i == nameStart) {
            throw new IllegalArgumentException("no element name at offset " + tagStart);
        }
        return i;
    }

    /**
     * The index of the {@code >} that ends the start tag at {@code tagStart}, skipping quoted
     * attribute values; -1 when {@code limit} comes first.
     *
     * @throws IllegalArgumentException on a {@code <} outside quotes inside the tag
     */
    public static int startTagEnd(byte[] b, int tagStart, int limit) {
        int i = nameEnd(b, tagStart, limit);
        while (i < limit) {
            byte c = b[i];
            if (c == '>') {
                return i;
            }
            if (c == '"' || c == '\'') {
                int close = indexOf(b, c, i + 1, limit);
                if (close < 0) {
                    return -1;
                }
                i = close + 1;
                continue;
            }
            if (c == '<') {
                throw new IllegalArgumentException("'<' inside a tag at offset " + i);
            }
            i++;
        }
        return -1;
    }

    /**
     * Reads the start tag at {@code tagStart}.
     *
     * @throws IllegalArgumentException when it is not a complete, well-formed start tag
     */
    public static StartTag readStartTag(byte[] b, int tagStart, int limit) {
        return readStartTag(b, tagStart, limit, false);
    }

    /**
     * Like {@link #readStartTag(byte[], int, int)}, but when {@code declarationsOnly} the returned
     * attributes hold only the namespace declarations ({@code xmlns}, {@code xmlns:p}): the other
     * values are checked for syntax and skipped, not decoded. For the data path, which needs a
     * stanza's name and namespace, not its addresses.
     */
    public static StartTag readStartTag(byte[] b, int tagStart, int limit, boolean declarationsOnly) {
        if (tagStart >= limit || b[tagStart] != '<' || tagStart + 1 >= limit || b[tagStart + 1] == '/'
                || b[tagStart + 1] == '!' || b[tagStart + 1] == '?') {
            throw new IllegalArgumentException("no start tag at offset " + tagStart);
        }
        int nameEnd = nameEnd(b, tagStart, limit);
        String qname = utf8(b, tagStart + 1, nameEnd);
        Map<String, String> attributes = new LinkedHashMap<>();
        int i = nameEnd;
        while (true) {
            int ws = i;
            i = skipWhitespace(b, i, limit);
            if (i >= limit) {
                throw new IllegalArgumentException("unterminated start tag <" + qname);
            }
            if (b[i] == '>') {
                return startTag(qname, attributes, i + 1, false);
            }
            if (b[i] == '/') {
                if (i + 1 < limit && b[i + 1] == '>') {
                    return startTag(qname, attributes, i + 2, true);
                }
                throw new IllegalArgumentException("stray '/' in start tag <" + qname);
            }
            if (i == ws) {
                throw new IllegalArgumentException("attributes of <" + qname + "> not separated by white space");
            }
            int attrNameStart = i;
            while (i < limit && !isWhitespace(b[i]) && b[i] != '=' && b[i] != '>' && b[i] != '/'
                    && b[i] != '<' && b[i] != '"' && b[i] != '\'') {
                i++;
            }
            if (i == attrNameStart) {
                throw new IllegalArgumentException("malformed attribute in <" + qname + ">");
            }
            boolean wanted = !declarationsOnly || isNamespaceDeclaration(b, attrNameStart, i);
            String attrName = wanted ? utf8(b, attrNameStart, i) : null;
            i = skipWhitespace(b, i, limit);
            if (i >= limit || b[i] != '=') {
                throw new IllegalArgumentException("attribute " + attrName + " without value in <" + qname + ">");
            }
            i = skipWhitespace(b, i + 1, limit);
            if (i >= limit || (b[i] != '"' && b[i] != '\'')) {
                throw new IllegalArgumentException("unquoted value of " + attrName + " in <" + qname + ">");
            }
            int close = indexOf(b, b[i], i + 1, limit);
            if (close < 0) {
                throw new IllegalArgumentException("unterminated value of " + attrName + " in <" + qname + ">");
            }
            if (indexOf(b, (byte) '<', i + 1, close) >= 0) {
                throw new IllegalArgumentException("'<' in the value of " + attrName + " in <" + qname + ">");
            }
            if (wanted) {
                String value = new String(XmlEscaping.unescape(b, i + 1, close), StandardCharsets.UTF_8);
                if (attributes.put(attrName, value) != null) {
                    throw new IllegalArgumentException("duplicate attribute " + attrName + " in <" + qname + ">");
                }
            }
            i = close + 1;
        }
    }

    /** {@code xmlns} or {@code xmlns:...} in {@code [from, to)}. */
    private static boolean isNamespaceDeclaration(byte[] b, int from, int to) {
        int length = to - from;
        if (length < 5 || b[from] != 'x' || b[from + 1] != 'm' || b[from + 2] != 'l' || b[from + 3] != 'n'
                || b[from + 4] != 's') {
            return false;
        }
        return length == 5 || b[from + 5] == ':';
    }

    private static StartTag startTag(String qname, Map<String, String> attributes, int end, boolean empty) {
        int colon = qname.indexOf(':');
        String prefix = colon < 0 ? "" : qname.substring(0, colon);
        String local = colon < 0 ? qname : qname.substring(colon + 1);
        if (colon == 0 || local.isEmpty() || local.indexOf(':') >= 0) {
            throw new IllegalArgumentException("malformed qualified name " + qname);
        }
        return new StartTag(qname, prefix, local, Collections.unmodifiableMap(attributes), end, empty);
    }

    /**
     * The index just after the end of the element whose start tag is at {@code tagStart}: after its
     * {@code />} or after its matching end tag. Tracks depth over start, end and empty-element
     * tags, so nested elements of the same name are handled; skips quoted attribute values, CDATA
     * sections, comments and processing instructions.
     *
     * @return the exclusive end index, or -1 when the element does not end before {@code limit}
     * @throws IllegalArgumentException on a mismatched end tag, a DOCTYPE or another malformed tag
     */
    public static int elementEnd(byte[] b, int tagStart, int limit) {
        if (tagStart >= limit || b[tagStart] != '<') {
            throw new IllegalArgumentException("no start tag at offset " + tagStart);
        }
        int[] nameStarts = new int[8];
        int[] nameEnds = new int[8];
        int depth = 0;
        int i = tagStart;
        while (true) {
            int lt = depth == 0 ? i : indexOf(b, (byte) '<', i, limit);
            if (lt < 0 || lt + 1 >= limit) {
                return -1;
            }
            byte next = b[lt + 1];
            if (next == '/') {
                if (depth == 0) {
                    throw new IllegalArgumentException("end tag where a start tag was expected at offset " + lt);
                }
                int nameEnd = nameEnd(b, lt, limit);
                int gt = skipWhitespace(b, nameEnd, limit);
                if (gt >= limit) {
                    return -1;
                }
                if (b[gt] != '>') {
                    throw new IllegalArgumentException("malformed end tag at offset " + lt);
                }
                depth--;
                if (!Arrays.equals(b, lt + 2, nameEnd, b, nameStarts[depth], nameEnds[depth])) {
                    throw new IllegalArgumentException("end tag </" + utf8(b, lt + 2, nameEnd) + "> does not match <"
                            + utf8(b, nameStarts[depth], nameEnds[depth]) + ">");
                }
                if (depth == 0) {
                    return gt + 1;
                }
                i = gt + 1;
            } else if (next == '!' || next == '?') {
                if (depth == 0) {
                    throw new IllegalArgumentException("no start tag at offset " + lt);
                }
                int after = skipMarkup(b, lt, limit);
                if (after < 0) {
                    return -1;
                }
                i = after;
            } else {
                int gt = startTagEnd(b, lt, limit);
                if (gt < 0) {
                    return -1;
                }
                if (b[gt - 1] == '/') {
                    if (depth == 0) {
                        return gt + 1;
                    }
                } else {
                    if (depth == nameStarts.length) {
                        nameStarts = Arrays.copyOf(nameStarts, depth * 2);
                        nameEnds = Arrays.copyOf(nameEnds, depth * 2);
                    }
                    nameStarts[depth] = lt + 1;
                    nameEnds[depth] = nameEnd(b, lt, limit);
                    depth++;
                }
                i = gt + 1;
            }
        }
    }

    /** Skips {@code <![CDATA[..]]>}, {@code <!--..-->} or {@code <?..?>} at {@code lt}; -1 when incomplete. */
    private static int skipMarkup(byte[] b, int lt, int limit) {
        if (startsWith(b, lt, limit, "<![CDATA[")) {
            int end = indexOf(b, lt + 9, limit, "]]>");
            return end < 0 ? -1 : end + 3;
        }
        if (startsWith(b, lt, limit, "<!--")) {
            int end = indexOf(b, lt + 4, limit, "-->");
            return end < 0 ? -1 : end + 3;
        }
        if (b[lt + 1] == '?') {
            int end = indexOf(b, lt + 2, limit, "?>");
            return end < 0 ? -1 : end + 2;
        }
        if (limit - lt < 9) {
            return -1;
        }
        throw new IllegalArgumentException("markup declaration (DOCTYPE?) not allowed at offset " + lt);
    }

    /** True when the bytes at {@code at} are the ASCII string {@code s}. */
    public static boolean startsWith(byte[] b, int at, int limit, String s) {
        if (limit - at < s.length()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (b[at + k] != (byte) s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The first index of the ASCII string {@code s} in {@code [from, limit)}, or -1. */
    public static int indexOf(byte[] b, int from, int limit, String s) {
        for (int i = from; i + s.length() <= limit; i++) {
            if (startsWith(b, i, limit, s)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, byte value, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}
