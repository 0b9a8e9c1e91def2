package org.xmppcm.protocol.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Openfire wire transcript from {@code shared/openfire-transcripts/} (see its README), read
 * into chunks: per connection label, the ordered {@code send()}/{@code recv()} chunks with their
 * direction and exact bytes.
 *
 * <pre>
 *   2026-11-22T03:46:45.836Z +   0.166s [cm:conn1] S&gt;C 23B |&lt;handshake&gt;&lt;/handshake&gt;
 *   timestamp                 seconds   connection  dir  n    bytes (UTF-8 text, escapes \\ \n \r \t \xNN)
 * </pre>
 *
 * <p>Every chunk's unescaped byte count is checked against its {@code n}B field; a mismatch
 * fails the load, so a wrong unescaping can never go unnoticed. Lines starting with {@code #}
 * (annotations) are kept as {@link Note}s; {@code --} lines (socket and admin events) are skipped.
 *
 * <p>Location: the system property {@code transcripts.dir} when set; otherwise the first
 * {@code shared/openfire-transcripts} or {@code ../shared/openfire-transcripts} found walking up
 * from the working directory. Immutable; chunk byte arrays are copied on access.
 */
public final class Transcript {
    /** Which way a chunk travelled. */
    public enum Direction {
        /** {@code C>S}: the probe (a CM, or a plain client) sent it to Openfire. */
        CLIENT_TO_SERVER("C>S"),
        /** {@code S>C}: received from Openfire. */
        SERVER_TO_CLIENT("S>C");

        private final String marker;

        Direction(String marker) {
            this.marker = marker;
        }

        public String marker() {
            return marker;
        }

        static Direction of(String marker) {
            for (Direction d : values()) {
                if (d.marker.equals(marker)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown direction " + marker);
        }
    }

    /**
     * One {@code send()} or {@code recv()}.
     *
     * @param index position among all chunks of the file (file order is time order)
     * @param lineNumber 1-based line in the file
     * @param timestamp the UTC timestamp as written
     * @param seconds seconds since the scenario started
     * @param connection the connection label without brackets ({@code cm:conn1}, {@code c2s:bob})
     */
    public record Chunk(int index, int lineNumber, String timestamp, double seconds, String connection,
                        Direction direction, byte[] bytes) {
        public Chunk {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        public String asString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** True for links to the CM listener ({@code cm:*}), false for direct client connections. */
        public boolean isCmLink() {
            return connection.startsWith("cm:");
        }

        @Override
        public String toString() {
            return "line " + lineNumber + " [" + connection + "] " + direction.marker() + " " + asString();
        }
    }

    /** A {@code #} annotation line, and how many chunks precede it in the file. */
    public record Note(int lineNumber, int chunksBefore, String text) {
    }

    private static final Pattern CHUNK = Pattern.compile(
            "^(\\S+) \\+\\s*([0-9.]+)s \\[([^\\]]+)\\] (C>S|S>C) (\\d+)B \\|(.*)$");

    private final String name;
    private final List<Chunk> chunks;
    private final List<Note> notes;

    private Transcript(String name, List<Chunk> chunks, List<Note> notes) {
        this.name = name;
        this.chunks = List.copyOf(chunks);
        this.notes = List.copyOf(notes);
    }

    /** The transcript directory (see class comment). */
    public static Path directory() {
        String configured = System.getProperty("transcripts.dir");
        if (configured != null && !configured.isBlank()) {
            Path dir = Paths.get(configured);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("transcripts.dir is not a directory: " + dir);
            }
            return dir;
        }
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("shared/openfire-transcripts"),
                    dir.resolve("../shared/openfire-transcripts"))) {
                if (Files.isDirectory(candidate)) {
                    return candidate.normalize();
                }
            }
        }
        throw new IllegalStateException("no shared/openfire-transcripts above " + start
                + "; set -Dtranscripts.dir=...");
    }

    /** The transcript files' names ({@code 01-link-setup.txt}, ...), sorted. */
    public static List<String> fileNames() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".txt"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads one transcript by file name. */
    public static Transcript load(String fileName) {
        Path file = directory().resolve(fileName);
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            return parse(fileName, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every transcript, in file name order. */
    public static List<Transcript> loadAll() {
        return fileNames().stream().map(Transcript::load).toList();
    }

    /**
     * Parses transcript text (the whole file). Lines are split on {@code \n} only, so a chunk's
     * trailing space (a keepalive) survives.
     *
     * @throws IllegalArgumentException on a malformed chunk line, a bad escape or a byte count
     *         that does not match
     */
    public static Transcript parse(String name, String content) {
        List<Chunk> chunks = new ArrayList<>();
        List<Note> notes = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNumber = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                notes.add(new Note(lineNumber, chunks.size(), line.substring(1).strip()));
                continue;
            }
            Matcher m = CHUNK.matcher(line);
            if (!m.matches()) {
                continue; // socket and admin events: "-- ..."
            }
            byte[] bytes;
            try {
                bytes = unescape(m.group(6));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ":" + lineNumber + ": " + e.getMessage(), e);
            }
            int declared = Integer.parseInt(m.group(5));
            if (bytes.length != declared) {
                throw new IllegalArgumentException(name + ":" + lineNumber + ": line says " + declared
                        + "B, unescaped bytes are " + bytes.length + "B");
            }
            chunks.add(new Chunk(chunks.size(), lineNumber, m.group(1), Double.parseDouble(m.group(2)), m.group(3),
                    Direction.of(m.group(4)), bytes));
        }
        return new Transcript(name, chunks, notes);
    }

    /**
     * Undoes the transcript escaping: {@code \\ \n \r \t \xNN}; every other character is UTF-8
     * text as it was on the wire.
     *
     * @throws IllegalArgumentException on an unknown or truncated escape
     */
    public static byte[] unescape(String escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(escaped.length());
        int runStart = 0;
        int i = 0;
        while (i < escaped.length()) {
            char c = escaped.charAt(i);
            if (c != '\\') {
                i++;
                continue;
            }
            writeUtf8(out, escaped.substring(runStart, i));
            if (i + 1 >= escaped.length()) {
                throw new IllegalArgumentException("dangling backslash at column " + i);
            }
            char e = escaped.charAt(i + 1);
            switch (e) {
                case '\\' -> out.write('\\');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'x' -> {
                    if (i + 4 > escaped.length()) {
                        throw new IllegalArgumentException("truncated \\x escape at column " + i);
                    }
                    String hex = escaped.substring(i + 2, i + 4);
                    try {
                        out.write(Integer.parseInt(hex, 16));
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException("bad \\x escape '" + hex + "' at column " + i, ex);
                    }
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " at column " + i);
            }
            i += 2;
            runStart = i;
        }
        writeUtf8(out, escaped.substring(runStart));
        return out.toByteArray();
    }

    private static void writeUtf8(ByteArrayOutputStream out, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    /** The file name. */
    public String name() {
        return name;
    }

    /** Every chunk in file (time) order. */
    public List<Chunk> chunks() {
        return chunks;
    }

    /** The chunks of one connection, in order. */
    public List<Chunk> chunks(String connection) {
        return chunks.stream().filter(c -> c.connection().equals(connection)).toList();
    }

    /** The chunks of one connection in one direction, in order. */
    public List<Chunk> chunks(String connection, Direction direction) {
        return chunks.stream().filter(c -> c.connection().equals(connection) && c.direction() == direction).toList();
    }

    /** All bytes of one connection in one direction, concatenated. */
    public byte[] bytes(String connection, Direction direction) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Chunk c : chunks(connection, direction)) {
            byte[] b = c.bytes();
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    /** Connection labels in order of first appearance. */
    public List<String> connections() {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Chunk c : chunks) {
            seen.putIfAbsent(c.connection(), Boolean.TRUE);
        }
        return List.copyOf(seen.keySet());
    }

    /** The {@code cm:*} connection labels in order of first appearance. */
    public List<String> cmLinks() {
        return connections().stream().filter(c -> c.startsWith("cm:")).toList();
    }

    /** The {@code #} annotation lines. */
    public List<Note> notes() {
        return Collections.unmodifiableList(notes);
    }

    @Override
    public String toString() {
        return name;
    }
}
