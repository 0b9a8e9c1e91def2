package org.xmppcm.cm.link;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Whether and how the CM secures its links with STARTTLS (RFC 6120 5), verifying the server.
 *
 * @param required true: every link must upgrade to TLS before the handshake, and a server that
 *        does not offer STARTTLS is refused; false: links stay plain (a private network)
 * @param trustStore a PKCS12/JKS trust store with the server's CA or certificate; null for the
 *        JDK's default CAs
 * @param trustStorePassword its password, or null
 * @param serverName the name the server's certificate must carry; null for the configured host
 * @param pinnedSha256 hex SHA-256 fingerprints of acceptable server certificates; when not empty,
 *        only a certificate with one of them is accepted, whatever the trust store says
 */
public record LinkTls(boolean required, Path trustStore, String trustStorePassword, String serverName,
                      List<String> pinnedSha256) {
    public static final LinkTls OFF = new LinkTls(false, null, null, null, List.of());

    public LinkTls {
        pinnedSha256 = pinnedSha256.stream().map(LinkTls::normalizeFingerprint).toList();
    }

    /** Accepts {@code AB:CD:...} as well as {@code abcd...}. */
    static String normalizeFingerprint(String fingerprint) {
        String hex = fingerprint.replace(":", "").trim().toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint: " + fingerprint);
        }
        return hex;
    }
}
