package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionTableTest {
    private final SessionTable<Object> table = new SessionTable<>();

    /** Verifies that a stream id live for one manager is refused for another, and the first keeps it. */
    @Test
    void aLiveStreamIdIsRefusedAcrossManagers() {
        // Setup test fixture.
        final Object first = new Object();
        assertThat(table.add("edge1", "a11ce004", first)).isTrue();

        // Execute system under test.
        final boolean added = table.add("edge2", "a11ce004", new Object());

        // Verify results.
        assertThat(added).isFalse();
        assertThat(table.managerOf("a11ce004")).isEqualTo("edge1");
        assertThat(table.size()).isEqualTo(1);
    }

    /** Verifies that once a session is gone its stream id can be used again. */
    @Test
    void aRemovedStreamIdCanBeReused() {
        final Object first = new Object();
        table.add("edge1", "s1", first);

        assertThat(table.remove("s1", first)).isTrue();
        assertThat(table.add("edge2", "s1", new Object())).isTrue();
        assertThat(table.managerOf("s1")).isEqualTo("edge2");
    }

    /** Verifies that a late removal of an ended session never removes the newer session that reuses its id. */
    @Test
    void removalIsByIdentity() {
        final Object old = new Object();
        final Object newer = new Object();
        table.add("edge1", "s1", old);
        table.remove("s1", old);
        table.add("edge1", "s1", newer);

        assertThat(table.remove("s1", old)).isFalse();
        assertThat(table.managerOf("s1")).isEqualTo("edge1");
        assertThat(table.remove("s1", newer)).isTrue();
        assertThat(table.remove("s1", newer)).isFalse();
        assertThat(table.managerOf("s1")).isNull();
    }

    /** Verifies the per-manager counts and the snapshot of entries. */
    @Test
    void countsAndEntries() {
        table.add("edge2", "b", new Object());
        table.add("edge1", "a", new Object());
        table.add("edge2", "c", new Object());

        assertThat(table.countByManager()).isEqualTo(Map.of("edge1", 1, "edge2", 2));
        assertThat(table.countByManager().keySet()).containsExactly("edge1", "edge2");
        assertThat(table.entries()).extracting(SessionTable.Entry::streamId).containsExactlyInAnyOrder("a", "b", "c");
    }
}
