package org.xmppcm.engine;

/**
 * What one link has carried since it connected, as counted by its socket. An element is one top-level element of the
 * link's stream: a {@code <route>}, a session IQ, a keepalive is not one.
 *
 * @param elementsIn elements the manager sent us
 * @param elementsOut elements we sent the manager
 * @param bytesIn bytes read from the link
 * @param bytesOut bytes written to the link
 */
public record LinkTraffic(long elementsIn, long elementsOut, long bytesIn, long bytesOut) {
    public static final LinkTraffic NONE = new LinkTraffic(0, 0, 0, 0);
}
