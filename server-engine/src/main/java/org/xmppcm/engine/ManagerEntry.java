package org.xmppcm.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;
import org.xmppcm.protocol.cm.ManagerInstance;

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

    /** How {@link #attach} ended. */
    enum Outcome {
        ATTACHED,
        /** Another live link uses the link's name, and the newcomer names no process (a CM built for stock Openfire). */
        NAME_TAKEN,
        /**
         * A live-looking link of this very process holds the name: the process connects a name again only once it has
         * given that link up, so it is half-open (a NAT or firewall dropped it) and the caller takes it as lost. It is
         * in {@link Attachment#replacedLinks()}; the newcomer is not attached yet.
         */
        NAME_HELD_BY_ITS_LOST_LINK,
        /** The link is from an older process than the one connected now. */
        STALE_PROCESS,
        /** The link closed while attaching. */
        CLOSING
    }

    /**
     * What {@link #attach} did. When the link came from a newer process of the manager (it restarted), the links and
     * sessions of the process it replaced are taken out and returned, for the caller to close and end outside the
     * lock; otherwise both lists are empty.
     */
    record Attachment(Outcome outcome, ManagerInstance replacedProcess, List<CmLink> replacedLinks,
                      List<RoutedSession> orphanedSessions) {
        static Attachment of(Outcome outcome) {
            return new Attachment(outcome, null, List.of(), List.of());
        }
    }

    private final String name;
    /** Authenticated links in the order they authenticated; replaced, never mutated. */
    private volatile List<CmLink> links = List.of();
    private final ConcurrentMap<String, RoutedSession> sessions = new ConcurrentHashMap<>();
    /** No link, sessions kept for the grace period; counts outages so a stale expiry does nothing. */
    private volatile boolean offline;
    private long outage; // guarded by this
    /**
     * Acknowledged links lost and not yet settled, by link id (their stream id): a link of the manager may take one
     * over with {@code <resume/>} until the resumption window closes.
     */
    private final ConcurrentMap<String, CmLink> departed = new ConcurrentHashMap<>();
    /** The manager process the links and sessions belong to, once a link named one; guarded by this. */
    private ManagerInstance process;

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
     * Adds an authenticated link unless another live link of the same manager process already uses its connection
     * name. {@code activate} runs under the lock (moves the link to AUTHENTICATED and greets the CM), so no route for a
     * session can reach the CM on this link before its handshake ack.
     *
     * <p>A link naming a newer process ({@link ManagerInstance}) than the one the entry holds means the manager
     * restarted: the new process holds none of the old one's clients, so the old links and sessions are taken out at
     * once (and returned) rather than kept as ghosts for the grace period. A link naming an older process is refused
     * while the newer one still has links or sessions. A link naming none (a CM that does not send it, such as one
     * built for stock Openfire) is taken as the process the entry holds.
     */
    synchronized Attachment attach(CmLink link, BooleanSupplier activate) {
        ManagerInstance incoming = link.instance();
        boolean restarted = false;
        if (incoming != null && process != null && !incoming.equals(process)) {
            if (!incoming.isNewerThan(process) && (!links.isEmpty() || !sessions.isEmpty())) {
                return Attachment.of(Outcome.STALE_PROCESS);
            }
            restarted = true;
        }
        if (!restarted) {
            for (CmLink existing : links) {
                // A closing link (e.g. dropped for not reading) no longer holds its name.
                if (!existing.isGone() && existing.connection().equals(link.connection())) {
                    return incoming != null && incoming.equals(process)
                            ? new Attachment(Outcome.NAME_HELD_BY_ITS_LOST_LINK, null, List.of(existing), List.of())
                            : Attachment.of(Outcome.NAME_TAKEN);
                }
            }
        }
        if (!activate.getAsBoolean()) {
            return Attachment.of(Outcome.CLOSING);
        }
        Attachment result = Attachment.of(Outcome.ATTACHED);
        if (restarted) {
            result = new Attachment(Outcome.ATTACHED, process, links, drainSessions());
            links = List.of();
            offline = false;
            outage++; // a grace-period expiry still scheduled for the old process finds nothing to do
        }
        if (incoming != null) {
            process = incoming;
        }
        List<CmLink> next = new ArrayList<>(links);
        next.add(link);
        links = List.copyOf(next);
        link.joined(this);
        if (offline) {
            // Back within the grace period: what was held goes out first, in order, on the new links.
            offline = false;
            for (RoutedSession session : sessions.values()) {
                session.flushHeld();
            }
        }
        return result;
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
        if (link.isAcknowledged() && !link.isSettled()) {
            departed.put(link.streamId(), link);
        }
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
     * The link that carries everything we send for {@code session}: the one it is pinned to while that lives; when it
     * is lost, a link picked from the live ones (and pinned), unless the lost link may still be taken over, when the
     * session must wait (null, as when the manager has no link).
     */
    CmLink linkFor(RoutedSession session) {
        CmLink current = session.pinned();
        if (current != null && !current.isGone()) {
            return current;
        }
        if (current != null && session.awaitsResumption()) {
            return null;
        }
        CmLink chosen = linkFor(session.streamId());
        session.pin(chosen);
        return chosen;
    }

    /** A live link picked for {@code streamId} (spread by its hash); null when the manager has no link. */
    CmLink linkFor(String streamId) {
        List<CmLink> current = links;
        if (current.isEmpty()) {
            return null;
        }
        return current.get(Math.floorMod(streamId.hashCode(), current.size()));
    }

    /**
     * Takes link {@code linkId} of this manager out for {@code by} to take over: a lost one, or a live one the CM has
     * given up on (half-open: we have not noticed yet), which is taken out of routing here. Null when there is no such
     * link, or it is {@code by} itself, or it was not acknowledged, or its fate was decided already.
     */
    synchronized CmLink takeOver(String linkId, CmLink by) {
        CmLink old = departed.remove(linkId);
        if (old == null) {
            for (CmLink live : links) {
                if (live != by && live.streamId().equals(linkId) && live.isAcknowledged()) {
                    old = live;
                    List<CmLink> next = new ArrayList<>(links);
                    next.remove(live);
                    links = List.copyOf(next);
                    break;
                }
            }
        }
        return old == null || old.isSettled() ? null : old;
    }

    /**
     * Settles the lost link {@code old}: its sessions move to {@code to} (null: any live link, or none while offline)
     * and send what they held. They move before the link counts as settled, so none of them is sent on some other
     * link in between, where it could overtake what went again on {@code to}.
     */
    void release(CmLink old, CmLink to) {
        for (RoutedSession session : sessions.values()) {
            session.moveFrom(old, to);
        }
        for (RoutedSession session : old.holdingSessions()) {
            session.moveFrom(old, to); // ended sessions still send the close they held
        }
        for (RoutedSession session : old.settle()) {
            session.moveFrom(old, to);
        }
    }

    /** Takes {@code link} out of the lost links that may be taken over; true when it was still there. */
    boolean giveUp(CmLink link) {
        return departed.remove(link.streamId(), link);
    }

    /** Every lost link still waiting to be taken over, taken out (the sessions are ending). */
    List<CmLink> giveUpAll() {
        List<CmLink> all = new ArrayList<>(departed.values());
        departed.values().removeAll(all);
        return all;
    }

    /** Admits a session announced on {@code via}, unless its id is taken or {@code via} has left. */
    synchronized Admission admit(CmLink via, RoutedSession session) {
        if (!links.contains(via)) {
            return Admission.LINK_GONE;
        }
        if (sessions.putIfAbsent(session.streamId(), session) != null) {
            return Admission.EXISTS;
        }
        session.pin(linkFor(session.streamId()));
        return Admission.ADDED;
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
