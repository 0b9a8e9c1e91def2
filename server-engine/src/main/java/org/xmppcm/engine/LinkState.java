package org.xmppcm.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one CM link is in its life. Declared with its allowed successors so that every
 * transition in the engine is checked ({@link CmLink#moveTo}) rather than implied by flags.
 *
 * <pre>
 * AWAIT_HEADER --header ok--> AWAIT_HANDSHAKE --digest ok--> AUTHENTICATED
 *      |                            |                             |
 *      +----------------------------+------------> CLOSED <-------+
 * </pre>
 */
public enum LinkState {
    /** TCP accepted; nothing sent yet. */
    AWAIT_HEADER,
    /**
     * Our header (with the stream id and features) is sent; {@code <handshake>} is awaited. STARTTLS and
     * compression, with their stream restarts and new stream ids, happen within this state (see {@code CmLink}).
     */
    AWAIT_HANDSHAKE,
    /** The CM proved the secret; session IQs and routes flow. */
    AUTHENTICATED,
    /** Closing or closed: input is ignored and nothing more is written. */
    CLOSED;

    /** The states this one may move to. */
    public Set<LinkState> successors() {
        return switch (this) {
            case AWAIT_HEADER -> EnumSet.of(AWAIT_HANDSHAKE, CLOSED);
            case AWAIT_HANDSHAKE -> EnumSet.of(AUTHENTICATED, CLOSED);
            case AUTHENTICATED -> EnumSet.of(CLOSED);
            case CLOSED -> EnumSet.noneOf(LinkState.class);
        };
    }

    public boolean canMoveTo(LinkState next) {
        return successors().contains(next);
    }
}
