package org.xmppcm.protocol.cm;

import java.util.Map;
import org.dom4j.Element;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Builds dom4j elements for control elements and server-side stanzas. Not for the CM data path.
 * Parsing is hardened: no DTD, no external entities.
 */
public final class XmlDom {
    private XmlDom() {
    }

    /**
     * Parses a frame in the scope of its stream header's namespace declarations, so an element
     * that inherits the stream's default namespace gets it.
     */
    public static Element parse(StanzaFrame frame, Map<String, String> streamNamespaces) throws CmProtocolException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Parses standalone XML of one element, which declares its namespaces itself or inherits {@code defaultNamespace}. */
    public static Element parse(byte[] xml, String defaultNamespace) throws CmProtocolException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Serializes an element with its namespace declared on it ({@code xmlns='jabber:client'} for stanzas). */
    public static String toXml(Element element) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
