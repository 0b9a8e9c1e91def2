package org.xmppcm.plugin.openfire;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the assembled {@code connectionmanager.jar} against the layout Openfire's plugin loader expects.
 * Runs in failsafe's integration-test phase, after the assembly at package: {@code mvn verify}.
 */
class PluginJarLayoutIT {

    /** Jars allowed in lib/: ours plus the runtime dependencies Openfire 5.1.1 does not ship. */
    private static final List<String> REVIEWED_LIB_PREFIXES = List.of(
            "connectionmanager-plugin-", "shared-protocol-", "transport-mina-", "server-engine-",
            "mina-core-", "aalto-xml-", "stax2-api-");

    private static JarFile jar;
    private static String version;

    @BeforeAll
    static void openJar() throws IOException {
        final Path path = Path.of(requiredProperty("connectionmanager.pluginJar"));
        assertThat(path).as("assembled plugin jar").isRegularFile();
        jar = new JarFile(path.toFile());
        version = requiredProperty("connectionmanager.expectedVersion");
    }

    @AfterAll
    static void closeJar() throws IOException {
        if (jar != null) {
            jar.close();
        }
    }

    /** Verifies that plugin.xml sits at the root, carries the project version and names our plugin class. */
    @Test
    void pluginXmlHasVersionAndClass() throws Exception {
        final PluginDescriptor descriptor;
        try (InputStream in = entry("plugin.xml")) {
            descriptor = PluginDescriptor.parse(in);
        }

        assertThat(descriptor.version()).isEqualTo(version);
        assertThat(descriptor.className()).isEqualTo(ConnectionManagerPlugin.class.getName());
        assertThat(descriptor.minServerVersion()).isEqualTo("5.0.0");
        assertThat(descriptor.csrfProtectionEnabled()).isEqualTo("true");
        // Literal text, which Openfire can read before the plugin is registered.
        assertThat(descriptor.name()).isEqualTo(ConnectionManagerProperties.PLUGIN_NAME);
        assertThat(descriptor.description()).isNotBlank().doesNotContain("${");
    }

    /** Verifies the admin console documents and the i18n bundles are packaged, and the sidebar's key resolves. */
    @Test
    void documentsAndI18nArePackaged() throws Exception {
        assertThat(names()).contains("readme.html", "changelog.html",
                "i18n/connectionmanager_i18n.properties", "i18n/connectionmanager_i18n_nl.properties");

        final Properties english = new Properties();
        try (InputStream in = entry("i18n/connectionmanager_i18n.properties")) {
            english.load(in);
        }
        assertThat(english.getProperty("connectionmanager.admin.sidebar")).isEqualTo("Connection Manager Plugin");
    }

    /** Verifies both logos are readable GIFs of the sizes the admin console shows (16x16 and 32x32). */
    @Test
    void logosAreGifsOfTheRightSize() throws IOException {
        assertThat(gifSize("logo_small.gif")).isEqualTo(16);
        assertThat(gifSize("logo_large.gif")).isEqualTo(32);
    }

    /**
     * Verifies lib/ holds our jars and their runtime dependencies, including mina-core (Openfire 5 ships
     * Netty, not MINA), and nothing Openfire provides itself.
     */
    @Test
    void libContainsOurJarsAndNothingOpenfireProvides() {
        final List<String> lib = libJars().stream().map(n -> n.substring("lib/".length())).toList();

        assertThat(lib).anyMatch(n -> n.startsWith("connectionmanager-plugin-" + version))
                .anyMatch(n -> n.startsWith("shared-protocol-" + version))
                .anyMatch(n -> n.startsWith("transport-mina-" + version))
                .anyMatch(n -> n.startsWith("server-engine-" + version))
                .anyMatch(n -> n.startsWith("aalto-xml-"))
                .anyMatch(n -> n.startsWith("mina-core-"));
        assertThat(lib).noneMatch(n -> n.startsWith("dom4j-"))
                .noneMatch(n -> n.startsWith("slf4j-"))
                .noneMatch(n -> n.startsWith("log4j-"))
                .noneMatch(n -> n.startsWith("openfire-stub-"))
                .noneMatch(n -> n.startsWith("xmppserver-"))
                .noneMatch(n -> n.startsWith("junit-") || n.startsWith("assertj-"));
        // Every bundled jar is a reviewed decision: a new transitive dependency that Openfire already ships
        // (jzlib, Netty, commons-*, ...) must be declared provided in plugin/pom.xml instead of landing here.
        assertThat(lib).as("lib/ jars; a new one needs a decision: provided by Openfire, or bundled and listed here")
                .allMatch(n -> REVIEWED_LIB_PREFIXES.stream().anyMatch(n::startsWith));
        // Openfire reads only lib/*.jar; no nested directories.
        assertThat(names()).filteredOn(n -> n.startsWith("lib/") && !n.equals("lib/"))
                .allMatch(n -> n.endsWith(".jar") && n.indexOf('/', "lib/".length()) < 0);
    }

