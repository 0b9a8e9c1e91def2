package org.xmppcm.demo;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is online: one {@link Account} per user (fixed, as users are), and the set of sessions
 * that are available, which presence broadcasts walk since every user is every user's contact.
 */
final class SessionRegistry {
    private final Map<String, Account> accounts;
    private final Set<DemoSession> available = ConcurrentHashMap.newKeySet();

    SessionRegistry(UserStore users) {
        Map<String, Account> map = new TreeMap<>();
        for (String username : users.usernames()) {
            map.put(username, new Account(username));
        }
        this.accounts = Collections.unmodifiableMap(map);
    }

    /** The account of an existing user, or null. */
    Account account(String username) {
        return username == null ? null : accounts.get(username);
    }

    /** Called under the session's account lock whenever its availability changes. */
    void setAvailable(DemoSession session, boolean isAvailable) {
        if (isAvailable) {
            available.add(session);
        } else {
            available.remove(session);
        }
    }

    /** A live, weakly consistent view of all available sessions. */
    Set<DemoSession> availableSessions() {
        return Collections.unmodifiableSet(available);
    }
}
