package org.xmppcm.plugin.admin;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The admin pages' strings, from the plugin's bundle ({@code i18n/connectionmanager_i18n*.properties}). Openfire puts
 * the plugin's {@code i18n/} directory on the plugin's class path, so the bundle is found through this class's loader
 * there as in tests.
 */
public final class Messages {
    public static final String BUNDLE = "connectionmanager_i18n";

    private final ResourceBundle bundle;
    private final Locale locale;

    public Messages(ResourceBundle bundle) {
        this.bundle = bundle;
        this.locale = bundle.getLocale() == null ? Locale.ROOT : bundle.getLocale();
    }

    public static Messages forLocale(Locale locale, ClassLoader loader) {
        return new Messages(ResourceBundle.getBundle(BUNDLE, locale, loader));
    }

    /** The string for {@code key} with {@code args} filled in; a missing key shows as itself, never as an exception. */
    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return "???" + key + "???";
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    Locale locale() {
        return locale;
    }
}
