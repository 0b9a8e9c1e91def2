package org.xmppcm.engine;

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
        this(() -> java.time.Duration.ZERO);
    }

    /** @param gracePeriod how long a manager's sessions wait for it to come back (asked at each outage) */
    ManagerRegistry(java.util.function.Supplier<java.time.Duration> gracePeriod) {
        this.gracePeriod = gracePeriod;
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
        for (RoutedSession session : sessions) {
            endKeepingMessages(session);
        }
    }

    /** Held messages go to the host's offline storage before the session ends: nothing is dropped silently. */
    static void endKeepingMessages(RoutedSession session) {
        for (org.dom4j.Element message : session.takeHeldMessages()) {
            session.deliveryFailed(message);
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
        endAll(orphans);
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
            CmLink link = entry.linkFor(session.streamId());
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
            if (!links.isEmpty()) {
                for (RoutedSession session : entry.sessions()) {
                    perLink[Math.floorMod(session.streamId().hashCode(), links.size())]++;
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
