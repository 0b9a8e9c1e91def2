package org.xmppcm.engine;

import org.dom4j.Element;

import java.util.function.BiConsumer;

/**
 * What every {@link RoutedSession} of one engine shares to reach its client: one object for all sessions, not fields
 * in each.
 *
 * @param domain the host's domain, the {@code from} of the routes we send
 * @param ids where IQ ids come from
 * @param holdOverflowed what to do with a session whose held stanzas overflow while its manager is away
 * @param undeliverable what to do with a stanza for a session that could neither be sent nor held: given back to the
 *        host (off the caller's thread) to store or answer
 */
record SessionContext(String domain, Ids ids, BiConsumer<ManagerEntry, RoutedSession> holdOverflowed,
                      BiConsumer<RoutedSession, Element> undeliverable) {
}
