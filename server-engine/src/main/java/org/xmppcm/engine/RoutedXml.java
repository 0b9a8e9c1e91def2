package org.xmppcm.engine;

import java.nio.charset.StandardCharsets;
import org.dom4j.Element;
import org.xmppcm.protocol.cm.CmProtocolException;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.XmlDom;

/** Reading back what we wrote to a link, for the rare stanza that must be given back to the host. */
final class RoutedXml {
    private RoutedXml() {
    }

    /**
     * The stanza a {@code <route>} we wrote carries, as a fresh element; null for anything else (a session IQ) or a
     * route that carries no element (SASL text).
     */
    static Element stanzaOf(String routeXml) {
        if (!routeXml.startsWith("<route")) {
            return null;
        }
        try {
            Element route = XmlDom.parse(routeXml.getBytes(StandardCharsets.UTF_8), Namespaces.CLIENT);
            return route.elements().isEmpty() ? null : route.elements().get(0).createCopy();
        } catch (CmProtocolException e) {
            return null;
        }
    }
}
