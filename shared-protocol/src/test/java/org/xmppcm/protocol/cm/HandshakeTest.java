package org.xmppcm.protocol.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.testing.Transcript;
import org.xmppcm.protocol.testing.Transcript.Chunk;
import org.xmppcm.protocol.testing.Transcript.Direction;

class HandshakeTest {
    private static final Pattern STREAM_ID = Pattern.compile("<stream:stream [^>]*\\bid=\"([^\"]+)\"");
    private static final Pattern DIGEST = Pattern.compile("<handshake>([^<]*)</handshake>");

    @Test
    void digestIsLowercaseHexSha1OfStreamIdAndSecret() {
        // 01-link-setup.txt: sha1('4gh424n0i7s3cret')
        assertThat(Handshake.digest("4gh424n0i7", "s3cret")).isEqualTo("213ab6de63f30db6484dec2f5de5746bf3184ebf");
    }

    @Test
    void digestHashesTheUtf8BytesOfTheConcatenation() {
        // sha1 over c3 a9, the UTF-8 of "é", whichever side it comes from
        assertThat(Handshake.digest("\u00e9", "")).isEqualTo("bf15be717ac1b080b4f1c456692825891ff5073d");
        assertThat(Handshake.digest("", "\u00e9")).isEqualTo("bf15be717ac1b080b4f1c456692825891ff5073d");
    }

    @Test
    void verifyAcceptsEitherCaseAndSurroundingWhitespace() {
        assertThat(Handshake.verify("213ab6de63f30db6484dec2f5de5746bf3184ebf", "4gh424n0i7", "s3cret")).isTrue();
        assertThat(Handshake.verify("213AB6DE63F30DB6484DEC2F5DE5746BF3184EBF", "4gh424n0i7", "s3cret")).isTrue();
        assertThat(Handshake.verify(" 213ab6de63f30db6484dec2f5de5746bf3184ebf\n", "4gh424n0i7", "s3cret")).isTrue();
    }

    @Test
    void verifyRefusesWrongDigestsWrongLengthsAndNull() {
        assertThat(Handshake.verify("213ab6de63f30db6484dec2f5de5746bf3184ebe", "4gh424n0i7", "s3cret")).isFalse();
        assertThat(Handshake.verify("213ab6de63f30db6484dec2f5de5746bf3184eb", "4gh424n0i7", "s3cret")).isFalse();
        assertThat(Handshake.verify("", "4gh424n0i7", "s3cret")).isFalse();
        assertThat(Handshake.verify(null, "4gh424n0i7", "s3cret")).isFalse();
        assertThat(Handshake.verify("213ab6de63f30db6484dec2f5de5746bf3184ebf", "4gh424n0i7", "other")).isFalse();
    }

    /** For every handshake in every transcript, our verdict is the server's: ack when we verify, stream error otherwise. */
    @Test
    void verifyAgreesWithOpenfireOnEveryHandshakeInTheTranscripts() {
        List<String> checked = new ArrayList<>();
        for (Transcript t : Transcript.loadAll()) {
            for (String link : t.cmLinks()) {
                String streamId = null;
                List<Chunk> chunks = t.chunks(link);
                for (int i = 0; i < chunks.size(); i++) {
                    Chunk c = chunks.get(i);
                    Matcher id = STREAM_ID.matcher(c.asString());
                    if (c.direction() == Direction.SERVER_TO_CLIENT && id.find()) {
                        streamId = id.group(1);
                    }
                    Matcher digest = DIGEST.matcher(c.asString());
                    if (c.direction() != Direction.CLIENT_TO_SERVER || !digest.find()) {
                        continue;
                    }
                    String reply = nextFromServer(chunks, i);
                    boolean accepted = reply.startsWith("<handshake></handshake>");
                    assertThat(Handshake.verify(digest.group(1), streamId, "s3cret"))
                            .as("%s %s", t.name(), c)
                            .isEqualTo(accepted);
                    if (accepted && digest.group(1).equals(digest.group(1).toLowerCase())) {
                        assertThat(Handshake.digest(streamId, "s3cret")).isEqualTo(digest.group(1));
                    }
                    checked.add(t.name() + " " + link + (accepted ? " ok" : " refused"));
                }
            }
        }
        assertThat(checked).hasSizeGreaterThan(20).contains("02-bad-handshake.txt cm:conn1 refused",
                "02-bad-handshake.txt cm:conn1-upper ok");
    }

    private static String nextFromServer(List<Chunk> chunks, int after) {
        for (int j = after + 1; j < chunks.size(); j++) {
            if (chunks.get(j).direction() == Direction.SERVER_TO_CLIENT) {
                return chunks.get(j).asString();
            }
        }
        return "";
    }
}
