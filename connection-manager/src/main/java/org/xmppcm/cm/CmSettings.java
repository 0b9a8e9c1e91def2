package org.xmppcm.cm;

import java.net.InetSocketAddress;

/**
 * What a connection manager needs to run.
 *
 * @param clientAddress where clients connect (5222 by default)
 * @param serverAddress the server's connection-manager listener (5262 by default)
 * @param managerName this CM's name towards the server; links open with {@code to='NAME/connN'}
 * @param secret the shared secret proven by the link handshake
 * @param xmppDomain the XMPP domain clients address in their stream header
 * @param maxStanzaBytes the largest stanza accepted from a client or the server
 */
public record CmSettings(InetSocketAddress clientAddress, InetSocketAddress serverAddress, String managerName,
                         String secret, String xmppDomain, int maxStanzaBytes) {
    public static final int DEFAULT_CLIENT_PORT = 5222;
    public static final int DEFAULT_SERVER_PORT = 5262;
    public static final int DEFAULT_MAX_STANZA_BYTES = 256 * 1024;

    public CmSettings {
        requireText(managerName, "managerName");
        requireText(secret, "secret");
        requireText(xmppDomain, "xmppDomain");
        if (managerName.contains("/")) {
            throw new IllegalArgumentException("managerName must not contain '/': " + managerName);
        }
        if (maxStanzaBytes < 1024) {
            throw new IllegalArgumentException("maxStanzaBytes must be at least 1024: " + maxStanzaBytes);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
