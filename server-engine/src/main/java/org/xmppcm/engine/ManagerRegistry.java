package org.xmppcm.engine;

import org.xmppcm.protocol.cm.RouteCodec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manager name to its links and sessions. Entries are created on a manager's first successful
 * handshake and kept (there are only as many as the host has secrets for), which keeps the
 * attach/detach paths free of remove-while-joining races.
 */
final class ManagerRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerRegistry.class);

    private final ConcurrentMap<String, ManagerEntry> managers = new ConcurrentHashMap<>();
    private final java.util.function.Supplier<java.time.Duration> gracePeriod;
    private final java.util.concurrent.ScheduledExecutorService timers =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "engine-grace");
                t.setDaemon(true);
                return t;
            });

    ManagerRegistry() {
        this(() -> java.time.Duration.ZERO, () -> java.time.Duration.ofSeconds(90));
    }

    /**
     * @param gracePeriod how long a manager's sessions wait for it to come back (asked at each outage)
     * @param idleTimeout how long a link may be silent before it counts as lost
     */
    ManagerRegistry(java.util.function.Supplier<java.time.Duration> gracePeriod,
                    java.util.function.Supplier<java.time.Duration> idleTimeout) {
        this.gracePeriod = gracePeriod;
        this.idleTimeout = idleTimeout;
    }

    ManagerEntry entry(String managerName) {
        return managers.computeIfAbsent(managerName, ManagerEntry::new);
    }

    /** A link is closing or closed. Idempotent: every close path calls it. */
    void linkClosed(CmLink link) {
        ManagerEntry entry = link.manager();
        if (entry == null) {
            return; // never authenticated: it carried no sessions
        }
        LinkCloseReason reason = link.closeReason();
        java.time.Duration grace = reason == LinkCloseReason.MANAGER_SHUTDOWN || reason == LinkCloseReason.SERVER_SHUTDOWN
                ? java.time.Duration.ZERO : gracePeriod.get();
        List<RoutedSession> orphans = entry.detach(link, !grace.isZero());
        if (orphans == null) {
            boolean goingAway = reason == LinkCloseReason.MANAGER_SHUTDOWN || reason == LinkCloseReason.SERVER_SHUTDOWN;
            if (link.isAcknowledged() && !link.isSettled() && reason != LinkCloseReason.RESUMED && !goingAway
                    && link.firstLoss()) {
                // The manager's other links carry on; this one's sessions wait for the CM to take it over.
                LOG.info("connection manager link {} lost ({}); its sessions wait up to {} s for the manager to take"
                        + " it over", link.connection(), reason, resumptionWindow(grace).toSeconds());
                schedule(() -> giveUp(entry, link), resumptionWindow(grace));
            }
            return;
        }
        if (orphans.isEmpty() && entry.isOffline()) {
            long outage = entry.outage();
            LOG.info("connection manager {} has no link left ({}); keeping its sessions for {} s",
                    entry.name(), reason, grace.toSeconds());
            schedule(() -> endAfterGrace(entry, entry.expire(outage)), grace);
        } else {
            managerOffline(entry, orphans, reason);
        }
    }

    /**
     * How long a lost acknowledged link waits to be taken over while its manager has other links: the grace period,
     * but at least the idle limit, within which a CM that saw nothing of the loss notices it too.
     */
    private java.time.Duration resumptionWindow(java.time.Duration grace) {
        java.time.Duration floor = idleTimeout.get();
        return grace.compareTo(floor) > 0 ? grace : floor;
    }

    /**
     * No link took {@code link} over in time: what the CM never acknowledged goes back to the host (stored or
     * answered: the CM may or may not have had it, and a copy offline is better than none), and its sessions move
     * to the manager's other links with what they held.
     */
    private void giveUp(ManagerEntry entry, CmLink link) {
        if (!entry.giveUp(link)) {
            return; // taken over, or the sessions ended meanwhile
        }
        int returned = abandon(entry, link);
        LOG.warn("connection manager link {} was not taken over in time; {} unacknowledged stanza(s) went back to the"
                + " host", link.connection(), returned);
    }

    /**
     * Nobody will take the lost {@code link} over: what the CM never acknowledged goes back to the host, then its
     * sessions move on (to any live link, or wait while the manager is offline) with what they held. Returns how many
     * stanzas went back.
     */
    static int abandon(ManagerEntry entry, CmLink link) {
        int returned = returnUnacknowledged(link);
        entry.release(link, null);
        return returned;
    }

    /** Gives the host back every stanza {@code link} sent that the CM did not acknowledge; returns how many. */
    private static int returnUnacknowledged(CmLink link) {
        int count = 0;
        for (org.xmppcm.protocol.ack.SentLedger.Entry<CmLink.Sent> sent : link.takeUnacknowledged()) {
            RoutedSession session = sent.item().session();
            org.dom4j.Element stanza = session == null ? null
                    : RouteCodec.carriedStanza(sent.item().xml().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (stanza != null) {
                session.deliveryFailed(stanza);
                count++;
            }
        }
        return count;
    }

    /** A stanza that could neither be sent nor held goes back to the host, off the caller's (host) thread. */
    void undeliverable(RoutedSession session, org.dom4j.Element stanza) {
        try {
            timers.execute(() -> session.deliveryFailed(stanza));
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            session.deliveryFailed(stanza);
        }
    }

    /** The idle limit of links, which bounds how long a CM may take to notice a lost link. */
    private final java.util.function.Supplier<java.time.Duration> idleTimeout;

    private void schedule(Runnable task, java.time.Duration delay) {
        try {
            timers.schedule(task, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // Engine stopping: endAllSessions takes care of everyone.
        }
    }

    private void endAfterGrace(ManagerEntry entry, List<RoutedSession> sessions) {
        if (!sessions.isEmpty()) {
            LOG.info("connection manager {} did not come back in time; ending {} client session(s)",
                    entry.name(), sessions.size());
        }
        giveUpLostLinks(entry);
        for (RoutedSession session : sessions) {
            endKeepingMessages(session);
        }
    }

    /** The sessions are ending: lost links are no longer waited for, and what they never delivered goes back. */
    static void giveUpLostLinks(ManagerEntry entry) {
        for (CmLink lost : entry.giveUpAll()) {
            abandon(entry, lost);
        }
    }

    /**
     * What was held goes back to the host (messages stored, IQ requests answered) before the session ends: nothing
     * is dropped silently.
     */
    static void endKeepingMessages(RoutedSession session) {
        for (org.dom4j.Element stanza : session.takeHeld()) {
            session.deliveryFailed(stanza);
        }
        session.end();
    }

    /** A session whose hold is full while its manager is away: it ends now, off the caller's thread. */
    void holdOverflowed(ManagerEntry entry, RoutedSession session) {
        timers.execute(() -> {
            entry.remove(session);
            LOG.warn("session {} of {} held too much while its manager was away; ending it", session.streamId(),
                    entry.name());
            endKeepingMessages(session);
        });
    }

    /** Stops the grace-period timer (engine stop; every session is ended by then). */
    void close() {
        timers.shutdownNow();
    }

    /**
     * The manager's last link is gone. Its clients cannot be reached, so their sessions end now:
     * sessions never outlive their manager (stock Openfire keeps them as unreachable ghosts).
     *
     * <p>Extension point for a reconnect grace period: park {@code orphans} here (keyed by manager)
     * unless {@code reason} is {@link LinkCloseReason#MANAGER_SHUTDOWN} or
     * {@link LinkCloseReason#SERVER_SHUTDOWN}, re-admit them when a link of the manager
     * authenticates again, and end them when the grace period expires.
     */
    private void managerOffline(ManagerEntry entry, List<RoutedSession> orphans, LinkCloseReason reason) {
        LOG.info("connection manager {} has no link left ({}); ending {} client session(s)",
                entry.name(), reason, orphans.size());
        giveUpLostLinks(entry);
        for (RoutedSession session : orphans) {
            endKeepingMessages(session);
        }
    }

    /** Ends every session of every manager (server shutdown). */
    void endAllSessions() {
        for (ManagerEntry entry : managers.values()) {
            endAll(entry.drainSessions());
        }
    }

    private static void endAll(List<RoutedSession> sessions) {
        for (RoutedSession session : sessions) {
            session.end();
        }
    }

    List<ManagerEntry> entries() {
        return List.copyOf(managers.values());
    }

    /** The client sessions {@code managerName} carries now, in no particular order; empty for an unknown manager. */
    List<ConnectedClient> clients(String managerName) {
        ManagerEntry entry = managers.get(managerName);
        if (entry == null) {
            return List.of();
        }
        List<ConnectedClient> result = new ArrayList<>(entry.sessionCount());
        for (RoutedSession session : entry.sessions()) {
            CmLink link = session.pinned();
            result.add(new ConnectedClient(session.streamId(), session.client().hostAddress(),
                    link == null ? null : link.connection(), session.opened()));
        }
        return result;
    }

    /** Managers with at least one link or session, by name, for admin pages and metrics. */
    List<ConnectedManager> snapshot() {
        List<ConnectedManager> result = new ArrayList<>();
        for (ManagerEntry entry : managers.values()) {
            List<CmLink> links = entry.links();
            int sessionCount = entry.sessionCount();
            if (links.isEmpty() && sessionCount == 0) {
                continue;
            }
            int[] perLink = new int[links.size()];
            for (RoutedSession session : entry.sessions()) {
                CmLink pinned = session.pinned();
                int index = pinned == null ? -1 : links.indexOf(pinned);
                if (index >= 0) {
                    perLink[index]++;
                }
            }
            List<ConnectedLink> linkViews = new ArrayList<>();
            for (int i = 0; i < links.size(); i++) {
                CmLink link = links.get(i);
                linkViews.add(new ConnectedLink(link.connection(), String.valueOf(link.remoteAddress()),
                        link.connectedSince(), perLink[i], link.isSecured(), link.isCompressed(), link.traffic(),
                        link.isInputPaused()));
            }
            result.add(new ConnectedManager(entry.name(), linkViews, sessionCount));
        }
        result.sort(Comparator.comparing(ConnectedManager::name));
        return result;
    }
}
