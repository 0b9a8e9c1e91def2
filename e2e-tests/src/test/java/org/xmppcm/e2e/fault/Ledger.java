package org.xmppcm.e2e.fault;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Every numbered message of a run and what became of it: sent (the client's socket write returned), delivered
 * online (how often, and in which order relative to the same sender's other messages), delivered from offline
 * storage (it carries the XEP-0203 delay the demo host stamps on stored messages), or bounced back to its sender as
 * a {@code type='error'} message with its id. Where the host tap or the proxy saw it tells where a lost one was lost:
 * before the server had it, in the server, or after the server handed it out.
 *
 * <p>Thread-safe: the clients' reader threads, the senders, the host tap and the proxy all record into it.
 */
final class Ledger {
    /** One message, {@code fq<sender>_<seq>}, for {@code recipient}. */
    static final class Message {
        final int sender;
        final long seq;
        volatile int recipient = -1;
        volatile boolean attempted;
        volatile boolean written;
        volatile boolean writeFailed;
        volatile long writtenNanos;
        final AtomicInteger online = new AtomicInteger();
        final AtomicInteger offline = new AtomicInteger();
        final AtomicInteger bounced = new AtomicInteger();
        final AtomicInteger misdelivered = new AtomicInteger();
        /** The host got it from the sender's session (exact, in-process engine only). */
        volatile boolean hostReceived;
        /** The host handed it to the recipient's channel (exact, in-process engine only). */
        volatile boolean hostDelivered;
        /** The proxy forwarded it towards the server / towards the CM. */
        volatile boolean proxyUp;
        volatile boolean proxyDown;
        final AtomicInteger outcomes = new AtomicInteger();

        Message(int sender, long seq) {
            this.sender = sender;
            this.seq = seq;
        }

        int deliveries() {
            return online.get() + offline.get();
        }

        @Override
        public String toString() {
            return RawClient.messageId(sender, seq) + "->" + recipient + " online=" + online + " offline=" + offline
                    + " bounced=" + bounced + " host(in=" + hostReceived + ",out=" + hostDelivered + ") proxy(up="
                    + proxyUp + ",down=" + proxyDown + ")" + (writeFailed ? " writeFailed" : "");
        }
    }

    /** One arrival at a recipient, in the order its reader saw them. */
    private record Arrival(int sender, long seq, boolean offline, int session) {
        @Override
        public String toString() {
            return RawClient.messageId(sender, seq) + (offline ? " (offline)" : "");
        }
    }

    private final ConcurrentHashMap<Long, Message> messages = new ConcurrentHashMap<>();
    private final Map<Integer, List<Arrival>> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong accounted = new AtomicLong();
    private final AtomicLong unknownIds = new AtomicLong();
    private volatile long lastEventNanos = System.nanoTime();
    /** Whether the host tap is there: then it, not the proxy, says whether the server had a message. */
    private volatile boolean hostTapped;

    void hostTapped(boolean tapped) {
        this.hostTapped = tapped;
    }

    private static long key(int sender, long seq) {
        return ((long) sender << 40) | seq;
    }

    private Message message(int sender, long seq) {
        return messages.computeIfAbsent(key(sender, seq), k -> new Message(sender, seq));
    }

    /** Before the write: the sender is about to send it to {@code recipient}. */
    Message attempt(int sender, int recipient, long seq) {
        Message m = message(sender, seq);
        m.recipient = recipient;
        m.attempted = true;
        return m;
    }

    void written(Message m) {
        m.writtenNanos = System.nanoTime();
        m.written = true;
        written.incrementAndGet();
    }

    void writeFailed(Message m) {
        m.writeFailed = true;
    }

    /**
     * A message reached {@code recipient}'s client.
     *
     * @param session which connection of the recipient it came on: order is checked within one connection (a
     *        message that comes at the next login, live or from offline storage, may be older than what came before)
     */
    void delivered(int recipient, int session, String id, boolean fromOfflineStorage) {
        int sender = RawClient.senderOf(id);
        long seq = RawClient.seqOf(id);
        if (sender < 0 || seq < 0) {
            unknownIds.incrementAndGet();
            return;
        }
        Message m = message(sender, seq);
        if (m.recipient >= 0 && m.recipient != recipient) {
            m.misdelivered.incrementAndGet();
        } else {
            (fromOfflineStorage ? m.offline : m.online).incrementAndGet();
            arrivals.computeIfAbsent(recipient, r -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(new Arrival(sender, seq, fromOfflineStorage, session));
        }
        outcome(m);
    }

    /** An error message with the id of one of {@code sender}'s messages came back to it. */
    void bounced(int sender, String id) {
        if (RawClient.senderOf(id) != sender) {
            unknownIds.incrementAndGet();
            return;
        }
        Message m = message(sender, RawClient.seqOf(id));
        m.bounced.incrementAndGet();
        outcome(m);
    }

    private void outcome(Message m) {
        if (m.outcomes.getAndIncrement() == 0) {
            accounted.incrementAndGet();
        }
        lastEventNanos = System.nanoTime();
    }

    void hostReceived(int sender, long seq) {
        message(sender, seq).hostReceived = true;
    }

    void hostDelivered(int sender, long seq) {
        message(sender, seq).hostDelivered = true;
    }

    void proxySaw(boolean towardsServer, int sender, long seq) {
        Message m = messages.get(key(sender, seq));
        if (m == null) {
            return; // not one of ours (an id seen in a stray byte pattern)
        }
        if (towardsServer) {
            m.proxyUp = true;
        } else {
            m.proxyDown = true;
        }
    }

    /** Messages written whose fate is not known yet (neither delivered nor bounced). */
    long unaccounted() {
        return written.get() - accounted.get();
    }

    long writtenCount() {
        return written.get();
    }

    long lastEventNanos() {
        return lastEventNanos;
    }

    boolean reachedServer(Message m) {
        return hostTapped ? m.hostReceived : m.proxyUp;
    }

    boolean leftServer(Message m) {
        return hostTapped ? m.hostDelivered : m.proxyDown;
    }

    /**
     * The counts of a run; {@code excused} picks the lost messages that no protocol could have saved (see Fault),
     * {@code faultNanos} is when the fault came (System.nanoTime), for the times of the lost ones.
     */
    Counts count(Predicate<Message> excused, long faultNanos) {
        return count(excused, m -> false, m -> false, faultNanos);
    }

    /**
     * As {@link #count(Predicate, long)}; {@code excusedTwice} picks the duplicates no protocol could have avoided,
     * {@code excusedBounce} the messages bounced although delivered that none could have told apart.
     */
    Counts count(Predicate<Message> excused, Predicate<Message> excusedTwice, Predicate<Message> excusedBounce,
                 long faultNanos) {
        Counts c = new Counts();
        List<Message> lost = new ArrayList<>();
        for (Message m : messages.values()) {
            if (!m.attempted) {
                continue; // an id no sender of ours used: counted in unknownIds when delivered
            }
            int deliveries = m.deliveries();
            int bounces = m.bounced.get();
            c.misdelivered += m.misdelivered.get();
            if (deliveries == 0 && bounces == 0) {
                if (!m.written) {
                    c.unsent++; // the client's write failed or never returned: the client knows it was not sent
                    continue;
                }
                c.sent++;
                c.lost++;
                if (!reachedServer(m)) {
                    c.lostBeforeServer++;
                } else if (!leftServer(m)) {
                    c.lostInServer++;
                } else {
                    c.lostAfterServer++;
                }
                if (excused.test(m)) {
                    c.excused++;
                }
                lost.add(m);
                continue;
            }
            c.sent++;
            if (deliveries > 1 && excusedTwice.test(m)) {
                c.duplicatedExcused++;
            } else if (deliveries > 1) {
                c.duplicated++;
                if (c.duplicateSamples.size() < 5) {
                    c.duplicateSamples.add(m.toString());
                }
            }
            if (deliveries > 0 && bounces > 0 && excusedBounce.test(m)) {
                c.bouncedAndDeliveredExcused++;
            } else if (deliveries > 0 && bounces > 0) {
                c.bouncedAndDelivered++;
            }
            if (m.online.get() > 0) {
                c.delivered++;
            } else if (m.offline.get() > 0) {
                c.offline++;
            } else {
                c.bounced++;
            }
        }
        lost.sort(java.util.Comparator.comparingLong(m -> m.writtenNanos));
        for (Message m : lost.subList(0, Math.min(6, lost.size()))) {
            c.lostSamples.add(m.toString());
        }
        if (!lost.isEmpty()) {
            c.lostFirstMillis = (lost.get(0).writtenNanos - faultNanos) / 1_000_000;
            c.lostLastMillis = (lost.get(lost.size() - 1).writtenNanos - faultNanos) / 1_000_000;
        }
        c.unknownIds = unknownIds.get();
        c.reordered = reordered(c.reorderSamples, true);
        c.lateAtNextLogin = reordered(new ArrayList<>(), false) - c.reordered;
        return c;
    }

    /**
     * First deliveries that came after a later message of the same sender on the same connection of the recipient:
     * counted separately for live deliveries and for those from offline storage (which the demo host sends at
     * initial presence, before live ones, by design). Duplicates do not count again here.
     *
     * @param perConnection false to ignore which connection: then also counts live messages that came at the next
     *        login after newer ones had come on the connection before (allowed, but worth knowing)
     */
    private long reordered(List<String> samples, boolean perConnection) {
        long reordered = 0;
        for (Map.Entry<Integer, List<Arrival>> entry : arrivals.entrySet()) {
            List<Arrival> list = entry.getValue();
            List<Arrival> copy;
            synchronized (list) {
                copy = new ArrayList<>(list);
            }
            Map<Long, Long> highest = new HashMap<>(); // per (connection, sender, live or offline)
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (Arrival a : copy) {
                if (!seen.add(key(a.sender(), a.seq()))) {
                    continue;
                }
                long stream = ((perConnection ? (long) a.session() : 0L) << 32) | ((long) a.sender() << 1)
                        | (a.offline() ? 1 : 0);
                Long max = highest.get(stream);
                if (max != null && a.seq() < max) {
                    reordered++;
                    if (samples.size() < 5) {
                        samples.add(a + " reached u" + entry.getKey() + " after " + RawClient.messageId(a.sender(), max));
                    }
                } else {
                    highest.put(stream, a.seq());
                }
            }
        }
        return reordered;
    }

    /** What {@link #count} found. */
    static final class Counts {
        long sent;
        long delivered;
        long bounced;
        long offline;
        long lost;
        long lostBeforeServer;
        long lostInServer;
        long lostAfterServer;
        /** Lost messages the fault excuses: they were only in the memory of a process that was killed. */
        long excused;
        long duplicated;
        /** Duplicates the fault excuses (see {@link Fault#excusesDuplicate}), not in {@link #duplicated}. */
        long duplicatedExcused;
        long reordered;
        /** Live deliveries at the recipient's next login older than what its connection before had got. */
        long lateAtNextLogin;
        long bouncedAndDelivered;
        /** Bounced and delivered, excused by the fault (see {@link Fault#excusesBounceOfDelivered}). */
        long bouncedAndDeliveredExcused;
        long misdelivered;
        long unsent;
        long unknownIds;
        /** When the first and the last lost message were written, in ms from the fault (negative: before it). */
        long lostFirstMillis;
        long lostLastMillis;
        /** The lost messages written first. */
        final List<String> lostSamples = new ArrayList<>();
        final List<String> duplicateSamples = new ArrayList<>();
        final List<String> reorderSamples = new ArrayList<>();

        /** Lost messages that the fault does not excuse. */
        long unexcusedLost() {
            return lost - excused;
        }
    }
}
