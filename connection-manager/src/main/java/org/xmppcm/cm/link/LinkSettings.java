package org.xmppcm.cm.link;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * How the CM keeps its links to the server.
 *
 * @param servers the server's connection-manager listeners (cluster nodes), tried in order: links
 *        go to the first that answers, and move on to the next when it fails
 * @param count links per server; each client is pinned to one so its stanzas keep their order
 * @param keepalive how long a link may stay silent before we send a whitespace keepalive
 *        (stock Openfire drops a link silent for 5 minutes)
 * @param gracePeriod how long clients stay connected while no link is up; zero closes them at once.
 *        A grace period pushed by the server in its tuning
 *        ({@code link.grace.seconds}, {@link TuningParameter#GRACE_SECONDS}) wins.
 * @param holdBytesPerClient how much of one client's traffic is held during the grace period
 * @param holdBytesTotal how much is held for all clients together
 * @param tls whether links use STARTTLS and how the server is verified
 * @param compression whether links ask for zlib (XEP-0138) when the server offers it
 * @param timeout how long a link may bring nothing from the server before it counts as lost (half-open, or a
 *        frozen server); after {@code keepalive} of silence the link asks for a sign of life (an acknowledgement
 *        request, or an XMPP ping with stock Openfire), so this must be longer than {@code keepalive}
 */
public record LinkSettings(List<InetSocketAddress> servers, int count, Duration keepalive, Duration gracePeriod,
                           int holdBytesPerClient, long holdBytesTotal, org.xmppcm.cm.link.LinkTls tls,
                           boolean compression, Duration timeout) {
    public static final int DEFAULT_COUNT = 2;
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_GRACE = TuningParameter.GRACE_SECONDS.defaultDuration();
    public static final int DEFAULT_HOLD_PER_CLIENT = 64 * 1024;
    public static final long DEFAULT_HOLD_TOTAL = 256L * 1024 * 1024;

    public LinkSettings {
        servers = List.copyOf(servers);
        java.util.Objects.requireNonNull(tls, "tls");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server address is required");
        }
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("link count must be 1..64: " + count);
        }
        if (keepalive.isNegative() || keepalive.isZero() || keepalive.compareTo(Duration.ofMinutes(4)) > 0) {
            throw new IllegalArgumentException("link keepalive must be within (0, 4 minutes]: " + keepalive);
        }
        if (timeout.compareTo(keepalive) <= 0) {
            throw new IllegalArgumentException("link timeout (" + timeout.toSeconds()
                    + " s) must be longer than the keepalive (" + keepalive.toSeconds() + " s)");
        }
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("grace period must not be negative: " + gracePeriod);
        }
        if (holdBytesPerClient < 0 || holdBytesTotal < holdBytesPerClient) {
            throw new IllegalArgumentException("hold limits must satisfy 0 <= per client <= total");
        }
    }

    /** With the default timeout: three keepalive intervals. */
    public LinkSettings(List<InetSocketAddress> servers, int count, Duration keepalive, Duration gracePeriod,
                        int holdBytesPerClient, long holdBytesTotal, org.xmppcm.cm.link.LinkTls tls,
                        boolean compression) {
        this(servers, count, keepalive, gracePeriod, holdBytesPerClient, holdBytesTotal, tls, compression,
                defaultTimeout(keepalive));
    }

    /** Three keepalive intervals: two signs of life asked for and not given. */
    public static Duration defaultTimeout(Duration keepalive) {
        return keepalive.multipliedBy(3);
    }

    /** Defaults for one server address. */
    public static LinkSettings to(InetSocketAddress server) {
        return new LinkSettings(List.of(server), DEFAULT_COUNT, DEFAULT_KEEPALIVE, DEFAULT_GRACE,
                DEFAULT_HOLD_PER_CLIENT, DEFAULT_HOLD_TOTAL, org.xmppcm.cm.link.LinkTls.OFF, false);
    }

    public LinkSettings withCount(int newCount) {
        return new LinkSettings(servers, newCount, keepalive, gracePeriod, holdBytesPerClient, holdBytesTotal, tls, compression, timeout);
    }

    public LinkSettings withGracePeriod(Duration grace) {
        return new LinkSettings(servers, count, keepalive, grace, holdBytesPerClient, holdBytesTotal, tls, compression, timeout);
    }

    /** Another keepalive, with the timeout that goes with it (three intervals). */
    public LinkSettings withKeepalive(Duration interval) {
        return new LinkSettings(servers, count, interval, gracePeriod, holdBytesPerClient, holdBytesTotal, tls, compression,
                defaultTimeout(interval));
    }

    public LinkSettings withTimeout(Duration silence) {
        return new LinkSettings(servers, count, keepalive, gracePeriod, holdBytesPerClient, holdBytesTotal, tls, compression,
                silence);
    }

    public LinkSettings withTls(org.xmppcm.cm.link.LinkTls newTls) {
        return new LinkSettings(servers, count, keepalive, gracePeriod, holdBytesPerClient, holdBytesTotal, newTls, compression, timeout);
    }

    public LinkSettings withCompression(boolean on) {
        return new LinkSettings(servers, count, keepalive, gracePeriod, holdBytesPerClient, holdBytesTotal, tls, on, timeout);
    }

    public LinkSettings withHoldLimits(int perClient, long total) {
        return new LinkSettings(servers, count, keepalive, gracePeriod, perClient, total, tls, compression, timeout);
    }
}
