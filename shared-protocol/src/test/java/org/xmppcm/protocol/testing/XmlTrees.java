package org.xmppcm.protocol.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.dom4j.Attribute;
import org.dom4j.Element;
import org.dom4j.Node;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.XmlDom;

/**
 * Compares XML by meaning: a canonical text form of a dom4j tree that keeps names (namespace URI +
 * local name), attribute values and text, and drops what serializers are free to vary: quote
 * style, attribute order, prefixes, where namespaces are declared, {@code <x></x>} versus
 * {@code <x/>}, and white space between child elements.
 *
 * <pre>
 *   &lt;iq type='result' id='1'/&gt;  and  &lt;iq id="1" type="result"&gt;&lt;/iq&gt;   both give
 *   {jabber:connectionmanager}iq id="1" type="result"
 * </pre>
 */
public final class XmlTrees {
    /** The scope of a CM link stream header. */
    public static final Map<String, String> LINK_SCOPE = Map.of("", Namespaces.CONNECTION_MANAGER, "stream", Namespaces.STREAMS);
    /** The scope of a client stream header. */
    public static final Map<String, String> CLIENT_SCOPE = Map.of("", Namespaces.CLIENT, "stream", Namespaces.STREAMS);

    private XmlTrees() {
    }

    /** Parses one element in the given scope; failures are assertion errors. */
    public static Element parse(byte[] xml, Map<String, String> scope) {
        try {
            return XmlDom.parseInScope(xml, scope);
        } catch (CmProtocolException e) {
            throw new AssertionError("not one well-formed element: " + new String(xml, StandardCharsets.UTF_8), e);
        }
    }

    public static Element parse(String xml, Map<String, String> scope) {
        return parse(xml.getBytes(StandardCharsets.UTF_8), scope);
    }

    /** Parses a whole document that may begin with an XML declaration (a stream header plus {@code </stream:stream>}). */
    public static Element parseDocument(String xml) {
        try {
            return XmlDom.parse(xml.getBytes(StandardCharsets.UTF_8), null);
        } catch (CmProtocolException e) {
            throw new AssertionError("not a well-formed document: " + xml, e);
        }
    }

    public static String canonical(String xml, Map<String, String> scope) {
        return canonical(parse(xml, scope));
    }

    /** The canonical form, one element per line, children indented. */
    public static String canonical(Element element) {
        StringBuilder out = new StringBuilder();
        write(element, 0, out);
        return out.toString();
    }

    private static void write(Element e, int depth, StringBuilder out) {
        out.append("  ".repeat(depth)).append('{').append(e.getNamespaceURI()).append('}').append(e.getName());
        List<Attribute> attributes = new ArrayList<>(e.attributes());
        attributes.sort(Comparator.comparing(Attribute::getNamespaceURI).thenComparing(Attribute::getName));
        for (Attribute a : attributes) {
            out.append(' ');
            if (!a.getNamespaceURI().isEmpty()) {
                out.append('{').append(a.getNamespaceURI()).append('}');
            }
            out.append(a.getName()).append("=\"").append(a.getValue()).append('"');
        }
        out.append('\n');
        boolean hasChildren = !e.elements().isEmpty();
        StringBuilder text = new StringBuilder();
        for (Node node : e.content()) {
            if (node instanceof Element child) {
                flushText(text, hasChildren, depth + 1, out);
                write(child, depth + 1, out);
            } else if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(node.getText());
            }
        }
        flushText(text, hasChildren, depth + 1, out);
    }

    private static void flushText(StringBuilder text, boolean mixed, int depth, StringBuilder out) {
        if (text.length() > 0 && !(mixed && text.toString().isBlank())) {
            out.append("  ".repeat(depth)).append('"').append(text).append("\"\n");
        }
        text.setLength(0);
    }
}
