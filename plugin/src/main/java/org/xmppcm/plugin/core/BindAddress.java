package org.xmppcm.plugin.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where the plugin's listener binds: where Openfire's own listeners bind (its {@code network.interface} setting,
 * e.g. {@code 127.0.0.1}) unless the plugin's bind-address property says otherwise. An override of {@code *},
 * {@code 0.0.0.0} or {@code ::} means every interface; anything else must be an IP address, so that reading the
 * setting never waits for DNS.
 */
public final class BindAddress {
    private BindAddress() {
    }

    /**
     * @param override the plugin's property; null or blank to follow Openfire
     * @param openfire where Openfire's listeners bind; null for every interface
     * @return the address to bind; empty for every interface
     * @throws UnknownHostException when the override is not an IP address
     */
    public static Optional<InetAddress> choose(String override, InetAddress openfire) throws UnknownHostException {
        if (override == null || override.isBlank()) {
            return Optional.ofNullable(openfire);
        }
        String value = override.strip();
        if (value.equals("*")) {
            return Optional.empty();
        }
        byte[] bytes = IpLiterals.parse(value).orElseThrow(() -> new UnknownHostException(
                "'" + value + "' is not an IP address (or * for every interface)"));
        InetAddress address = InetAddress.getByAddress(bytes);
        return address.isAnyLocalAddress() ? Optional.empty() : Optional.of(address);
    }

    /** How a bound address reads in logs and on the managers page. */
    public static String describe(Optional<InetAddress> address, int port) {
        return address.map(a -> a.getHostAddress().indexOf(':') >= 0 ? "[" + a.getHostAddress() + "]" : a.getHostAddress())
                .orElse("*") + ":" + port;
    }
}
