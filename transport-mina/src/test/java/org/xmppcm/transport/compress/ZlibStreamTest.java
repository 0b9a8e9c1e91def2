package org.xmppcm.transport.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * Verifies the CM's zlib streams against the JDK's zlib, which is what Smack and most clients
 * use: the client's 32 KB window is accepted, the CM's small window is readable by any client,
 * and every write can be read completely as soon as it arrives.
 */
class ZlibStreamTest {
    private static final String PRESENCE = "<presence from='alice@localhost/phone' to='bob@localhost'>"
            + "<show>away</show><status>At lunch</status><c xmlns='http://jabber.org/protocol/caps' hash='sha-1'"
            + " node='https://example.org' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/></presence>";

    @Test
    void inflatesWhatAClientDeflatesWithTheLargestWindowOneFlushAtATime() throws Exception {
        ZlibStream stream = new ZlibStream(ZlibTuning.DEFAULT);
        Deflater client = new Deflater(Deflater.DEFAULT_COMPRESSION); // 15-bit window
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String stanza = PRESENCE.replace("At lunch", "At lunch " + i);
            sent.append(stanza);
            byte[] compressed = deflate(client, stanza.getBytes(StandardCharsets.UTF_8));
            int before = received.size();
            stream.inflate(compressed, 0, compressed.length, (bytes, n) -> received.write(bytes, 0, n));
            assertThat(received.size() - before).as("write %d readable at once", i).isEqualTo(stanza.length());
        }
        assertThat(received.toString(StandardCharsets.UTF_8)).isEqualTo(sent.toString());
        stream.end();
    }

    @Test
    void aClientInflatesEveryWriteAsSoonAsItArrives() throws Exception {
        ZlibStream stream = new ZlibStream(ZlibTuning.DEFAULT);
        Inflater client = new Inflater();
        int compressedTotal = 0;
        int plainTotal = 0;
        for (int i = 0; i < 200; i++) {
            byte[] plain = PRESENCE.replace("At lunch", "At lunch " + i).getBytes(StandardCharsets.UTF_8);
            int[] produced = new int[1];
            byte[] compressed = stream.deflate(plain, 0, plain.length, produced);
            client.setInput(compressed, 0, produced[0]);
            byte[] out = new byte[plain.length * 2];
            int n = client.inflate(out);
            assertThat(new String(out, 0, n, StandardCharsets.UTF_8)).isEqualTo(new String(plain, StandardCharsets.UTF_8));
            compressedTotal += produced[0];
            plainTotal += plain.length;
        }
        // Repetition across stanzas is what zlib gains on XMPP; a small window still sees it.
        assertThat(compressedTotal).isLessThan(plainTotal / 4);
        stream.end();
    }

    @Test
    void aSmallInputThatInflatesToALotComesOutInBoundedChunks() throws Exception {
        ZlibStream stream = new ZlibStream(ZlibTuning.DEFAULT);
        byte[] spaces = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        byte[] compressed = deflate(new Deflater(), spaces);
        List<Integer> chunks = new ArrayList<>();
        stream.inflate(compressed, 0, compressed.length, (bytes, n) -> chunks.add(n));
        assertThat(chunks.stream().mapToInt(Integer::intValue).sum()).isEqualTo(spaces.length);
        assertThat(chunks).allMatch(n -> n <= 16 * 1024);
    }

    @Test
    void garbageIsACompressedStreamError() {
        ZlibStream stream = new ZlibStream(ZlibTuning.DEFAULT);
        byte[] garbage = "<message>not compressed</message>".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> stream.inflate(garbage, 0, garbage.length, (bytes, n) -> { }))
                .isInstanceOf(CompressedStreamException.class);
    }

    @Test
    void nothingIsWrittenOnceEnded() {
        ZlibStream stream = new ZlibStream(ZlibTuning.DEFAULT);
        stream.end();
        stream.end();
        assertThat(stream.deflate(new byte[] {1}, 0, 1, new int[1])).isNull();
    }

    @Test
    void refusesTuningOutsideWhatZlibAllows() {
        assertThatThrownBy(() -> new ZlibTuning(6, 8, 4)).hasMessageContaining("window bits");
        assertThatThrownBy(() -> new ZlibTuning(6, 10, 0)).hasMessageContaining("memory level");
        assertThatThrownBy(() -> new ZlibTuning(0, 10, 4)).hasMessageContaining("level");
    }

    private static byte[] deflate(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buffer, 0, n);
            if (n < buffer.length) {
                break;
            }
        }
        return out.toByteArray();
    }
}
