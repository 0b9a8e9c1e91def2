package org.xmppcm.plugin.admin;

import org.xmppcm.protocol.cm.XmlEscaping;

/** Text into HTML: every value a page shows passes through {@link #text}, so no manager name or address can inject markup. */
final class Html {
    private Html() {
    }

    /** Escaped for element content and quoted attribute values alike (the attribute form escapes both quotes). */
    static String text(Object value) {
        return XmlEscaping.escapeAttribute(String.valueOf(value));
    }
}
