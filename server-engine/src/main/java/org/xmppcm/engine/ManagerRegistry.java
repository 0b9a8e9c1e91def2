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

    ManagerEntry entry(String managerName) {
        return managers.computeIfAbsent(managerName, ManagerEntry::new);
    }

    /** A link is closing or closed. Idempotent: every close path calls it. */
    void linkClosed(CmLink link) {
        ManagerEntry entry = link.manager();
        if (entry == null) {
            return; // never authenticated: it carried no sessions
        }
        List<RoutedSession> orphans = entry.detach(link);
        if (orphans != null) {
            managerOffline(entry, orphans, link.closeReason());
        }
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
                        link.connectedSince(), perLink[i]));
            }
            result.add(new ConnectedManager(entry.name(), linkViews, sessionCount));
        }
        result.sort(Comparator.comparing(ConnectedManager::name));
        return result;
    }
}
