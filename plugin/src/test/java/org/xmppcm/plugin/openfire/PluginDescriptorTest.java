package org.xmppcm.plugin.openfire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.jivesoftware.openfire.container.Plugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xmppcm.plugin.core.PropertyKeys;

/**
 * Checks the plugin metadata sources in the reactor root ({@code plugin.xml}, {@code i18n/}) before they are
 * packaged. The packaged jar itself is checked by {@link PluginJarLayoutIT}.
 */
class PluginDescriptorTest {

    private static Path root;
    private static PluginDescriptor descriptor;

    @BeforeAll
    static void readPluginXml() throws Exception {
        // Set by surefire (plugin/pom.xml); falls back to the module's parent for IDE runs.
        root = Path.of(System.getProperty("connectionmanager.rootDirectory", "..")).toAbsolutePath().normalize();
        try (InputStream in = Files.newInputStream(root.resolve("plugin.xml"))) {
            descriptor = PluginDescriptor.parse(in);
        }
    }

    /** Verifies that plugin.xml names a public class Openfire can instantiate as a Plugin. */
    @Test
    void namesAnInstantiablePluginClass() throws Exception {
        assertThat(descriptor.rootName()).isEqualTo("plugin");

        final Class<?> pluginClass = Class.forName(descriptor.className());

        assertThat(pluginClass).isEqualTo(ConnectionManagerPlugin.class);
        assertThat(Plugin.class).isAssignableFrom(pluginClass);
        assertThat(Modifier.isPublic(pluginClass.getModifiers())).isTrue();
        assertThat(Modifier.isPublic(pluginClass.getConstructor().getModifiers())).isTrue();
    }

    /** Verifies the version is left to the build and the server/CSRF requirements are declared. */
    @Test
    void declaresVersionPlaceholderMinimumServerAndCsrf() {
        assertThat(descriptor.version()).isEqualTo("${project.version}");
        assertThat(descriptor.minServerVersion()).isEqualTo("5.0.0");
        assertThat(descriptor.csrfProtectionEnabled()).isEqualTo("true");
    }

    /**
     * Verifies that name and description are literal text: Openfire 5.1.1 reads both before it registers the plugin,
     * when a {@code ${key}} cannot be resolved yet and the load aborts. The name is also the plugin name of our
     * system properties.
     */
    @Test
    void nameAndDescriptionAreLiteralText() {
        assertThat(descriptor.name()).isEqualTo(ConnectionManagerProperties.PLUGIN_NAME);
        assertThat(PluginDescriptor.i18nKey(descriptor.name())).isEmpty();
        assertThat(descriptor.description()).isNotBlank().doesNotContain("${");
    }

    /**
     * Verifies that every typed system property of the plugin has a description in every bundle, under the key
     * Openfire's System Properties page looks up ({@code system_property.<key>}).
     */
    @Test
    void everySystemPropertyIsDescribedInEveryBundle() throws IOException {
        for (Path bundle : bundles()) {
            final Properties properties = load(bundle);
            for (String key : PropertyKeys.TYPED) {
                assertThat(properties.getProperty("system_property." + key)).as("%s in %s", key, bundle).isNotBlank();
            }
        }
    }

    private static List<Path> bundles() throws IOException {
        final List<Path> bundles = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root.resolve("i18n"), "connectionmanager_i18n*.properties")) {
            stream.forEach(bundles::add);
        }
        return bundles;
    }

    private static Properties load(Path bundle) throws IOException {
        final Properties properties = new Properties();
        // ResourceBundle reads .properties as UTF-8 since Java 9; Openfire 5 runs on 17+.
        try (Reader reader = Files.newBufferedReader(bundle, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
