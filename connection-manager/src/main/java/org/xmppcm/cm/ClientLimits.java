package org.xmppcm.cm;

import java.time.Duration;

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
 */
public record ClientLimits(int maxClients, int connectionsPerIpPerSecond, int connectionBurstPerIp,
                           boolean limitLoopback, Duration idleTimeout, Duration keepalive,
                           int maxPendingWriteBytes) {
    public static final ClientLimits DEFAULTS = new ClientLimits(500_000, 20, 100, false,
            Duration.ofMinutes(6), Duration.ofSeconds(90), 1024 * 1024);

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
    }

    public ClientLimits withMaxClients(int max) {
        return new ClientLimits(max, connectionsPerIpPerSecond, connectionBurstPerIp, limitLoopback, idleTimeout,
                keepalive, maxPendingWriteBytes);
    }

    public ClientLimits withConnectionRate(int perSecond, int burst, boolean includingLoopback) {
        return new ClientLimits(maxClients, perSecond, burst, includingLoopback, idleTimeout, keepalive,
                maxPendingWriteBytes);
    }

    public ClientLimits withIdle(Duration timeout, Duration keepaliveInterval) {
        return new ClientLimits(maxClients, connectionsPerIpPerSecond, connectionBurstPerIp, limitLoopback, timeout,
                keepaliveInterval, maxPendingWriteBytes);
    }

    public ClientLimits withMaxPendingWriteBytes(int max) {
        return new ClientLimits(maxClients, connectionsPerIpPerSecond, connectionBurstPerIp, limitLoopback, idleTimeout,
                keepalive, max);
    }
}
