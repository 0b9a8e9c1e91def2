package org.xmppcm.cm;

import java.net.InetSocketAddress;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.cm.tls.ClientSecurity;

/**
 * What a connection manager needs to run.
 *
 * @param clientAddress where clients connect (5222 by default)
 * @param managerName this CM's name towards the server; links open with {@code to='NAME/connN'}
 * @param secret the shared secret proven by the link handshake
 * @param xmppDomain the XMPP domain clients address in their stream header
 * @param maxStanzaBytes the largest stanza accepted from a client or the server
 * @param links the server addresses and how links to them are kept
 * @param limits what clients are allowed
 * @param metricsAddress where {@code GET /metrics} is served, or null for JMX only
 * @param clientSecurity the CM's own TLS certificate, direct TLS port and zlib towards clients
 */
public record CmSettings(InetSocketAddress clientAddress, String managerName, String secret, String xmppDomain,
                         int maxStanzaBytes, LinkSettings links, ClientLimits limits, InetSocketAddress metricsAddress,
                         ClientSecurity clientSecurity) {
    public static final int DEFAULT_CLIENT_PORT = 5222;
    public static final int DEFAULT_SERVER_PORT = 5262;
    public static final int DEFAULT_MAX_STANZA_BYTES = 256 * 1024;

    /** One server address, default link settings. */
    public CmSettings(InetSocketAddress clientAddress, InetSocketAddress serverAddress, String managerName,
                      String secret, String xmppDomain, int maxStanzaBytes) {
        this(clientAddress, managerName, secret, xmppDomain, maxStanzaBytes, LinkSettings.to(serverAddress),
                ClientLimits.DEFAULTS, null);
    }

    /** No TLS certificate of the CM's own ({@link ClientSecurity#none()}). */
    public CmSettings(InetSocketAddress clientAddress, String managerName, String secret, String xmppDomain,
                      int maxStanzaBytes, LinkSettings links, ClientLimits limits, InetSocketAddress metricsAddress) {
        this(clientAddress, managerName, secret, xmppDomain, maxStanzaBytes, links, limits, metricsAddress,
                ClientSecurity.none());
    }

    /** The first server address: where links go while it answers. */
    public InetSocketAddress serverAddress() {
        return links.servers().get(0);
    }

    public CmSettings withLinks(LinkSettings newLinks) {
        return new CmSettings(clientAddress, managerName, secret, xmppDomain, maxStanzaBytes, newLinks, limits, metricsAddress,
                clientSecurity);
    }

    public CmSettings withLimits(ClientLimits newLimits) {
        return new CmSettings(clientAddress, managerName, secret, xmppDomain, maxStanzaBytes, links, newLimits, metricsAddress,
                clientSecurity);
    }

    public CmSettings withMetricsAddress(InetSocketAddress address) {
        return new CmSettings(clientAddress, managerName, secret, xmppDomain, maxStanzaBytes, links, limits, address,
                clientSecurity);
    }

    public CmSettings withClientSecurity(ClientSecurity security) {
        return new CmSettings(clientAddress, managerName, secret, xmppDomain, maxStanzaBytes, links, limits,
                metricsAddress, security);
    }

    public CmSettings {
        java.util.Objects.requireNonNull(links, "links");
        java.util.Objects.requireNonNull(limits, "limits");
        java.util.Objects.requireNonNull(clientSecurity, "clientSecurity");
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
