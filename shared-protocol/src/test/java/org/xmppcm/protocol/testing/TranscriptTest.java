package org.xmppcm.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmppcm.protocol.testing.Transcript.Chunk;
import org.xmppcm.protocol.testing.Transcript.Direction;

class TranscriptTest {
    static List<String> files() {
        return Transcript.fileNames();
    }

    @Test
    void findsAllThirteenTranscriptFiles() {
        assertThat(Transcript.fileNames()).hasSize(13).startsWith("01-link-setup.txt").endsWith("10-server-shutdown.txt");
    }

    @ParameterizedTest
    @MethodSource("files")
    void everyChunkUnescapesToItsDeclaredByteCount(String file) {
        // load() checks each chunk's nB against the unescaped length and throws on a mismatch
        Transcript t = Transcript.load(file);
        assertThat(t.chunks()).isNotEmpty();
        assertThat(t.cmLinks()).isNotEmpty();
    }

    @Test
    void countsNonAsciiTextInUtf8Bytes() {
        Transcript t = Transcript.load("04-plain-bind-message-close.txt");
        Chunk m1 = t.chunks().stream().filter(c -> c.asString().contains("id='m1'")).findFirst().orElseThrow();
        assertThat(m1.length()).isEqualTo(201);
        assertThat(m1.asString()).contains("ü€");
        assertThat(m1.asString().length()).isLessThan(201);
    }

    @Test
    void keepsAKeepaliveAsASingleSpace() {
        Transcript t = Transcript.load("01-link-setup.txt");
        List<Chunk> fromServer = t.chunks("cm:conn1", Direction.SERVER_TO_CLIENT);
        assertThat(fromServer).filteredOn(c -> c.length() == 1).hasSize(2)
                .allSatisfy(c -> assertThat(c.bytes()).containsExactly(' '));
    }

    @Test
    void listsConnectionsInOrderOfFirstAppearance() {
        Transcript t = Transcript.load("09-link-drop.txt");
        assertThat(t.connections()).containsExactly("c2s:bob", "cm:conn1", "cm:conn1-again", "cm:conn3", "cm:conn1-cleanup");
        assertThat(t.cmLinks()).containsExactly("cm:conn1", "cm:conn1-again", "cm:conn3", "cm:conn1-cleanup");
    }

    @Test
    void givesEachConnectionItsChunksInOrderAndDirection() {
        Transcript t = Transcript.load("01-link-setup.txt");
        List<Chunk> sent = t.chunks("cm:conn1", Direction.CLIENT_TO_SERVER);
        assertThat(sent).extracting(Chunk::asString).containsExactly(
                "<?xml version='1.0' encoding='UTF-8'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
                        + " xmlns='jabber:connectionmanager' to='cmtest/conn1' version='1.0'>",
                "<handshake>213ab6de63f30db6484dec2f5de5746bf3184ebf</handshake>",
                "<iq type='result' id='726-2'/>",
                "</stream:stream>");
        assertThat(new String(t.bytes("cm:conn1", Direction.CLIENT_TO_SERVER), StandardCharsets.UTF_8))
                .endsWith("<iq type='result' id='726-2'/></stream:stream>");
    }

    @Test
    void keepsAnnotationsWithTheirPosition() {
        Transcript t = Transcript.load("01-link-setup.txt");
        assertThat(t.notes()).anySatisfy(n -> {
            assertThat(n.text()).startsWith("stream id from server header = '4gh424n0i7'");
            assertThat(n.chunksBefore()).isEqualTo(2);
        });
    }

    @Test
    void unescapesBackslashNewlineReturnTabAndHexBytes() {
        assertThat(Transcript.unescape("a\\\\b\\n\\r\\t\\x00\\xff|é"))
                .containsExactly('a', '\\', 'b', '\n', '\r', '\t', 0x00, 0xff, '|', 0xc3, 0xa9);
    }

    @Test
    void rejectsUnknownAndTruncatedEscapes() {
        assertThatThrownBy(() -> Transcript.unescape("\\q")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Transcript.unescape("ab\\x4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Transcript.unescape("ab\\")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAChunkWhoseByteCountDoesNotMatch() {
        String line = "2026-11-22T03:46:45.673Z +   0.003s [cm:conn1] C>S 5B |<a/>\\n\\n";
        assertThatThrownBy(() -> Transcript.parse("bad.txt", line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.txt:1").hasMessageContaining("6B");
    }

    @Test
    void parsesTimestampSecondsAndLineNumber() {
        String text = "# note\n2026-11-22T03:46:45.673Z +  12.500s [c2s:x] S>C 4B |<a/>\n";
        Chunk c = Transcript.parse("t", text).chunks().get(0);
        assertThat(c.lineNumber()).isEqualTo(2);
        assertThat(c.seconds()).isEqualTo(12.5);
        assertThat(c.timestamp()).isEqualTo("2026-11-22T03:46:45.673Z");
        assertThat(c.connection()).isEqualTo("c2s:x");
        assertThat(c.isCmLink()).isFalse();
        assertThat(c.direction()).isEqualTo(Direction.SERVER_TO_CLIENT);
    }

    @Test
    void honoursTheTranscriptsDirProperty() {
        String dir = Transcript.directory().toString();
        String old = System.getProperty("transcripts.dir");
        try {
            System.setProperty("transcripts.dir", dir);
            assertThat(Transcript.directory().toString()).isEqualTo(dir);
            System.setProperty("transcripts.dir", dir + "/does-not-exist");
            assertThatThrownBy(Transcript::directory).isInstanceOf(IllegalStateException.class);
        } finally {
            if (old == null) {
                System.clearProperty("transcripts.dir");
            } else {
                System.setProperty("transcripts.dir", old);
            }
        }
    }
}