    /** Verifies the plugin class is in the plugin's own lib jar, and no Openfire class is packaged anywhere. */
    @Test
    void pluginClassIsPackagedAndNoOpenfireClassIs() throws IOException {
        final String classesJar = "lib/" + requiredProperty("connectionmanager.classesJarName");
        final String pluginClass = ConnectionManagerPlugin.class.getName().replace('.', '/') + ".class";

        assertThat(entriesOfNestedJar(classesJar)).contains(pluginClass);
        assertThat(names()).noneMatch(n -> n.startsWith("org/jivesoftware/"));
        for (String nested : libJars()) {
            assertThat(entriesOfNestedJar(nested)).as(nested).noneMatch(n -> n.startsWith("org/jivesoftware/"));
        }
    }

    /**
     * Verifies the demo server (an in-memory XMPP server for the CM's {@code --demo} and tests, never for production)
     * is not shipped: no demo-server jar in lib/, and no demo class in any packaged jar, under its own package or the
     * engine's former one.
     */
    @Test
    void noDemoServerClassIsPackaged() throws IOException {
        assertThat(libJars()).noneMatch(n -> n.startsWith("lib/demo-server-"));
        assertThat(names()).noneMatch(PluginJarLayoutIT::isDemoClass);
        for (String nested : libJars()) {
            assertThat(entriesOfNestedJar(nested)).as(nested).noneMatch(PluginJarLayoutIT::isDemoClass);
        }
    }

    private static boolean isDemoClass(String entry) {
        return entry.startsWith("org/xmppcm/demo/") || entry.startsWith("org/xmppcm/engine/demo/");
    }

    private static List<String> libJars() {
        return names().stream().filter(n -> n.startsWith("lib/") && n.endsWith(".jar")).toList();
    }

    private static int gifSize(String name) throws IOException {
        final byte[] bytes;
        try (InputStream in = entry(name)) {
            bytes = in.readAllBytes();
        }
        assertThat(new String(bytes, 0, 6, StandardCharsets.US_ASCII)).startsWith("GIF8");
        final BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as(name).isNotNull();
        assertThat(image.getWidth()).as("%s width equals height", name).isEqualTo(image.getHeight());
        return image.getWidth();
    }

    private static List<String> entriesOfNestedJar(String name) throws IOException {
        final List<String> entries = new ArrayList<>();
        try (JarInputStream in = new JarInputStream(entry(name))) {
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                entries.add(e.getName());
            }
        }
        return entries;
    }

    private static List<String> names() {
        final List<String> names = new ArrayList<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            names.add(e.nextElement().getName());
        }
        return names;
    }

    private static InputStream entry(String name) throws IOException {
        final JarEntry entry = jar.getJarEntry(name);
        assertThat(entry).as("entry %s", name).isNotNull();
        return jar.getInputStream(entry);
    }

    private static String requiredProperty(String key) {
        final String value = System.getProperty(key);
        assertThat(value).as("system property %s (set by failsafe in plugin/pom.xml)", key).isNotBlank();
        return value;
    }
}
