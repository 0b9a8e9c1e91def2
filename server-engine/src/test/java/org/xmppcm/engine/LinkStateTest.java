package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xmppcm.engine.LinkState.ACKNOWLEDGED;
import static org.xmppcm.engine.LinkState.AUTHENTICATED;
import static org.xmppcm.engine.LinkState.AWAIT_HANDSHAKE;
import static org.xmppcm.engine.LinkState.AWAIT_HEADER;
import static org.xmppcm.engine.LinkState.CLOSED;
import static org.xmppcm.engine.LinkState.LOST;
import static org.xmppcm.engine.LinkState.SETTLED;
import static org.xmppcm.engine.LinkState.TLS_RESTART;
import static org.xmppcm.engine.LinkState.ZLIB_RESTART;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.machine.StateGraph;
import org.xmppcm.protocol.testing.GraphDiagrams;

class LinkStateTest {
    private static final StateGraph<LinkState> GRAPH = LinkState.GRAPH;
    private static final Set<LinkState> RESTARTS = EnumSet.of(TLS_RESTART, ZLIB_RESTART);

    @Test
    void theGraphIsTheCommittedDiagram() {
        GraphDiagrams.assertMatchesCommittedDiagram(GRAPH);
    }

    @Test
    void everyStateNamesTheSpecificationItImplements() {
        for (LinkState state : LinkState.values()) {
            assertThat(GRAPH.specifiedBy(state)).as(state.name()).containsPattern("JEP|RFC|XEP|link-extensions");
        }
    }

    @Test
    void aNewLinkMayOnlyAnswerItsHeaderOrClose() {
        assertThat(GRAPH.initial()).isEqualTo(AWAIT_HEADER);
        assertThat(GRAPH.successors(AWAIT_HEADER)).containsExactlyInAnyOrder(AWAIT_HANDSHAKE, CLOSED);
    }

    @Test
    void onlyTheHandshakeStateCanAuthenticate() {
        assertThat(GRAPH.successors(AWAIT_HANDSHAKE))
                .containsExactlyInAnyOrder(TLS_RESTART, ZLIB_RESTART, AUTHENTICATED, ACKNOWLEDGED, CLOSED);
        for (LinkState state : LinkState.values()) {
            assertThat(GRAPH.allows(state, AUTHENTICATED)).as(state + " -> AUTHENTICATED").isEqualTo(state == AWAIT_HANDSHAKE);
            assertThat(GRAPH.allows(state, ACKNOWLEDGED)).as(state + " -> ACKNOWLEDGED").isEqualTo(state == AWAIT_HANDSHAKE);
        }
    }

    @Test
    void aRestartEndsOnlyWithTheCmsNewHeaderOrAClose() {
        for (LinkState restart : RESTARTS) {
            assertThat(GRAPH.successors(restart)).as(restart.name()).containsExactlyInAnyOrder(AWAIT_HANDSHAKE, CLOSED);
        }
    }

    @Test
    void anAuthenticatedLinkCanOnlyClose() {
        assertThat(GRAPH.successors(AUTHENTICATED)).containsExactly(CLOSED);
    }

    @Test
    void anAcknowledgedLinkIsLostWhenItClosesAndOnlyThenSettled() {
        assertThat(GRAPH.successors(ACKNOWLEDGED)).containsExactly(LOST);
        assertThat(GRAPH.successors(LOST)).containsExactly(SETTLED);
        for (LinkState state : LinkState.values()) {
            assertThat(GRAPH.allows(state, LOST)).as(state + " -> LOST").isEqualTo(state == ACKNOWLEDGED);
            assertThat(GRAPH.allows(state, SETTLED)).as(state + " -> SETTLED").isEqualTo(state == LOST);
        }
    }

    @Test
    void closedAndSettledAreFinal() {
        for (LinkState state : LinkState.values()) {
            assertThat(GRAPH.isTerminal(state)).as(state.name()).isEqualTo(state == CLOSED || state == SETTLED);
        }
    }

    @Test
    void everyOpenStateCanCloseAndOnlyARestartReturnsToAnEarlierState() {
        for (LinkState state : LinkState.values()) {
            if (state != ACKNOWLEDGED && !GRAPH.isTerminal(state) && state != LOST) {
                assertThat(GRAPH.allows(state, CLOSED)).as(state + " -> CLOSED").isTrue();
            }
            for (LinkState next : GRAPH.successors(state)) {
                if (RESTARTS.contains(state)) {
                    assertThat(next).as(state + " -> " + next).isIn(AWAIT_HANDSHAKE, CLOSED);
                } else {
                    assertThat(next.ordinal()).as(state + " -> " + next).isGreaterThan(state.ordinal());
                }
            }
        }
    }
}
