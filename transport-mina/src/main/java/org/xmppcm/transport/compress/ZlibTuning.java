package org.xmppcm.transport.compress;

/**
 * How a session deflates what it sends to a compressed peer: memory against compression. jzlib's
 * deflater holds about {@code 4 * 2^windowBits + 2^(memLevel+9)} bytes plus
 * ~7 KB of Huffman trees; zlib's defaults (15, 8) make that ~270 KB per client, the default here
 * (11, 2) ~17 KB. Measured on a mix of presences, chats and IQ results (310 bytes a stanza on
 * average, one sync flush per stanza), output as a share of input:
 *
 * <pre>
 *   windowBits/memLevel   15/8   11/5   11/2   10/4   10/2   9/3
 *   heap per client       270K    32K    17K    19K    13K   13K
 *   output                 17%    22%    22%    30%    30%   64%
 * </pre>
 *
 * The window is what matters: XMPP repeats itself from stanza to stanza (names, namespaces,
 * JIDs), and a 2 KB window still reaches the previous handful of stanzas; below 1 KB it no longer
 * holds two, and compression collapses. The hash size (memLevel) barely matters for such small
 * writes. The client's inflater accepts any window up to its own, so this is invisible to
 * clients. The inflate side is not tunable: it must keep the client's window, 32 KB for nearly
 * every client (see {@link ZlibStream}). CM links, few and busy, can afford zlib's defaults (15, 8).
 *
 * @param level deflate level 1 (fastest) to 9 (smallest)
 * @param windowBits base-2 logarithm of the deflate window, 9 to 15
 * @param memLevel deflate hash memory, 1 to 9
 */
public record ZlibTuning(int level, int windowBits, int memLevel) {
    public static final ZlibTuning DEFAULT = new ZlibTuning(6, 11, 2);
    /** For CM links, both ends: few links carrying much traffic, so zlib's full window buys the better ratio. */
    public static final ZlibTuning LINK = new ZlibTuning(6, 15, 8);

    public ZlibTuning {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("zlib level must be 1 to 9: " + level);
        }
        if (windowBits < 9 || windowBits > 15) {
            throw new IllegalArgumentException("zlib window bits must be 9 to 15: " + windowBits);
        }
        if (memLevel < 1 || memLevel > 9) {
            throw new IllegalArgumentException("zlib memory level must be 1 to 9: " + memLevel);
        }
    }
}
