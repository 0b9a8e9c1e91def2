package org.xmppcm.protocol.cm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import org.dom4j.Attribute;
import org.dom4j.Document;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.Node;
import org.dom4j.QName;
import org.dom4j.io.OutputFormat;
import org.dom4j.io.SAXReader;
import org.dom4j.io.XMLWriter;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Builds dom4j elements for control elements and server-side stanzas. Not for the CM data path.
 * Parsing is hardened: no DTD, no external entities.
 *
 * <p>A frame is parsed inside a synthetic wrapper element that re-declares what the stream header
 * declared, so names resolve exactly as they did on the stream:
 *
 * <pre>
 *   stream header:  &lt;stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:connectionmanager' ...&gt;
 *   frame bytes:    &lt;iq type="set" id="726-2"&gt;&lt;configuration xmlns="..."&gt;...&lt;/iq&gt;
 *   parsed as:      &lt;wrapper xmlns:stream='...' xmlns='jabber:connectionmanager'&gt;FRAME&lt;/wrapper&gt;
 *   result:         the iq element, in jabber:connectionmanager, detached from the wrapper
 * </pre>
 *
 * <p>The parser (the JDK's SAX parser through dom4j's {@link SAXReader}) refuses any DOCTYPE
 * ({@code disallow-doctype-decl}), never loads external entities or DTDs, and so never expands an
 * entity beyond the predefined ones. Readers are reused from a small pool, never kept per thread: this class also
 * runs on the threads of a host server (Openfire's, for a plugin), and a thread-local there would keep a reader, and
 * with it the class loader of a plugin that has been unloaded, for the life of that thread. The frame's bytes are only
 * read.
 */
public final class XmlDom {
    private static final String WRAPPER = "wrapper";
    /** Readers kept for reuse; more threads than this at once make a reader each and drop it after. */
    private static final int POOLED_READERS = 16;
    private static final ArrayBlockingQueue<SAXReader> READERS = new ArrayBlockingQueue<>(POOLED_READERS);

    private XmlDom() {
    }

    /**
     * Parses a frame in the scope of its stream header's namespace declarations, so an element
     * that inherits the stream's default namespace gets it.
     *
     * @param streamNamespaces prefix to URI as declared on the stream header, "" for the default
     *        namespace ({@link org.xmppcm.protocol.xml.StreamOpen#namespaces()})
     * @throws CmProtocolException {@code bad-request}/{@code invalid-payload} when the bytes are not
     *         one well-formed element
     */
    public static Element parse(StanzaFrame frame, Map<String, String> streamNamespaces) throws CmProtocolException {
        return parseWrapped(frame.bytes(), 0, frame.bytes().length, streamNamespaces);
    }

    /**
     * Parses standalone XML of one element, which declares its namespaces itself or inherits
     * {@code defaultNamespace} (null: no namespace). An XML declaration in front is skipped.
     *
     * @throws CmProtocolException {@code bad-request}/{@code invalid-payload} when the bytes are not
     *         one well-formed element
     */
    public static Element parse(byte[] xml, String defaultNamespace) throws CmProtocolException {
        int start = 0;
        if (TagScanner.startsWith(xml, TagScanner.skipWhitespace(xml, 0, xml.length), xml.length, "<?xml")) {
            int end = TagScanner.indexOf(xml, 0, xml.length, "?>");
            if (end < 0) {
                throw invalid("unterminated XML declaration", null);
            }
            start = end + 2;
        }
        Map<String, String> ns = defaultNamespace == null ? Map.of() : Map.of("", defaultNamespace);
        return parseWrapped(xml, start, xml.length, ns);
    }

    /**
     * Parses the XML of one element in the scope of the given namespace declarations (prefix to
     * URI, "" for the default namespace), as {@link #parse(StanzaFrame, Map)} does for a frame.
     */
    public static Element parseInScope(byte[] xml, Map<String, String> namespaces) throws CmProtocolException {
        return parseWrapped(xml, 0, xml.length, namespaces);
    }

    /** {@link #parse(byte[], String)} for a String. */
    public static Element parse(String xml, String defaultNamespace) throws CmProtocolException {
        return parse(xml.getBytes(StandardCharsets.UTF_8), defaultNamespace);
    }

    /**
     * Serializes an element with its namespace declared on it ({@code xmlns='jabber:client'} for
     * stanzas): the result stands on its own, whatever scope it is later written into. Empty
     * elements are written as {@code <x/>}, attributes in double quotes (dom4j's style, as Openfire).
     */
    public static String toXml(Element element) {
        OutputFormat format = OutputFormat.createCompactFormat();
        format.setSuppressDeclaration(true);
        format.setExpandEmptyElements(false);
        format.setTrimText(false);
        format.setNewlines(false);
        format.setIndent(false);
        format.setPadText(false);
        format.setEncoding("UTF-8");
        StringWriter out = new StringWriter(256);
        try {
            XMLWriter writer = new EscapingWriter(out, format);
            writer.setEscapeText(true);
            writer.write(copy(element, null, null));
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A deep copy of {@code element} in which every element in {@code fromNamespace} is moved to
     * {@code toNamespace} (same local name, no prefix). Used to put a stanza that inherited the
     * link's namespace back into {@code jabber:client}.
     */
    public static Element withNamespace(Element element, String fromNamespace, String toNamespace) {
        return copy(element, fromNamespace, toNamespace);
    }

    /**
     * Deep copy without namespace declaration nodes: dom4j's writer derives every declaration it
     * needs from element and attribute names, and a declaration node would only make it write
     * {@code <x xmlns='..'></x>} instead of {@code <x xmlns='..'/>}. (A prefix used only inside
     * attribute values is not preserved; XMPP has none.)
     */
    private static Element copy(Element element, String fromNamespace, String toNamespace) {
        QName name = fromNamespace != null && element.getNamespaceURI().equals(fromNamespace)
                ? QName.get(element.getName(), Namespace.get(toNamespace))
                : element.getQName();
        Element copy = DocumentHelper.createElement(name);
        for (Attribute attribute : element.attributes()) {
            copy.addAttribute(attribute.getQName(), attribute.getValue());
        }
        for (Node node : element.content()) {
            if (node instanceof Element child) {
                copy.add(copy(child, fromNamespace, toNamespace));
            } else if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                copy.addText(node.getText());
            }
        }
        return copy;
    }

    private static Element parseWrapped(byte[] xml, int from, int to, Map<String, String> namespaces)
            throws CmProtocolException {
        ByteArrayOutputStream doc = new ByteArrayOutputStream(to - from + 128);
        StringBuilder open = new StringBuilder(96).append('<').append(WRAPPER);
        for (Map.Entry<String, String> ns : new TreeMap<>(namespaces).entrySet()) {
            if ("xml".equals(ns.getKey())) {
                continue;
            }
            open.append(ns.getKey().isEmpty() ? " xmlns" : " xmlns:" + ns.getKey()).append("='");
            XmlEscaping.appendAttribute(open, ns.getValue());
            open.append('\'');
        }
        open.append('>');
        byte[] head = open.toString().getBytes(StandardCharsets.UTF_8);
        doc.write(head, 0, head.length);
        doc.write(xml, from, to - from);
        byte[] tail = ("</" + WRAPPER + ">").getBytes(StandardCharsets.US_ASCII);
        doc.write(tail, 0, tail.length);

        Document document;
        SAXReader reader = READERS.poll();
        if (reader == null) {
            reader = newReader();
        }
        try {
            InputSource source = new InputSource(new ByteArrayInputStream(doc.toByteArray()));
            source.setEncoding("UTF-8");
            document = reader.read(source);
        } catch (DocumentException e) {
            throw invalid("not well-formed: " + rootMessage(e), e);
        } finally {
            READERS.offer(reader);
        }
        Element wrapper = document.getRootElement();
        List<Element> children = wrapper.elements();
        if (children.size() != 1) {
            throw invalid(children.isEmpty() ? "no element" : "more than one element", null);
        }
        for (Node node : wrapper.content()) {
            if (node.getNodeType() == Node.TEXT_NODE && !node.getText().isBlank()) {
                throw invalid("text next to the element", null);
            }
        }
        Element element = children.get(0);
        element.detach();
        return element;
    }

    /** dom4j's writer with our escaping: its own leaves tab, newline and CR raw, which a parser would normalize. */
    private static final class EscapingWriter extends XMLWriter {
        EscapingWriter(StringWriter out, OutputFormat format) {
            super(out, format);
        }

        @Override
        protected String escapeElementEntities(String text) {
            return XmlEscaping.escapeText(text);
        }

        @Override
        protected String escapeAttributeEntities(String text) {
            return XmlEscaping.escapeAttribute(text);
        }
    }

    private static SAXReader newReader() {
        SAXReader reader = new SAXReader();
        try {
            reader.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            reader.setFeature("http://xml.org/sax/features/external-general-entities", false);
            reader.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            reader.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (SAXException e) {
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
        reader.setValidation(false);
        reader.setIncludeExternalDTDDeclarations(false);
        reader.setIncludeInternalDTDDeclarations(false);
        reader.setMergeAdjacentText(true);
        reader.setStripWhitespaceText(false);
        reader.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entity refused: " + systemId);
        });
        return reader;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : e.getMessage();
    }

    private static CmProtocolException invalid(String message, Throwable cause) {
        CmProtocolException e = new CmProtocolException(StanzaErrorCondition.BAD_REQUEST,
                CmErrorCondition.INVALID_PAYLOAD, message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
