package org.xmppcm.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.xmppcm.protocol.machine.StateGraph;

/**
 * Compares a graph with its committed diagram, {@code docs/graphs/<name>.dot} at the top of the repository, so that a
 * changed graph cannot go unnoticed in review. Run with {@code -Dgraphs.write=true} to rewrite the diagrams from the
 * code, then commit them.
 */
public final class GraphDiagrams {
    private GraphDiagrams() {
    }

    public static void assertMatchesCommittedDiagram(StateGraph<?> graph) {
        Path file = directory().resolve(graph.name() + ".dot");
        String actual = graph.toDot();
        try {
            if (Boolean.getBoolean("graphs.write")) {
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertThat(file).as("the committed diagram of graph %s (write it with -Dgraphs.write=true)", graph.name())
                    .exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .as("%s differs from the graph in the code; rewrite with -Dgraphs.write=true and commit it", file)
                    .isEqualTo(actual);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code docs/graphs}, found walking up from the module's directory to the repository's top (the root pom). */
    static Path directory() {
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path graphs = dir.resolve("docs/graphs");
            if (Files.isDirectory(graphs) && Files.exists(dir.resolve("pom.xml"))) {
                return graphs;
            }
        }
        throw new IllegalStateException("no docs/graphs above " + start);
    }
}
