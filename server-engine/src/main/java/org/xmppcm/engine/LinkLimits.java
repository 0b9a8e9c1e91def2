package org.xmppcm.engine;

/**
 * How much a CM link may hold up. A burst (a presence fan-out to thousands of clients) may queue
 * more than {@code queuedWriteBytes} for a moment while the I/O thread pushes it into the socket;
 * that is fine as long as the CM keeps reading. A link is dropped when its queue is above
 * {@code queuedWriteBytes} and nothing was written for {@code stallMillis} (the CM stopped
 * reading), or at once when the queue passes {@code hardQueuedWriteBytes} (memory first).
 *
 * @param queuedWriteBytes queued bytes above which a stalled link is dropped
 * @param hardQueuedWriteBytes queued bytes above which any link is dropped
 * @param stallMillis how long without progress makes a link stalled
 * @param drainSeconds after the policy-violation error, how long the CM gets to read it before the socket is cut
 * @param writeTimeoutSeconds any link whose pending output does not move for this long is closed
 * @param negotiationTimeoutSeconds how long a new connection has, counted from accept, to finish its negotiation
 *        (stream header, STARTTLS or compression restarts, handshake), whatever it sends meanwhile: an absolute
 *        deadline, so that neither a silent peer nor one trickling a byte now and then can park an unauthenticated
 *        socket and its parser on us
 * @param handshakeFailures failed handshakes from one IP address within {@code handshakeWindowSeconds}
 *        after which that address is refused without checking its digest (secrets cannot be guessed at
 *        line rate); 0 switches the throttle off
 * @param handshakeWindowSeconds the window, from an address's first failure, in which failures are counted
 * @param handshakeBlockSeconds how long a throttled address gets {@code policy-violation} for any handshake
 */
record LinkLimits(long queuedWriteBytes, long hardQueuedWriteBytes, long stallMillis, int drainSeconds,
                  int writeTimeoutSeconds, int negotiationTimeoutSeconds,
                  int handshakeFailures, int handshakeWindowSeconds, int handshakeBlockSeconds) {
    static final long MIB = 1024 * 1024;
    static final LinkLimits DEFAULT = new LinkLimits(8 * MIB, 32 * MIB, 5_000, 5, 60, 30, 5, 60, 60);
}
