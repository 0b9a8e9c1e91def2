package org.xmppcm.protocol.machine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A negotiation declared as a graph: every state of an enum, the section of the RFC, XEP or JEP it implements, what it
 * means, and the events that lead from it to its successors. A state without successors is terminal.
 *
 * <p>The graph is data, checked when built: every constant is declared, every state is reachable from the initial
 * one and can reach a terminal state, so a negotiation cannot hang in a state nobody leaves. {@link GraphPosition}
 * enforces it at run time; {@link #toDot()} is the diagram committed under {@code docs/graphs}.
 */
public final class StateGraph<S extends Enum<S>> {
    /** One arrow of the graph. */
    public record Edge<S>(S from, String event, S to) {
    }

    private final String name;
    private final Class<S> type;
    private final S initial;
    private final Map<S, String> specifiedBy;
    private final Map<S, String> meaning;
    private final List<Edge<S>> edges;
    private final Map<S, Set<S>> successors;

    private StateGraph(Builder<S> builder) {
        this.name = builder.name;
        this.type = builder.type;
        this.initial = builder.initial;
        this.specifiedBy = Collections.unmodifiableMap(new EnumMap<>(builder.specifiedBy));
        this.meaning = Collections.unmodifiableMap(new EnumMap<>(builder.meaning));
        this.edges = List.copyOf(builder.edges);
        Map<S, Set<S>> next = new EnumMap<>(type);
        for (S state : type.getEnumConstants()) {
            next.put(state, EnumSet.noneOf(type));
        }
        for (Edge<S> edge : edges) {
            next.get(edge.from()).add(edge.to());
        }
        next.replaceAll((state, set) -> Collections.unmodifiableSet(set));
        this.successors = Collections.unmodifiableMap(next);
        check();
    }

    /** Starts a graph named {@code name} (also its diagram's file name) over the constants of {@code type}. */
    public static <S extends Enum<S>> Builder<S> of(String name, Class<S> type, S initial) {
        return new Builder<>(name, type, initial);
    }

    public String name() {
        return name;
    }

    public S initial() {
        return initial;
    }

    public boolean allows(S from, S to) {
        return successors.get(from).contains(to);
    }

    public Set<S> successors(S state) {
        return successors.get(state);
    }

    public boolean isTerminal(S state) {
        return successors.get(state).isEmpty();
    }

    public String specifiedBy(S state) {
        return specifiedBy.get(state);
    }

    public String meaning(S state) {
        return meaning.get(state);
    }

    public List<Edge<S>> edges() {
        return edges;
    }

    /** Graphviz text: one node per state (labelled with its specification), one arrow per event, in declared order. */
    public String toDot() {
        StringBuilder dot = new StringBuilder();
        dot.append("// Generated from ").append(type.getName()).append("; a test fails when it differs.\n");
        dot.append("digraph \"").append(name).append("\" {\n");
        dot.append("  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
        for (S state : type.getEnumConstants()) {
            dot.append("  ").append(state.name()).append(" [label=\"").append(state.name()).append("\\n")
                    .append(escape(specifiedBy.get(state))).append('"');
            if (state == initial) {
                dot.append(", style=bold");
            }
            if (isTerminal(state)) {
                dot.append(", peripheries=2");
            }
            dot.append("];\n");
        }
        for (Edge<S> edge : edges) {
            dot.append("  ").append(edge.from().name()).append(" -> ").append(edge.to().name())
                    .append(" [label=\"").append(escape(edge.event())).append("\"];\n");
        }
        return dot.append("}\n").toString();
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private void check() {
        List<String> problems = new ArrayList<>();
        for (S state : type.getEnumConstants()) {
            if (!specifiedBy.containsKey(state)) {
                problems.add(state + " is not declared");
            }
        }
        Set<S> reachable = closure(initial, successors);
        for (S state : type.getEnumConstants()) {
            if (!reachable.contains(state)) {
                problems.add(state + " cannot be reached from " + initial);
            }
        }
        Map<S, Set<S>> reversed = new EnumMap<>(type);
        for (S state : type.getEnumConstants()) {
            reversed.put(state, EnumSet.noneOf(type));
        }
        for (Edge<S> edge : edges) {
            reversed.get(edge.to()).add(edge.from());
        }
        Set<S> canEnd = EnumSet.noneOf(type);
        for (S state : type.getEnumConstants()) {
            if (isTerminal(state)) {
                canEnd.addAll(closure(state, reversed));
            }
        }
        for (S state : type.getEnumConstants()) {
            if (!canEnd.contains(state)) {
                problems.add(state + " can never reach a terminal state");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("graph " + name + ": " + String.join("; ", problems));
        }
    }

    private Set<S> closure(S start, Map<S, Set<S>> next) {
        Set<S> seen = EnumSet.of(start);
        ArrayDeque<S> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            for (S successor : next.get(todo.poll())) {
                if (seen.add(successor)) {
                    todo.add(successor);
                }
            }
        }
        return seen;
    }

    /** Declares states in order, each followed by the events that leave it. */
    public static final class Builder<S extends Enum<S>> {
        private final String name;
        private final Class<S> type;
        private final S initial;
        private final Map<S, String> specifiedBy = new LinkedHashMap<>();
        private final Map<S, String> meaning = new LinkedHashMap<>();
        private final List<Edge<S>> edges = new ArrayList<>();
        private S current;

        private Builder(String name, Class<S> type, S initial) {
            this.name = Objects.requireNonNull(name);
            this.type = Objects.requireNonNull(type);
            this.initial = Objects.requireNonNull(initial);
        }

        /** Declares {@code state}; the following {@link #on} calls are its way out. */
        public Builder<S> state(S state, String specifiedBy, String meaning) {
            if (this.specifiedBy.putIfAbsent(state, Objects.requireNonNull(specifiedBy)) != null) {
                throw new IllegalStateException(state + " declared twice in graph " + name);
            }
            this.meaning.put(state, Objects.requireNonNull(meaning));
            current = state;
            return this;
        }

        /** {@code event} in the state declared last leads to {@code next}. */
        public Builder<S> on(String event, S next) {
            if (current == null) {
                throw new IllegalStateException("on(" + event + ") before any state in graph " + name);
            }
            edges.add(new Edge<>(current, Objects.requireNonNull(event), Objects.requireNonNull(next)));
            return this;
        }

        public StateGraph<S> build() {
            return new StateGraph<>(this);
        }
    }
}
