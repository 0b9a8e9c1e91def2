package org.xmppcm.plugin.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The client sessions the plugin has opened in Openfire, by stream id, across all connection managers. Stream ids
 * are unique per manager only, but Openfire keys its not-yet-authenticated sessions by stream id alone, so a second
 * manager reusing a live id would clobber the first client's entry there; the table refuses it instead.
 *
 * <p>Thread-safe. {@code S} is the caller's session object; entries are compared by identity on removal, so a late
 * removal of an ended session never removes a newer one that reuses its id.
 *
 * @param <S> the session type
 */
public final class SessionTable<S> {
    /** One live session and the manager that announced it. */
    public record Entry<S>(String managerName, String streamId, S session) {
        public Entry {
            Objects.requireNonNull(managerName, "managerName");
            Objects.requireNonNull(streamId, "streamId");
            Objects.requireNonNull(session, "session");
        }
    }

    private final ConcurrentMap<String, Entry<S>> byStreamId = new ConcurrentHashMap<>();

    /**
     * Registers a session. False, and nothing changes, when the stream id is already live (for any manager).
     */
    public boolean add(String managerName, String streamId, S session) {
        return byStreamId.putIfAbsent(streamId, new Entry<>(managerName, streamId, session)) == null;
    }

    /** Removes the session if it is the one registered under its stream id. True when it was. */
    public boolean remove(String streamId, S session) {
        Entry<S> entry = byStreamId.get(streamId);
        return entry != null && entry.session() == session && byStreamId.remove(streamId, entry);
    }

    /** The live entry of {@code streamId}, or null. */
    public Entry<S> get(String streamId) {
        return byStreamId.get(streamId);
    }

    /** The manager that holds {@code streamId}, or null. */
    public String managerOf(String streamId) {
        Entry<S> entry = byStreamId.get(streamId);
        return entry == null ? null : entry.managerName();
    }

    public int size() {
        return byStreamId.size();
    }

    /** Live sessions per manager name, sorted by name (admin pages). */
    public Map<String, Integer> countByManager() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Entry<S> entry : byStreamId.values()) {
            counts.merge(entry.managerName(), 1, Integer::sum);
        }
        return counts;
    }

    /** A snapshot of every live entry (shutdown). */
    public List<Entry<S>> entries() {
        return List.copyOf(byStreamId.values());
    }
}
