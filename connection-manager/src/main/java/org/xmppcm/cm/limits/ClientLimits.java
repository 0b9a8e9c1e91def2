package org.xmppcm.cm.limits;

import java.time.Duration;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * What one CM allows its clients, each limit with the stream error that enforces it.
 *
 * @param maxClients open client connections at most; the next gets {@code resource-constraint}
 * @param connectionsPerIpPerSecond new connections one address may open per second on average,
 *        0 for no limit; beyond it {@code policy-violation}
 * @param connectionBurstPerIp how many of them may come at once
 * @param limitLoopback whether the per-address limit applies to loopback too (off by default: a
 *        local proxy or load tool is one address)
 * @param idleTimeout a client that sends nothing for this long is pinged (XEP-0199) half way and
 *        closed with {@code connection-timeout} at the end
 * @param keepalive a whitespace keepalive after this long without writing to the client
 * @param maxPendingWriteBytes bytes queued for a client that does not read; beyond it the client
 *        is closed with {@code policy-violation}, so a slow reader never holds others back
 * @param authTimeout a client not authenticated (SASL success, or a result to its XEP-0078 auth IQ, from
 *        the server) this long after it connected is closed with {@code connection-timeout}, whatever it sent meanwhile: idleness
 *        alone would let one that trickles a byte now and then hold a socket and a parser forever.
 */
public record ClientLimits(int maxClients, int connectionsPerIpPerSecond, int connectionBurstPerIp,
                           boolean limitLoopback, Duration idleTimeout, Duration keepalive,
                           int maxPendingWriteBytes, Duration authTimeout) {
    /** What the server may tune has its default in the tuning registry, so the plugin shows the same. */
    public static final ClientLimits DEFAULTS = new ClientLimits(TuningParameter.CLIENT_MAX.defaultValue(),
            TuningParameter.CLIENT_RATE_PER_IP.defaultValue(), 100, false,
            TuningParameter.CLIENT_IDLE_TIMEOUT_SECONDS.defaultDuration(),
            TuningParameter.CLIENT_KEEPALIVE_SECONDS.defaultDuration(),
            TuningParameter.CLIENT_PENDING_WRITE_MAX_BYTES.defaultValue(),
            TuningParameter.CLIENT_AUTH_TIMEOUT_SECONDS.defaultDuration());

    public ClientLimits {
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be positive: " + maxClients);
        }
        if (connectionsPerIpPerSecond < 0 || connectionBurstPerIp < 1) {
            throw new IllegalArgumentException("per-address connection rate must be >= 0 with a burst >= 1");
        }
        if (idleTimeout.toSeconds() < 2 || keepalive.toSeconds() < 1) {
            throw new IllegalArgumentException("idle timeout must be at least 2 s and keepalive at least 1 s");
        }
        if (maxPendingWriteBytes < 4096) {
            throw new IllegalArgumentException("maxPendingWriteBytes must be at least 4096: " + maxPendingWriteBytes);
        }
        if (authTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("auth timeout must be at least 1 s: " + authTimeout.toSeconds());
        }
    }

    public ClientLimits withMaxClients(int max) {
        return new ClientLimits(max, connectionsPerIpPerSecond, connectionBurstPerIp, limitLoopback, idleTimeout,
                keepalive, maxPendingWriteBytes, authTimeout);
    }

    public ClientLimits withConnectionRate(int perSecond, int burst, boolean includingLoopback) {
        return new ClientLimits(maxClients, perSecond, burst, includingLoopback, idleTimeout, keepalive,
                maxPendingWriteBytes, authTimeout);
    }

    public ClientLimits withIdle(Duration timeout, Duration keepaliveInterval) {
        return new ClientLimits(maxClients, connectionsPerIpPerSecond, connectionBurstPerIp, limitLoopback, timeout,
                keepaliveInterval, maxPendingWriteBytes, authTimeout);
    }

    public ClientLimits withMaxPendingWriteBytes(int max) {
        return new ClientLimits(maxClients, connectionsPerIpPerSecond, connectionBurstPerIp, limitLoopback, idleTimeout,
                keepalive, max, authTimeout);
    }

    public ClientLimits withAuthTimeout(Duration timeout) {
        return new ClientLimits(maxClients, connectionsPerIpPerSecond, connectionBurstPerIp, limitLoopback, idleTimeout,
                keepalive, maxPendingWriteBytes, timeout);
    }
}
