package org.xmppcm.protocol.cm;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small forward-only XML writer for control elements: single-quoted attributes, every value and
 * text escaped through {@link XmlEscaping}, end tags matched automatically.
 *
 * <pre>
 *   new XmlWriter().start("iq").attr("type", "set").attr("id", "x")
 *       .start("session").xmlns(CM_PROTOCOL).attr("id", "SID").empty("close").end().end()
 *   -&gt; &lt;iq type='set' id='x'&gt;&lt;session xmlns='http://jabber.org/protocol/connectionmanager' id='SID'&gt;&lt;close/&gt;&lt;/session&gt;&lt;/iq&gt;
 * </pre>
 *
 * <p>A start tag stays open until content follows: {@link #end()} on an element without content
 * writes {@code <x/>}. {@link #raw} inserts already serialized XML verbatim; the caller vouches for it.
 * Not thread-safe; one instance per document.
 */
public final class XmlWriter {
    private final StringBuilder out;
    private final Deque<String> open = new ArrayDeque<>();
    private boolean inStartTag;

    public XmlWriter() {
        this(new StringBuilder(128));
    }

    /** Appends to {@code out}. */
    public XmlWriter(StringBuilder out) {
        this.out = out;
    }

    /** Opens an element; attributes may follow until content or {@link #end()}. */
    public XmlWriter start(String qualifiedName) {
        closeStartTag();
        out.append('<').append(qualifiedName);
        open.push(qualifiedName);
        inStartTag = true;
        return this;
    }

    /** An attribute of the element just opened. */
    public XmlWriter attr(String qualifiedName, String value) {
        if (!inStartTag) {
            throw new IllegalStateException("attribute " + qualifiedName + " outside a start tag");
        }
        out.append(' ').append(qualifiedName).append("='");
        XmlEscaping.appendAttribute(out, value);
        out.append('\'');
        return this;
    }

    /** An attribute only when {@code value} is not null. */
    public XmlWriter optAttr(String qualifiedName, String value) {
        return value == null ? this : attr(qualifiedName, value);
    }

    /** {@code xmlns='uri'} on the element just opened. */
    public XmlWriter xmlns(String uri) {
        return attr("xmlns", uri);
    }

    /** {@code xmlns:prefix='uri'} on the element just opened. */
    public XmlWriter xmlns(String prefix, String uri) {
        return attr("xmlns:" + prefix, uri);
    }

    /** Escaped character data. */
    public XmlWriter text(String text) {
        closeStartTag();
        XmlEscaping.appendText(out, text);
        return this;
    }

    /** Already serialized XML, inserted as is. */
    public XmlWriter raw(CharSequence xml) {
        closeStartTag();
        out.append(xml);
        return this;
    }

    /** {@code <name/>}. */
    public XmlWriter empty(String qualifiedName) {
        return start(qualifiedName).end();
    }

    /** {@code <name xmlns='uri'/>}. */
    public XmlWriter empty(String qualifiedName, String xmlns) {
        return start(qualifiedName).xmlns(xmlns).end();
    }

    /** {@code <name>text</name>}. */
    public XmlWriter textElement(String qualifiedName, String text) {
        return start(qualifiedName).text(text).end();
    }

    /** Closes the innermost open element. */
    public XmlWriter end() {
        String name = open.pop();
        if (inStartTag) {
            out.append("/>");
            inStartTag = false;
        } else {
            out.append("</").append(name).append('>');
        }
        return this;
    }

    /**
     * Leaves the innermost element's start tag complete but the element open, for a stream
     * header: {@code <stream:stream ...>} without an end tag.
     */
    public XmlWriter leaveOpen() {
        closeStartTag();
        open.pop();
        return this;
    }

    /** The XML written so far; every element must be closed (or left open on purpose). */
    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements: " + open);
        }
        return out.toString();
    }

    private void closeStartTag() {
        if (inStartTag) {
            out.append('>');
            inStartTag = false;
        }
    }
}
