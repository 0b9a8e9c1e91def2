package org.xmppcm.cm;

import java.util.List;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.Namespaces;

/**
 * Builds the {@code <stream:features/>} a client sees, from the configuration the server pushed
 * (RFC 6120 4.3.2) and what this CM can do itself.
 */
final class StreamFeatures {
    private StreamFeatures() {
    }

    /**
     * Features before authentication: SASL mechanisms, iq-auth and registration as pushed.
     * Mechanisms this CM cannot carry are left out: EXTERNAL (needs the client certificate) and
     * the channel-binding {@code -PLUS} variants (need TLS between client and CM).
     */
    static String beforeAuthentication(ClientConfiguration configuration) {
        StringBuilder xml = new StringBuilder(256).append("<stream:features>");
        List<String> mechanisms = configuration.mechanisms().stream()
                .filter(StreamFeatures::canCarry)
                .toList();
        if (!mechanisms.isEmpty()) {
            xml.append("<mechanisms xmlns='").append(Namespaces.SASL).append("'>");
            for (String mechanism : mechanisms) {
                xml.append("<mechanism>").append(mechanism).append("</mechanism>");
            }
            xml.append("</mechanisms>");
        }
        if (configuration.iqAuth()) {
            xml.append("<auth xmlns='").append(Namespaces.IQ_AUTH_FEATURE).append("'/>");
        }
        if (configuration.register()) {
            xml.append("<register xmlns='").append(Namespaces.IQ_REGISTER_FEATURE).append("'/>");
        }
        return xml.append("</stream:features>").toString();
    }

    /** Features after SASL success: resource binding, and the legacy session marked optional (RFC 6121 Appendix E). */
    static String afterAuthentication() {
        return "<stream:features><bind xmlns='" + Namespaces.BIND + "'/>"
                + "<session xmlns='" + Namespaces.SESSION + "'><optional/></session></stream:features>";
    }

    static boolean canCarry(String mechanism) {
        return !mechanism.equals("EXTERNAL") && !mechanism.endsWith("-PLUS")
                && mechanism.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_');
    }
}
