package org.xmppcm.protocol.machine;

/** A move the graph does not have: a bug in the code driving it, never a peer's doing. */
public final class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(String graph, Enum<?> from, Enum<?> to) {
        super("graph " + graph + " has no move from " + from + " to " + to);
    }
}
