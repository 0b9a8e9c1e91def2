package org.xmppcm.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live state of one user: the sessions bound to its resources. Its monitor is the user's
 * lock: routers hold it while they choose a resource and deliver, and sessions hold it while
 * they change their availability, so a message is never stored offline while a resource comes
 * online (or delivered to one that is leaving). Nothing else is locked while it is held, except
 * the OfflineStore's per-key lock, so there is no lock-order deadlock.
 */
final class Account {
    private final String username;
    private final Map<String, DemoSession> resources = new HashMap<>();

    Account(String username) {
        this.username = username;
    }

    String username() {
        return username;
    }

    /** Binds {@code session} to {@code resource}; returns the session that held it ("override old"), or null. */
    synchronized DemoSession bind(String resource, DemoSession session) {
        return resources.put(resource, session);
    }

    /** Unbinds {@code session} unless another session took its resource over meanwhile. */
    synchronized void unbind(String resource, DemoSession session) {
        resources.remove(resource, session);
    }

    synchronized boolean isBound(String resource) {
        return resources.containsKey(resource);
    }

    /** The session bound to {@code resource}, or null. */
    synchronized DemoSession session(String resource) {
        return resources.get(resource);
    }

    /** A snapshot of the bound sessions. */
    synchronized List<DemoSession> sessions() {
        return new ArrayList<>(resources.values());
    }

    /**
     * Where a message to the bare JID goes (RFC 6121 section 8.5.2.1.1, one of the allowed
     * rules): the available resource with the highest non-negative priority, ties going to the
     * one that sent presence most recently; null when there is none.
     */
    synchronized DemoSession preferredResource(DemoSession excluded) {
        DemoSession best = null;
        AvailablePresence bestPresence = null;
        for (DemoSession candidate : resources.values()) {
            AvailablePresence p = candidate.presence();
            if (candidate == excluded || p == null || p.priority() < 0) {
                continue;
            }
            if (bestPresence == null || p.priority() > bestPresence.priority()
                    || (p.priority() == bestPresence.priority() && p.sequence() > bestPresence.sequence())) {
                best = candidate;
                bestPresence = p;
            }
        }
        return best;
    }

    /** The sessions that sent available presence, for stanzas fanned out to all of them. */
    synchronized List<DemoSession> availableSessions() {
        List<DemoSession> available = new ArrayList<>();
        for (DemoSession candidate : resources.values()) {
            if (candidate.presence() != null) {
                available.add(candidate);
            }
        }
        return available;
    }
}
