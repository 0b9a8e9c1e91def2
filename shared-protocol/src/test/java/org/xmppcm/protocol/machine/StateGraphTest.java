package org.xmppcm.protocol.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StateGraphTest {
    enum Door { CLOSED, OPEN, LOCKED, GONE }

    private static StateGraph.Builder<Door> door() {
        return StateGraph.of("door", Door.class, Door.CLOSED)
                .state(Door.CLOSED, "spec 1", "shut").on("open", Door.OPEN).on("lock", Door.LOCKED)
                .on("burn", Door.GONE)
                .state(Door.OPEN, "spec 2", "open").on("close", Door.CLOSED)
                .state(Door.LOCKED, "spec 3", "locked").on("unlock", Door.CLOSED);
    }

    @Test
    void aCompleteGraphAnswersWhatMayFollowWhat() {
        StateGraph<Door> graph = door().state(Door.GONE, "spec 4", "the end").build();

        assertThat(graph.allows(Door.CLOSED, Door.OPEN)).isTrue();
        assertThat(graph.allows(Door.OPEN, Door.LOCKED)).isFalse();
        assertThat(graph.successors(Door.CLOSED)).containsExactlyInAnyOrder(Door.OPEN, Door.LOCKED, Door.GONE);
        assertThat(graph.isTerminal(Door.GONE)).isTrue();
        assertThat(graph.specifiedBy(Door.LOCKED)).isEqualTo("spec 3");
    }

    @Test
    void anUndeclaredStateIsRefused() {
        assertThatThrownBy(() -> door().build()).hasMessageContaining("GONE is not declared");
    }

    @Test
    void aStateNothingLeadsToIsRefused() {
        assertThatThrownBy(() -> StateGraph.of("door", Door.class, Door.CLOSED)
                .state(Door.CLOSED, "s", "m").on("burn", Door.GONE)
                .state(Door.OPEN, "s", "m").on("close", Door.CLOSED)
                .state(Door.LOCKED, "s", "m").on("burn", Door.GONE)
                .state(Door.GONE, "s", "m").build())
                .hasMessageContaining("OPEN cannot be reached").hasMessageContaining("LOCKED cannot be reached");
    }

    @Test
    void aLoopWithNoWayOutIsRefused() {
        assertThatThrownBy(() -> StateGraph.of("door", Door.class, Door.CLOSED)
                .state(Door.CLOSED, "s", "m").on("open", Door.OPEN).on("burn", Door.GONE)
                .state(Door.OPEN, "s", "m").on("lock", Door.LOCKED)
                .state(Door.LOCKED, "s", "m").on("open", Door.OPEN)
                .state(Door.GONE, "s", "m").build())
                .hasMessageContaining("OPEN can never reach a terminal state")
                .hasMessageContaining("LOCKED can never reach a terminal state");
    }

    @Test
    void theDiagramHasEveryStateAndEveryEvent() {
        String dot = door().state(Door.GONE, "spec 4", "the end").build().toDot();

        assertThat(dot).contains("digraph \"door\"", "CLOSED [label=\"CLOSED\\nspec 1\", style=bold]",
                "GONE [label=\"GONE\\nspec 4\", peripheries=2]", "LOCKED -> CLOSED [label=\"unlock\"]");
    }

    @Test
    void aPositionMovesOnlyAlongTheGraph() {
        GraphPosition<Door> door = new GraphPosition<>(door().state(Door.GONE, "spec 4", "the end").build());

        assertThat(door.moveTo(Door.OPEN)).isEqualTo(Door.CLOSED);
        assertThatThrownBy(() -> door.moveTo(Door.LOCKED)).isInstanceOf(IllegalTransitionException.class)
                .hasMessage("graph door has no move from OPEN to LOCKED");
        assertThat(door.moveIfAllowed(Door.GONE)).isFalse();
        assertThat(door.moveFrom(Door.CLOSED, Door.LOCKED)).as("not in CLOSED any more").isFalse();
        assertThat(door.moveFrom(Door.OPEN, Door.CLOSED)).isTrue();
        assertThat(door.current()).isEqualTo(Door.CLOSED);
    }
}
