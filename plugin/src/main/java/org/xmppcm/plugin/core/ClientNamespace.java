package org.xmppcm.plugin.core;

import org.dom4j.Attribute;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.Node;
import org.dom4j.QName;
import org.xmppcm.protocol.cm.Namespaces;

/**
 * Puts a stanza Openfire built into {@code jabber:client}. Openfire's packet classes (Tinder) build stanzas in no
 * namespace, so serialized as they are they would inherit {@code jabber:connectionmanager} inside a {@code <route>}
 * (what stock Openfire does, {@code 04-plain-bind-message-close.txt}). Only elements that inherit the stanza's
 * namespace move: a no-namespace element below an element in another namespace had an explicit {@code xmlns=''}
 * and keeps it.
 */
public final class ClientNamespace {
    private static final Namespace CLIENT = Namespace.get(Namespaces.CLIENT);

    private ClientNamespace() {
    }

    /** A detached deep copy of {@code stanza} in which every inheriting no-namespace element is in jabber:client. */
    public static Element toClient(Element stanza) {
        return copy(stanza, true);
    }

    private static Element copy(Element element, boolean inheritsClient) {
        QName name = inheritsClient && element.getNamespaceURI().isEmpty()
                ? QName.get(element.getName(), CLIENT)
                : element.getQName();
        Element copy = DocumentHelper.createElement(name);
        for (Attribute attribute : element.attributes()) {
            copy.addAttribute(attribute.getQName(), attribute.getValue());
        }
        boolean childrenInheritClient = Namespaces.CLIENT.equals(name.getNamespaceURI());
        for (Node node : element.content()) {
            if (node instanceof Element child) {
                copy.add(copy(child, childrenInheritClient));
            } else if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                copy.addText(node.getText());
            }
        }
        return copy;
    }
}
