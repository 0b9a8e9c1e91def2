package org.xmppcm.protocol.cm;

import java.util.List;

/**
 * The names of the parameters in our {@code <tuning xmlns='urn:xmppcm:tuning:0'>} element. Each equals the CM's own
 * property of the same meaning in {@code connection-manager.properties}, so an operator reads one name in both
 * places; a pushed value wins over the CM's file. Values are decimal integers.
 */
public final class TuningKeys {
    /** Seconds a CM keeps its clients while it has no link to the server. */
    public static final String GRACE_SECONDS = "link.grace.seconds";
    /** Seconds of client silence before the CM closes it with {@code connection-timeout} (pinged half way). */
    public static final String CLIENT_IDLE_TIMEOUT_SECONDS = "client.idle.timeout.seconds";
    /** Seconds a client may take from connecting to authenticating before the CM closes it with {@code connection-timeout}. */
    public static final String CLIENT_AUTH_TIMEOUT_SECONDS = "client.auth.timeout.seconds";
    /** Seconds without writing to a client before the CM sends a whitespace keepalive. */
    public static final String CLIENT_KEEPALIVE_SECONDS = "client.keepalive.seconds";
    /** Open client connections one CM holds at most. */
    public static final String CLIENT_MAX = "client.max";
    /** New connections one address may open per second on average, 0 for no limit. */
    public static final String CLIENT_RATE_PER_IP = "client.rate.per.ip";
    /** Bytes queued for a client that does not read before the CM closes it with {@code policy-violation}. */
    public static final String CLIENT_PENDING_WRITE_MAX_BYTES = "client.pending.write.max.bytes";

    /** Every parameter we push, in the order an admin page lists them. */
    public static final List<String> ALL = List.of(GRACE_SECONDS, CLIENT_IDLE_TIMEOUT_SECONDS, CLIENT_AUTH_TIMEOUT_SECONDS,
            CLIENT_KEEPALIVE_SECONDS, CLIENT_MAX, CLIENT_RATE_PER_IP, CLIENT_PENDING_WRITE_MAX_BYTES);

    private TuningKeys() {
    }
}
