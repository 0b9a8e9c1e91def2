package org.xmppcm.plugin.openfire.standin;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jivesoftware.openfire.container.Plugin;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Loads a plugin the way Openfire 5.1.1's {@code PluginManager.loadPlugin} does, in its order: the metadata first
 * ({@code PluginMetadata.getInstance}: name, then description), while the plugin is not yet registered, then the
 * instance, then {@code initializePlugin}. Resolving a {@code ${key}} name or description needs the plugin's bundle,
 * which Openfire looks up by the registered plugin, so before registration it throws what the real server threw:
 * {@code NullPointerException: Plugin could not be located: connectionmanager}. Openfire swallows that for the name
 * (keeping the raw text) but not for the description, which aborts the load.
 */
public final class StandInPluginLoader {
    private StandInPluginLoader() {
    }

    /** What Openfire would show for the plugin, and the plugin once initialized. */
    public record Loaded<P extends Plugin>(String name, String description, P plugin) {
    }

    public static <P extends Plugin> Loaded<P> load(Path pluginXml, String canonicalName, P plugin, File pluginDir)
            throws IOException {
        Document descriptor = parse(pluginXml);
        String rawName = text(descriptor, "name");
        String name;
        try {
            name = adminText(rawName, canonicalName);
        } catch (RuntimeException e) {
            name = rawName; // PluginMetadataHelper.getName logs and keeps the raw value
        }
        String description = adminText(text(descriptor, "description"), canonicalName);
        // As PluginManager.loadPlugin: initializePlugin runs with the plugin's loader as context class loader.
        Thread current = Thread.currentThread();
        ClassLoader given = current.getContextClassLoader();
        current.setContextClassLoader(plugin.getClass().getClassLoader());
        try {
            plugin.initializePlugin(StandIn.pluginManager(), pluginDir);
        } finally {
            current.setContextClassLoader(given);
        }
        return new Loaded<>(name, description, plugin);
    }

    /** {@code AdminConsole.getAdminText}: {@code ${key}} goes to the plugin's bundle, anything else is literal. */
    private static String adminText(String value, String canonicalName) {
        if (value != null && value.startsWith("${") && value.endsWith("}")) {
            throw new NullPointerException("Plugin could not be located: " + canonicalName);
        }
        return value;
    }

    private static Document parse(Path pluginXml) throws IOException {
        try (InputStream in = Files.newInputStream(pluginXml)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("unreadable " + pluginXml + ": " + e.getMessage(), e);
        }
    }

    private static String text(Document document, String tag) {
        NodeList nodes = document.getDocumentElement().getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }
}
