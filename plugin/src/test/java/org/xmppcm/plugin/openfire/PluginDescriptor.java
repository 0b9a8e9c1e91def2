package org.xmppcm.plugin.openfire;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** Test helper: the parts of a {@code plugin.xml} that Openfire reads, parsed strictly. */
record PluginDescriptor(String rootName, String className, String name, String description, String version,
                        String minServerVersion, String csrfProtectionEnabled) {

    /** Parses {@code plugin.xml}; throws if it is not well-formed or declares a DTD (Openfire needs neither). */
    static PluginDescriptor parse(InputStream in) throws IOException, SAXException, ParserConfigurationException {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        final DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null); // report through the exception only, not stderr
        final Document document = builder.parse(in);
        final Element root = document.getDocumentElement();
        return new PluginDescriptor(root.getTagName(), child(root, "class"), child(root, "name"),
                child(root, "description"), child(root, "version"), child(root, "minServerVersion"),
                child(root, "csrfProtectionEnabled"));
    }

    /** The i18n key of a {@code ${key}} value, the form Openfire's admin console resolves from the plugin's bundle. */
    static Optional<String> i18nKey(String value) {
        if (value != null && value.startsWith("${") && value.endsWith("}") && value.length() > 3) {
            return Optional.of(value.substring(2, value.length() - 1));
        }
        return Optional.empty();
    }

    private static String child(Element root, String tag) {
        final NodeList nodes = root.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }
}
