package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xmppcm.engine.LinkState.AUTHENTICATED;
import static org.xmppcm.engine.LinkState.AWAIT_HANDSHAKE;
import static org.xmppcm.engine.LinkState.AWAIT_HEADER;
import static org.xmppcm.engine.LinkState.CLOSED;

import org.junit.jupiter.api.Test;

class LinkStateTest {
    @Test
    void aNewLinkMayOnlyAnswerItsHeaderOrClose() {
        assertThat(AWAIT_HEADER.successors()).containsExactlyInAnyOrder(AWAIT_HANDSHAKE, CLOSED);
    }

    @Test
    void onlyTheHandshakeStateCanAuthenticate() {
        assertThat(AWAIT_HANDSHAKE.successors()).containsExactlyInAnyOrder(AUTHENTICATED, CLOSED);
        for (LinkState state : LinkState.values()) {
            assertThat(state.canMoveTo(AUTHENTICATED)).as(state + " -> AUTHENTICATED").isEqualTo(state == AWAIT_HANDSHAKE);
        }
    }

    @Test
    void anAuthenticatedLinkCanOnlyClose() {
        assertThat(AUTHENTICATED.successors()).containsExactly(CLOSED);
    }

    @Test
    void closedIsFinal() {
        assertThat(CLOSED.successors()).isEmpty();
    }

    @Test
    void everyOpenStateCanCloseAndNoStateReturnsToAnEarlierOne() {
        for (LinkState state : LinkState.values()) {
            if (state != CLOSED) {
                assertThat(state.canMoveTo(CLOSED)).as(state + " -> CLOSED").isTrue();
            }
            for (LinkState next : state.successors()) {
                assertThat(next.ordinal()).as(state + " -> " + next).isGreaterThan(state.ordinal());
            }
        }
    }
}
