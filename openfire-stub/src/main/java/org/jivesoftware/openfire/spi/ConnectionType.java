package org.jivesoftware.openfire.spi;

/**
 * Compile-only mirror of Openfire's {@code ConnectionType} enum, narrowed to the two constants the plugin names
 * (the real enum also has SOCKET_S2S, BOSH_C2S, WEBADMIN, COMPONENT and, in newer versions, QUIC_C2S).
 */
public enum ConnectionType {
    SOCKET_C2S,
    CONNECTION_MANAGER
}
