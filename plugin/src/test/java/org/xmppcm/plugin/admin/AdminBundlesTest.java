package org.xmppcm.plugin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.TuningParameter;

/** Every string of the admin console exists in every language, and every key the code or plugin.xml names exists. */
class AdminBundlesTest {
    private static final Path ROOT =
            Path.of(System.getProperty("connectionmanager.rootDirectory", "..")).toAbsolutePath().normalize();
    private static final Pattern JAVA_KEY = Pattern.compile("\"(connectionmanager\\.admin\\.[A-Za-z.]+)\"");
    private static final Pattern PLUGIN_XML_KEY = Pattern.compile("\\$\\{(connectionmanager\\.admin\\.[A-Za-z.]+)}");

    @Test
    void everyTranslationHasExactlyTheEnglishAdminKeys() throws IOException {
        Set<String> english = adminKeys(ROOT.resolve("i18n/connectionmanager_i18n.properties"));
        try (Stream<Path> bundles = Files.list(ROOT.resolve("i18n"))) {
            for (Path bundle : bundles.filter(p -> p.getFileName().toString().matches("connectionmanager_i18n_.+"))
                    .toList()) {
                assertThat(adminKeys(bundle)).as(bundle.getFileName().toString()).isEqualTo(english);
            }
        }
    }

    @Test
    void everyKeyNamedInPluginXmlOrTheSourcesExists() throws IOException {
        Set<String> english = adminKeys(ROOT.resolve("i18n/connectionmanager_i18n.properties"));
        Set<String> named = keysIn(Files.readString(ROOT.resolve("plugin.xml")), PLUGIN_XML_KEY);
        try (Stream<Path> sources = Files.walk(ROOT.resolve("plugin/src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                named.addAll(keysIn(Files.readString(source), JAVA_KEY));
            }
        }
        assertThat(named).hasSizeGreaterThan(40);
        assertThat(english).containsAll(named);
    }

    @Test
    void everyTuningParameterHasALabel() throws IOException {
        Set<String> english = adminKeys(ROOT.resolve("i18n/connectionmanager_i18n.properties"));
        for (TuningParameter parameter : TuningParameter.values()) {
            assertThat(english).contains(SettingsPage.labelKey(parameter));
        }
    }

    /** Whole keys only: a literal ending in '.' is a prefix completed at run time, checked by rendering the pages. */
    private static Set<String> keysIn(String text, Pattern pattern) {
        Set<String> keys = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            if (!matcher.group(1).endsWith(".")) {
                keys.add(matcher.group(1));
            }
        }
        return keys;
    }

    private static Set<String> adminKeys(Path bundle) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(bundle, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Set<String> keys = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("connectionmanager.admin.")) {
                keys.add(key);
            }
        }
        return keys;
    }
}
