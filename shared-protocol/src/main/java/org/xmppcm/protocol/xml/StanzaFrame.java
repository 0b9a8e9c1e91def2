package org.xmppcm.protocol.xml;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * One complete top-level element of an XML stream (a stanza, or a stream-level element such as
 * {@code <stream:features/>}, {@code <handshake/>}, {@code <route/>}), exactly as it was on the wire.
 *
 * <pre>
 *   wire:   ...&lt;message to='b'&gt;&lt;body&gt;hi&lt;/body&gt;&lt;/message&gt;...
 *           |&lt;-------------- bytes() ---------------&gt;|
 *           |&lt;-contentStart--&gt;|         |&lt;contentEnd
 * </pre>
 *
 * <p>Ownership: {@link #bytes()} is a private copy made by the framer; the receiver owns it and the
 * framer never touches it again. Callers must not modify it (records cannot enforce that).
 *
 * @param bytes the exact UTF-8 bytes of the element, start tag to end tag inclusive
 * @param prefix the element's prefix, "" when none
 * @param localName the element's local name
 * @param namespace the element's resolved namespace URI ("" when in no namespace)
 * @param attributes attributes by qualified name as written ({@code "xml:lang"}, {@code "to"})
 * @param declaresDefaultNamespace true when the start tag itself carries {@code xmlns='...'}
 * @param inheritedPrefixes prefixes used anywhere in the element (element or attribute names)
 *        that are declared only on the stream header, not inside the element; {@code xml} never counts
 * @param contentStart offset in {@code bytes} just after the start tag's {@code >}
 *        (equal to {@code bytes.length} for an empty-element tag)
 * @param contentEnd offset in {@code bytes} of the end tag's {@code <}
 *        (equal to {@code bytes.length} for an empty-element tag)
 */
public record StanzaFrame(byte[] bytes, String prefix, String localName, String namespace,
                          Map<String, String> attributes, boolean declaresDefaultNamespace,
                          Set<String> inheritedPrefixes, int contentStart, int contentEnd) {
    public StanzaFrame {
        attributes = Map.copyOf(attributes);
        inheritedPrefixes = Set.copyOf(inheritedPrefixes);
    }

    /** An attribute's value, or null. */
    public String attribute(String qualifiedName) {
        return attributes.get(qualifiedName);
    }

    /** True when this element has the given local name and namespace. */
    public boolean is(String name, String ns) {
        return localName.equals(name) && namespace.equals(ns);
    }

    /** The element as text, for logging and for the rare control element. */
    public String asString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "StanzaFrame[" + asString() + "]";
    }
}
