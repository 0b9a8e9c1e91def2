package org.xmppcm.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;

/**
 * Messages kept for users with no available resource, in arrival order, at most
 * {@code maxPerUser} each: beyond that {@link #offer} refuses, so the sender learns the message
 * was not stored instead of an old one vanishing. In memory only; lost on restart.
 */
final class OfflineStore {
    private final int maxPerUser;
    private final String domain;
    private final Clock clock;
    /** Per-user queues; a queue exists only while it holds messages, so memory follows content. */
    private final ConcurrentHashMap<String, ArrayDeque<Element>> queues = new ConcurrentHashMap<>();

    OfflineStore(int maxPerUser, String domain, Clock clock) {
        if (maxPerUser < 0) {
            throw new IllegalArgumentException("maxPerUser < 0");
        }
        this.maxPerUser = maxPerUser;
        this.domain = domain;
        this.clock = clock;
    }

    /**
     * Stores a copy of {@code message} for {@code username}, stamped with a XEP-0203 delay.
     *
     * @return false when the user's store is full and the message was not kept
     */
    boolean offer(String username, Element message) {
        Element stored = message.createCopy();
        addDelay(stored);
        boolean[] accepted = {false};
        // compute() runs atomically per key, which serializes offers and drains for one user.
        queues.compute(username, (user, queue) -> {
            ArrayDeque<Element> q = queue == null ? new ArrayDeque<>() : queue;
            if (q.size() < maxPerUser) {
                q.addLast(stored);
                accepted[0] = true;
            }
            return q.isEmpty() ? null : q;
        });
        return accepted[0];
    }

    /** Removes and returns everything stored for {@code username}, oldest first. */
    List<Element> drain(String username) {
        ArrayDeque<Element> queue = queues.remove(username);
        return queue == null ? List.of() : List.copyOf(queue);
    }

    int size(String username) {
        int[] size = {0};
        queues.computeIfPresent(username, (user, queue) -> {
            size[0] = queue.size(); // read under the key's lock, like offer()
            return queue;
        });
        return size[0];
    }

    int maxPerUser() {
        return maxPerUser;
    }

    private void addDelay(Element message) {
        // A message stored twice (e.g. after a failed delivery) keeps its first, truer stamp.
        for (Element child : message.elements("delay")) {
            if (Stanzas.DELAY.equals(child.getNamespaceURI()) && domain.equals(child.attributeValue("from"))) {
                return;
            }
        }
        Element delay = Stanzas.add(message, "delay", Stanzas.DELAY);
        delay.addAttribute("from", domain);
        delay.addAttribute("stamp", Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString());
        delay.setText("Offline Storage");
    }
}
