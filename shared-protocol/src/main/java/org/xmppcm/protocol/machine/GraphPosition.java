package org.xmppcm.protocol.machine;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where one negotiation stands in its {@link StateGraph}. Every move is checked against the graph; moves are atomic,
 * so a reader on another thread (metrics, an admin page) sees a state the graph has, and two racing moves cannot both
 * leave the same state.
 */
public final class GraphPosition<S extends Enum<S>> {
    private final StateGraph<S> graph;
    private final AtomicReference<S> current;

    public GraphPosition(StateGraph<S> graph) {
        this.graph = graph;
        this.current = new AtomicReference<>(graph.initial());
    }

    public S current() {
        return current.get();
    }

    public boolean is(S state) {
        return current.get() == state;
    }

    public StateGraph<S> graph() {
        return graph;
    }

    /** Moves to {@code next}; a move the graph does not have is a bug, and throws. Returns the state left. */
    public S moveTo(S next) {
        while (true) {
            S from = current.get();
            if (!graph.allows(from, next)) {
                throw new IllegalTransitionException(graph.name(), from, next);
            }
            if (current.compareAndSet(from, next)) {
                return from;
            }
        }
    }

    /** Moves to {@code next} when the graph allows it from where we are; false (and no move) otherwise. */
    public boolean moveIfAllowed(S next) {
        while (true) {
            S from = current.get();
            if (!graph.allows(from, next)) {
                return false;
            }
            if (current.compareAndSet(from, next)) {
                return true;
            }
        }
    }

    /** Moves from {@code from} to {@code next} only if we are in {@code from}: the one winner of a race out of it. */
    public boolean moveFrom(S from, S next) {
        if (!graph.allows(from, next)) {
            throw new IllegalTransitionException(graph.name(), from, next);
        }
        return current.compareAndSet(from, next);
    }

    @Override
    public String toString() {
        return graph.name() + "@" + current.get();
    }
}
