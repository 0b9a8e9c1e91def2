package org.xmppcm.protocol.xml;

import java.util.Map;

/**
 * The opening tag of an XML stream (RFC 6120 section 4.7), as read by {@link XmlStreamFramer}.
 *
 * @param prefix the prefix of the root element name ({@code "stream"} for XMPP), "" when none
 * @param localName the local name, {@code "stream"} for XMPP
 * @param namespace the namespace URI of the root element
 * @param attributes unprefixed attributes by local name, plus prefixed ones by their qualified
 *        name ({@code "xml:lang"}); namespace declarations are not attributes here
 * @param namespaces namespace declarations on the root: prefix to URI, "" for the default namespace
 */
public record StreamOpen(String prefix, String localName, String namespace,
                         Map<String, String> attributes, Map<String, String> namespaces) {
    public StreamOpen {
        attributes = Map.copyOf(attributes);
        namespaces = Map.copyOf(namespaces);
    }

    /** An attribute's value, or null. */
    public String attribute(String name) {
        return attributes.get(name);
    }

    /**
     * The value of the attribute {@code localName} in {@code namespaceUri}, whatever prefix the header binds that
     * namespace to; null when absent.
     */
    public String attribute(String namespaceUri, String localName) {
        for (Map.Entry<String, String> declaration : namespaces.entrySet()) {
            if (!declaration.getKey().isEmpty() && declaration.getValue().equals(namespaceUri)) {
                String value = attributes.get(declaration.getKey() + ":" + localName);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }

    /** The default namespace the stream declares ({@code jabber:client}, ...), or null. */
    public String defaultNamespace() {
        return namespaces.get("");
    }
}
