package org.xmppcm.engine;

import java.util.List;

/**
 * A read-only snapshot of one connection manager, for admin pages and metrics.
 *
 * @param name the manager's name (its links' {@code to} before the '/')
 * @param links its authenticated links, in the order they authenticated
 * @param sessionCount client sessions it carries (they belong to the manager, not to one link)
 */
public record ConnectedManager(String name, List<ConnectedLink> links, int sessionCount) {
    public ConnectedManager {
        links = List.copyOf(links);
    }
}
