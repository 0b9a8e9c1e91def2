package org.xmppcm.plugin.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the client address a connection manager reports ({@code <host address=''/>}) without ever asking DNS: Openfire
 * calls the address getters of a connection on its own threads (IP allow and block lists, admin pages), where a
 * lookup of an arbitrary name would block. Only IPv4 dotted quads and IPv6 literals are addresses.
 */
public final class IpLiterals {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?");

    private IpLiterals() {
    }

    /** The address's bytes (4 or 16); empty for null, a host name, or a malformed literal. */
    public static Optional<byte[]> parse(String literal) {
        if (literal == null) {
            return Optional.empty();
        }
        String text = literal.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        Matcher v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) octet;
            }
            return Optional.of(bytes);
        }
        if (text.indexOf(':') < 0 || !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            // In brackets InetAddress only parses an IPv6 literal and fails rather than falling back to a lookup.
            return Optional.of(InetAddress.getByName("[" + text + "]").getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
