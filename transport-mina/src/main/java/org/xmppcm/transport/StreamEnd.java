package org.xmppcm.transport;

/** Message delivered to the handler when the peer sent {@code </stream:stream>}. */
public enum StreamEnd {
    INSTANCE
}
