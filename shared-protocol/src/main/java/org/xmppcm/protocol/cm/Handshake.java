package org.xmppcm.protocol.cm;

/**
 * The link handshake (XEP-0114 style): {@code <handshake>} carrying lowercase hex
 * SHA-1(streamID + secret). Servers compare case-insensitively (02-bad-handshake.txt).
 */
public final class Handshake {
    private Handshake() {
    }

    /** Lowercase hex SHA-1 of the UTF-8 bytes of {@code streamId + secret}. */
    public static String digest(String streamId, String secret) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** True when {@code received} is the digest for this stream and secret, in either case; constant time. */
    public static boolean verify(String received, String streamId, String secret) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
