package org.xmppcm.cm.client;

import java.util.List;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.Namespaces;

/**
 * Builds the {@code <stream:features/>} a client sees, from the configuration the server pushed
 * (RFC 6120 4.3.2) and what this CM can do itself (TLS, zlib).
 */
public final class StreamFeatures {
    /** The only compression method there is (XEP-0229 registers no other in use). */
    static final String ZLIB = "zlib";

    private StreamFeatures() {
    }

    /** Features before authentication on a stream where the CM offers no STARTTLS. */
    public static String beforeAuthentication(ClientConfiguration configuration) {
        return beforeAuthentication(configuration, false, false);
    }

    /**
     * Features before authentication: STARTTLS when offered, then SASL mechanisms, iq-auth and
     * registration as pushed. When TLS is required and not yet in place, STARTTLS is all there is
     * (RFC 6120 5.3.1: the mechanisms on offer may depend on TLS, and nothing may be negotiated
     * before it anyway).
     *
     * <p>Mechanisms this CM cannot carry are always left out: EXTERNAL needs the client's
     * certificate and the {@code -PLUS} variants need channel binding, and the TLS session they
     * would bind to ends at this CM: the connection-manager protocol has no way to hand the
     * server the client's certificate or the channel-binding data, so the server could never
     * complete them.
     *
     * @param offerStartTls whether to offer STARTTLS (the CM has a certificate, the server's
     *        policy is not DISABLED, and the stream is not secured yet)
     * @param tlsRequired whether STARTTLS must come first (policy REQUIRED, stream not secured)
     */
    public static String beforeAuthentication(ClientConfiguration configuration, boolean offerStartTls, boolean tlsRequired) {
        StringBuilder xml = new StringBuilder(256).append("<stream:features>");
        if (offerStartTls) {
            xml.append("<starttls xmlns='").append(Namespaces.TLS).append(tlsRequired ? "'><required/></starttls>" : "'/>");
            if (tlsRequired) {
                return xml.append("</stream:features>").toString();
            }
        }
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
    public static String afterAuthentication() {
        return afterAuthentication(false);
    }

    /**
     * Features after SASL success, with zlib compression when it may be offered. Compression comes
     * only now (XEP-0170: TLS, SASL, then compression): compressing the authentication exchange
     * together with data an attacker can influence is what makes compression-oracle attacks work.
     */
    public static String afterAuthentication(boolean offerCompression) {
        StringBuilder xml = new StringBuilder(256).append("<stream:features>");
        if (offerCompression) {
            xml.append("<compression xmlns='").append(Namespaces.COMPRESS_FEATURE).append("'><method>")
                    .append(ZLIB).append("</method></compression>");
        }
        return xml.append("<bind xmlns='").append(Namespaces.BIND).append("'/>")
                .append("<session xmlns='").append(Namespaces.SESSION).append("'><optional/></session></stream:features>")
                .toString();
    }

    static boolean canCarry(String mechanism) {
        return !mechanism.equals("EXTERNAL") && !mechanism.endsWith("-PLUS")
                && mechanism.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_');
    }
}
