package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionTableTest {
    /** A session as the plugin has them: it knows the manager that announced it. */
    private static final class Session {
        final String manager;

        Session(String manager) {
            this.manager = manager;
        }
    }

    private final SessionTable<Session> table = new SessionTable<>(s -> s.manager);

    /** Verifies that a stream id live for one manager is refused for another, and the first keeps it. */
    @Test
    void aLiveStreamIdIsRefusedAcrossManagers() {
        // Setup test fixture.
        final Session first = new Session("edge1");
        assertThat(table.add("a11ce004", first)).isTrue();

        // Execute system under test.
        final boolean added = table.add("a11ce004", new Session("edge2"));

        // Verify results.
        assertThat(added).isFalse();
        assertThat(table.managerOf("a11ce004")).isEqualTo("edge1");
        assertThat(table.size()).isEqualTo(1);
    }

    /** Verifies that once a session is gone its stream id can be used again. */
    @Test
    void aRemovedStreamIdCanBeReused() {
        final Session first = new Session("edge1");
        table.add("s1", first);

        assertThat(table.remove("s1", first)).isTrue();
        assertThat(table.add("s1", new Session("edge2"))).isTrue();
        assertThat(table.managerOf("s1")).isEqualTo("edge2");
    }

    /** Verifies that a late removal of an ended session never removes the newer session that reuses its id. */
    @Test
    void removalIsByIdentity() {
        final Session old = new Session("edge1");
        final Session newer = new Session("edge1");
        table.add("s1", old);
        table.remove("s1", old);
        table.add("s1", newer);

        assertThat(table.remove("s1", old)).isFalse();
        assertThat(table.managerOf("s1")).isEqualTo("edge1");
        assertThat(table.remove("s1", newer)).isTrue();
        assertThat(table.remove("s1", newer)).isFalse();
        assertThat(table.managerOf("s1")).isNull();
    }

    /** Verifies the per-manager counts and the snapshot of sessions. */
    @Test
    void countsAndEntries() {
        final Session b = new Session("edge2");
        final Session a = new Session("edge1");
        final Session c = new Session("edge2");
        table.add("b", b);
        table.add("a", a);
        table.add("c", c);

        assertThat(table.countByManager()).isEqualTo(Map.of("edge1", 1, "edge2", 2));
        assertThat(table.countByManager().keySet()).containsExactly("edge1", "edge2");
        assertThat(table.sessions()).containsExactlyInAnyOrder(a, b, c);
        assertThat(table.get("a")).isSameAs(a);
    }
}
