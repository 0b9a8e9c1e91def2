package org.xmppcm.e2e.fault;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xmppcm.cm.ConnectionManager;
import org.xmppcm.engine.ConnectedLink;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.engine.ConnectionManagerListener;

/**
 * Measures how long each end takes to notice that faulted links are gone, by polling what each end shows: the CM's
 * {@code linksLost} counter (its {@code cm_links_lost} metric; {@link ConnectionManager#readyLinkCount()} drops at
 * the same moment), and the engine's own list of the manager's links ({@link ConnectionManagerListener#managers()}),
 * where the faulted links, known by name and connection time, must be gone. Either end may be absent (a process of
 * its own, or killed): its time is then not measured.
 */
final class Detector implements AutoCloseable {
    private static final long POLL_MILLIS = 5;

    private final ConnectionManager cm;
    private final ConnectionManagerListener engine;
    private final int faultedLinks;
    private final long startNanos;
    private final long cmLostBefore;
    /** The engine's links that were faulted: their connection name and since when they were connected. */
    private final Set<String> engineFaulted = new HashSet<>();
    private final Thread poller;
    private volatile long cmNanos;
    private volatile long engineNanos;
    private volatile boolean stopped;

    /**
     * Starts measuring now, the moment of the fault.
     *
     * @param linkNames the faulted links, e.g. {@code conn1}; empty for all of the manager's links
     */
    Detector(ConnectionManager cm, ConnectionManagerListener engine, List<String> linkNames, int faultedLinks) {
        this.cm = cm;
        this.engine = engine;
        this.faultedLinks = faultedLinks;
        this.cmLostBefore = cm == null ? 0 : cm.metrics().getLinksLost();
        if (engine != null) {
            for (ConnectedLink link : managerLinks()) {
                String name = link.connection().substring(link.connection().indexOf('/') + 1);
                if (linkNames.isEmpty() || linkNames.contains(name)) {
                    engineFaulted.add(identity(link.connection(), link.connectedSince()));
                }
            }
        }
        this.startNanos = System.nanoTime();
        poller = new Thread(this::poll, "fault-detector");
        poller.setDaemon(true);
        poller.start();
    }

    private List<ConnectedLink> managerLinks() {
        for (ConnectedManager manager : engine.managers()) {
            if (manager.name().equals(LinkTuning.MANAGER)) {
                return manager.links();
            }
        }
        return List.of();
    }

    private static String identity(String connection, Instant since) {
        return connection + "@" + since;
    }

    private void poll() {
        while (!stopped && (cmPending() || enginePending())) {
            if (cmPending() && cm.metrics().getLinksLost() - cmLostBefore >= faultedLinks) {
                cmNanos = System.nanoTime();
            }
            if (enginePending()) {
                Set<String> now = new HashSet<>();
                for (ConnectedLink link : managerLinks()) {
                    now.add(identity(link.connection(), link.connectedSince()));
                }
                if (engineFaulted.stream().noneMatch(now::contains)) {
                    engineNanos = System.nanoTime();
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean cmPending() {
        return cm != null && cmNanos == 0;
    }

    private boolean enginePending() {
        return engine != null && !engineFaulted.isEmpty() && engineNanos == 0;
    }

    /** Milliseconds from the fault until the CM saw every faulted link lost; -1 when it has not (yet). */
    long cmMillis() {
        return cmNanos == 0 ? -1 : (cmNanos - startNanos) / 1_000_000;
    }

    /** As {@link #cmMillis()} for the engine. */
    long engineMillis() {
        return engineNanos == 0 ? -1 : (engineNanos - startNanos) / 1_000_000;
    }

    boolean measuresCm() {
        return cm != null;
    }

    boolean measuresEngine() {
        return engine != null && !engineFaulted.isEmpty();
    }

    /** True once every end that is measured has noticed. */
    boolean allDetected() {
        return !cmPending() && !enginePending();
    }

    long startNanos() {
        return startNanos;
    }

    /** What was measured so far, and stops measuring. */
    Detection finish() {
        close();
        return new Detection(cmMillis(), engineMillis(), measuresCm(), measuresEngine());
    }

    /**
     * How long each end took to notice a fault; -1 when it did not.
     *
     * @param measuresCm whether the CM's side was watched (it was in this JVM)
     * @param measuresEngine whether the engine's side was watched
     */
    record Detection(long cmMillis, long engineMillis, boolean measuresCm, boolean measuresEngine) {
        /** The slowest of several (a fault made of several cuts): a miss (-1) is the worst. */
        static Detection worst(java.util.List<Detection> all) {
            Detection first = all.get(0);
            return new Detection(worst(all.stream().mapToLong(Detection::cmMillis).toArray()),
                    worst(all.stream().mapToLong(Detection::engineMillis).toArray()), first.measuresCm(),
                    first.measuresEngine());
        }

        private static long worst(long[] millis) {
            long worst = 0;
            for (long m : millis) {
                if (m < 0) {
                    return -1;
                }
                worst = Math.max(worst, m);
            }
            return worst;
        }
    }

    @Override
    public void close() {
        stopped = true;
        poller.interrupt();
    }
}
