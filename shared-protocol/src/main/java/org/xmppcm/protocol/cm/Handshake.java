package org.xmppcm.protocol.cm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The link handshake (XEP-0114 style): {@code <handshake>} carrying lowercase hex
 * SHA-1(streamID + secret). Servers compare case-insensitively (02-bad-handshake.txt).
 *
 * <pre>
 *   server header id='4gh424n0i7', secret 's3cret'  (01-link-setup.txt)
 *   SHA-1("4gh424n0i7s3cret") = 213ab6de63f30db6484dec2f5de5746bf3184ebf
 *   CM -&gt; server:  &lt;handshake&gt;213ab6de63f30db6484dec2f5de5746bf3184ebf&lt;/handshake&gt;
 *   server -&gt; CM:  &lt;handshake&gt;&lt;/handshake&gt;   (or not-authorized stream error and close)
 * </pre>
 */
public final class Handshake {
    private static final HexFormat HEX = HexFormat.of();

    private Handshake() {
    }

    /** Lowercase hex SHA-1 of the UTF-8 bytes of {@code streamId + secret}. */
    public static String digest(String streamId, String secret) {
        return HEX.formatHex(sha1(streamId + secret));
    }

    /**
     * True when {@code received} is the digest for this stream and secret, in either case; constant
     * time in the digest's content (a wrong length fails at once, which reveals nothing: every valid
     * digest has 40 characters). Surrounding white space is ignored; null is never valid.
     */
    public static boolean verify(String received, String streamId, String secret) {
        if (received == null) {
            return false;
        }
        byte[] expected = digest(streamId, secret).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = lowerAscii(received.strip()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, actual);
    }

    private static String lowerAscii(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (c >= 'A' && c <= 'Z') {
                chars[i] = (char) (c + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    private static byte[] sha1(String input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
