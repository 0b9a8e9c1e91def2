package org.xmppcm.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;

/**
 * One connection manager: its live authenticated links and the client sessions it announced.
 * Sessions belong to the manager, not to a link: any link of the manager may carry any of them.
 *
 * <p>Link changes and session admission share one lock, so a session can never be admitted to a
 * manager that has just lost its last link (it would never be ended). The route path reads the
 * link list and the session table without locking.
 */
final class ManagerEntry {
    enum Admission { ADDED, EXISTS, LINK_GONE }

    private final String name;
    /** Authenticated links in the order they authenticated; replaced, never mutated. */
    private volatile List<CmLink> links = List.of();
    private final ConcurrentMap<String, RoutedSession> sessions = new ConcurrentHashMap<>();
    /** No link, sessions kept for the grace period; counts outages so a stale expiry does nothing. */
    private volatile boolean offline;
    private long outage; // guarded by this

    ManagerEntry(String name) {
        this.name = name;
    }

    /** True while the manager has no link but its sessions wait for one (the grace period). */
    boolean isOffline() {
        return offline;
    }

    String name() {
        return name;
    }

    /**
     * Adds an authenticated link unless another live link already uses its connection name.
     * {@code activate} runs under the lock (moves the link to AUTHENTICATED and greets the CM),
     * so no route for a session can reach the CM on this link before its handshake ack.
     *
     * @return false on a name conflict or when {@code activate} refused (the link is closing)
     */
    synchronized boolean attach(CmLink link, BooleanSupplier activate) {
        for (CmLink existing : links) {
            // A closing link (e.g. dropped for not reading) no longer holds its name.
            if (existing.state() != LinkState.CLOSED && existing.connection().equals(link.connection())) {
                return false;
            }
        }
        if (!activate.getAsBoolean()) {
            return false;
        }
        List<CmLink> next = new ArrayList<>(links);
        next.add(link);
        links = List.copyOf(next);
        link.joined(this);
        if (offline) {
            // Back within the grace period: what was held goes out first, in order, on the new links.
            offline = false;
            for (RoutedSession session : sessions.values()) {
                session.flushHeld(this);
            }
        }
        return true;
    }

    /**
     * Takes a link out of routing; idempotent. When it was the manager's last link, the sessions
     * are taken out of the table in the same step and returned (the orphans), so that a link
     * attaching right afterwards starts from a clean table. Otherwise returns null (also when
     * the link was not attached) and the sessions carry on over the remaining links.
     */
    synchronized List<RoutedSession> detach(CmLink link) {
        return detach(link, false);
    }

    /**
     * Like {@link #detach(CmLink)}; with {@code keepSessions}, losing the last link keeps the
     * sessions (the manager goes offline for its grace period) and returns an empty list.
     */
    synchronized List<RoutedSession> detach(CmLink link, boolean keepSessions) {
        if (!links.contains(link)) {
            return null;
        }
        List<CmLink> next = new ArrayList<>(links);
        next.remove(link);
        links = List.copyOf(next);
        if (!links.isEmpty()) {
            return null;
        }
        if (keepSessions && !sessions.isEmpty()) {
            offline = true;
            outage++;
            return List.of();
        }
        return drainSessions();
    }

    /** Which outage this is, to tell a current grace-period expiry from a stale one. */
    synchronized long outage() {
        return outage;
    }

    /** The grace period of {@code whichOutage} is over: its sessions, unless a link came back meanwhile. */
    synchronized List<RoutedSession> expire(long whichOutage) {
        if (!offline || outage != whichOutage) {
            return List.of();
        }
        offline = false;
        return drainSessions();
    }

    /**
     * Runs {@code action} for each authenticated link under the attach lock, so that a link
     * authenticating at the same moment gets either this round or a greeting made after it.
     */
    synchronized void forEachLink(java.util.function.Consumer<CmLink> action) {
        for (CmLink link : links) {
            action.accept(link);
        }
    }

    List<CmLink> links() {
        return links;
    }

    /**
     * The link that carries everything we send for {@code streamId}: sticky while the link set is
     * stable, recomputed when it changes. Null when the manager has no link.
     */
    CmLink linkFor(String streamId) {
        List<CmLink> current = links;
        if (current.isEmpty()) {
            return null;
        }
        return current.get(Math.floorMod(streamId.hashCode(), current.size()));
    }

    /** Admits a session announced on {@code via}, unless its id is taken or {@code via} has left. */
    synchronized Admission admit(CmLink via, RoutedSession session) {
        if (!links.contains(via)) {
            return Admission.LINK_GONE;
        }
        return sessions.putIfAbsent(session.streamId(), session) == null ? Admission.ADDED : Admission.EXISTS;
    }

    RoutedSession session(String streamId) {
        return sessions.get(streamId);
    }

    /** Forgets a session. Returns it, or null when no such session was live. */
    RoutedSession remove(String streamId) {
        return sessions.remove(streamId);
    }

    void remove(RoutedSession session) {
        sessions.remove(session.streamId(), session);
    }

    int sessionCount() {
        return sessions.size();
    }

    List<RoutedSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Takes every session out of the table (the caller ends them, outside this lock). */
    synchronized List<RoutedSession> drainSessions() {
        List<RoutedSession> drained = new ArrayList<>(sessions.values());
        for (RoutedSession s : drained) {
            sessions.remove(s.streamId(), s);
        }
        return drained;
    }
}
