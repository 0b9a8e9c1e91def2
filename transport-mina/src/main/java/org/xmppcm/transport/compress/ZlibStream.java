package org.xmppcm.transport.compress;

import com.jcraft.jzlib.Deflater;
import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.JZlib;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Both directions of one peer's zlib stream (RFC 1950, as XEP-0138 uses it): inflates whatever
 * the peer sends, deflates each write with a sync flush so the peer can read it at once. The peer
 * is called the client below: a CM's clients are where memory matters (CM links are few).
 *
 * <p>The two directions use different zlib implementations, for memory: an idle compressed client
 * must stay within a few tens of KB of heap.
 * <ul>
 * <li>Deflate, our side: jzlib, because its window and hash sizes can be chosen
 *     ({@link ZlibTuning}); the JDK's Deflater always takes zlib's 15/8 defaults, ~270 KB.
 * <li>Inflate, the client's side: the window is the client's choice, 32 KB for nearly every
 *     client, and must be kept. jzlib's inflater holds it on the heap plus 17 KB of Huffman table
 *     space, ~52 KB in all; the JDK's Inflater (its bundled native zlib) holds the same window in
 *     ~39 KB of native memory and ~0.3 KB of heap. Cheaper in total and off the heap the GC
 *     scans, so the JDK's it is. Native memory is still memory: size the container for it.
 * </ul>
 *
 * <p>Each direction has its own lock: reads come from the session's I/O thread, writes from any
 * thread, and a read may cause a write (an answer) while it is being delivered. Between calls
 * neither side keeps a reference to our buffers (that would pin the last message of every idle
 * client in memory).
 */
final class ZlibStream {
    /** Receives inflated bytes; the array belongs to the receiver. */
    interface Sink {
        void accept(byte[] bytes, int length) throws Exception;
    }

    private static final byte[] NOTHING = new byte[0];

    private final Object inflateLock = new Object();
    private final Object deflateLock = new Object();
    /** Not this object's monitor: {@link ZlibFilter} holds that while it writes. */
    private final Object endLock = new Object();
    /** Accepts any window up to 32 KB, as RFC 1950 allows the client. */
    private final Inflater inflater = new Inflater();
    private final Deflater deflater;
    private boolean inflateEnded;
    private boolean deflateEnded;
    private boolean freed;

    ZlibStream(ZlibTuning tuning) {
        try {
            deflater = new Deflater(tuning.level(), tuning.windowBits(), tuning.memLevel());
        } catch (GZIPException e) {
            inflater.end();
            throw new IllegalStateException("jzlib refused " + tuning, e);
        }
    }

    /**
     * Inflates {@code length} bytes, handing the output on in chunks as it comes, so a small
     * input that inflates to a lot never sits in memory whole.
     */
    void inflate(byte[] input, int offset, int length, Sink sink) throws Exception {
        synchronized (inflateLock) {
            if (inflateEnded || length == 0) {
                return;
            }
            int chunk = Math.min(16 * 1024, Math.max(1024, length * 4));
            inflater.setInput(input, offset, length);
            try {
                int produced;
                do {
                    byte[] out = new byte[chunk];
                    try {
                        produced = inflater.inflate(out);
                    } catch (DataFormatException e) {
                        inflateEnded = true;
                        throw new CompressedStreamException("not zlib data: " + e.getMessage());
                    }
                    if (produced > 0) {
                        sink.accept(out, produced);
                    }
                    if (inflater.finished()) {
                        // The client finished its compressed stream; nothing may follow it.
                        inflateEnded = true;
                        if (inflater.getRemaining() > 0) {
                            throw new CompressedStreamException("data after the end of the compressed stream");
                        }
                        return;
                    }
                    if (inflater.needsDictionary()) {
                        inflateEnded = true;
                        throw new CompressedStreamException("a preset dictionary is not part of XEP-0138");
                    }
                    // A full output buffer may leave more output inside zlib even with no input left.
                } while (produced == chunk || produced > 0 && !inflater.needsInput());
            } finally {
                inflater.setInput(NOTHING);
            }
        }
    }

    /**
     * Deflates one write and flushes it (Z_SYNC_FLUSH), so it ends on a byte boundary and the
     * client can inflate all of it now.
     *
     * @return the compressed bytes ({@code produced[0]} of them count), or null once {@link #end()} ran
     */
    byte[] deflate(byte[] input, int offset, int length, int[] produced) {
        synchronized (deflateLock) {
            if (deflateEnded) {
                return null;
            }
            // Deflate adds at most 5 bytes per 16 KB stored block, plus the flush and the header.
            byte[] out = new byte[length + (length >> 10) * 5 + 64];
            int done = 0;
            deflater.setInput(input, offset, length, false);
            try {
                while (true) {
                    deflater.setOutput(out, done, out.length - done);
                    int rc = deflater.deflate(JZlib.Z_SYNC_FLUSH);
                    done = deflater.next_out_index;
                    if (rc != JZlib.Z_OK && rc != JZlib.Z_BUF_ERROR) {
                        deflateEnded = true;
                        throw new IllegalStateException("zlib deflate error " + rc);
                    }
                    if (deflater.avail_out > 0 && deflater.avail_in == 0) {
                        produced[0] = done;
                        return out;
                    }
                    out = Arrays.copyOf(out, out.length * 2);
                }
            } finally {
                deflater.setInput(NOTHING, 0, 0, false);
                deflater.setOutput(NOTHING, 0, 0);
            }
        }
    }

    /** Frees both directions; later calls do nothing. */
    void end() {
        synchronized (endLock) {
            endBoth();
        }
    }

    private void endBoth() {
        synchronized (inflateLock) {
            if (!freed) {
                inflater.end();
            }
            inflateEnded = true;
        }
        synchronized (deflateLock) {
            if (!freed) {
                deflater.end();
            }
            deflateEnded = true;
            freed = true;
        }
    }
}
