package org.xmppcm.protocol.cm;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which process of a connection manager a link comes from: its start time and a random nonce, written as
 * {@code <startMillis>.<nonce>} in the {@code instance} attribute (namespace {@link Namespaces#LINK}) of every link
 * stream header the manager sends.
 *
 * <pre>
 *   &lt;stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:connectionmanager'
 *       xmlns:xcm='urn:xmppcm:link:0' xcm:instance='1764633600123.9f86d081884c7d65' to='cm1/conn1' version='1.0'&gt;
 * </pre>
 *
 * It lets the server tell a manager that restarted (a crash, SIGKILL, a deploy), which holds none of its former
 * clients, from one that only lost its links and still holds them: the sessions of an older instance end as soon as a
 * newer one authenticates, instead of lingering until the grace period is over. A server that does not know the
 * attribute ignores it (RFC 6120 4.7: attributes one does not understand are ignored), as stock Openfire does.
 *
 * <p>Start times order instances of one manager name, so that a stale process (partitioned, then back) cannot end the
 * sessions of the process that replaced it; the nonce tells apart two processes started in the same millisecond.
 */
public record ManagerInstance(long startedMillis, String nonce) {
    /** The attribute's local name; its namespace is {@link Namespaces#LINK}. */
    public static final String ATTRIBUTE = "instance";
    /** The prefix our headers bind {@link Namespaces#LINK} to. */
    public static final String PREFIX = "xcm";

    private static final Pattern FORM = Pattern.compile("(\\d{1,19})\\.([0-9a-f]{8,64})");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ManagerInstance {
        if (startedMillis < 0 || nonce == null || !nonce.matches("[0-9a-f]{8,64}")) {
            throw new IllegalArgumentException("bad manager instance: " + startedMillis + "." + nonce);
        }
    }

    /** A new instance for a process that starts now. */
    public static ManagerInstance startingNow() {
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        return new ManagerInstance(System.currentTimeMillis(), HexFormat.of().formatHex(nonce));
    }

    /** The instance a header names; empty when it names none or an unreadable one (the server then ignores it). */
    public static Optional<ManagerInstance> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ManagerInstance(Long.parseLong(m.group(1)), m.group(2)));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /** True when this process started after {@code other} (ties broken by nonce, so exactly one of two wins). */
    public boolean isNewerThan(ManagerInstance other) {
        return startedMillis != other.startedMillis ? startedMillis > other.startedMillis
                : nonce.compareTo(other.nonce) > 0;
    }

    @Override
    public String toString() {
        return startedMillis + "." + nonce;
    }
}
