package org.xmppcm.plugin.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The client sessions the plugin has opened in Openfire, by stream id, across all connection managers. Stream ids
 * are unique per manager only, but Openfire keys its not-yet-authenticated sessions by stream id alone, so a second
 * manager reusing a live id would clobber the first client's entry there; the table refuses it instead.
 *
 * <p>Thread-safe. {@code S} is the caller's session object, which knows its manager; sessions are stored as they are
 * (no entry object per session: there is one for every client Openfire holds) and compared by identity on removal,
 * so a late removal of an ended session never removes a newer one that reuses its id.
 *
 * @param <S> the session type
 */
public final class SessionTable<S> {
    private final ConcurrentMap<String, S> byStreamId = new ConcurrentHashMap<>();
    private final Function<S, String> managerOf;

    /** @param managerOf the name of the manager that announced a session */
    public SessionTable(Function<S, String> managerOf) {
        this.managerOf = Objects.requireNonNull(managerOf, "managerOf");
    }

    /** Registers a session. False, and nothing changes, when the stream id is already live (for any manager). */
    public boolean add(String streamId, S session) {
        return byStreamId.putIfAbsent(Objects.requireNonNull(streamId, "streamId"),
                Objects.requireNonNull(session, "session")) == null;
    }

    /** Removes the session if it is the one registered under its stream id. True when it was. */
    public boolean remove(String streamId, S session) {
        return byStreamId.remove(streamId, session);
    }

    /** The live session of {@code streamId}, or null. */
    public S get(String streamId) {
        return byStreamId.get(streamId);
    }

    /** The manager that holds {@code streamId}, or null. */
    public String managerOf(String streamId) {
        S session = byStreamId.get(streamId);
        return session == null ? null : managerOf.apply(session);
    }

    public int size() {
        return byStreamId.size();
    }

    /** Live sessions per manager name, sorted by name (admin pages). */
    public Map<String, Integer> countByManager() {
        Map<String, Integer> counts = new TreeMap<>();
        for (S session : byStreamId.values()) {
            counts.merge(managerOf.apply(session), 1, Integer::sum);
        }
        return counts;
    }

    /** A snapshot of every live session (shutdown). */
    public List<S> sessions() {
        return List.copyOf(byStreamId.values());
    }
}
