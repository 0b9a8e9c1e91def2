package org.xmppcm.e2e.fault;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Numbered messages both ways between the rig's pairs: one thread per client sends {@code fq<i>_1, fq<i>_2, ...} to
 * its peer's full JID every {@code interval}, recording each in the ledger before the write and once the write
 * returned. A client whose stream ended, or whose write failed, stops sending (as it would without XEP-0198: it
 * cannot know what the server got). A write blocked by TCP back-pressure blocks only its own client.
 */
final class Traffic {
    private final RawClient[] clients;
    private final Ledger ledger;
    private final long intervalNanos;
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean running = true;

    Traffic(RawClient[] clients, Ledger ledger, Duration interval) {
        this.clients = clients;
        this.ledger = ledger;
        this.intervalNanos = interval.toNanos();
    }

    void start() {
        for (RawClient client : clients) {
            RawClient peer = clients[client.index() ^ 1];
            Thread sender = new Thread(() -> send(client, peer), "fault-sender-" + client.user());
            sender.setDaemon(true);
            senders.add(sender);
            sender.start();
        }
    }

    private void send(RawClient client, RawClient peer) {
        String to = peer.fullJid();
        long next = System.nanoTime() + (long) (Math.random() * intervalNanos); // not all in step
        for (long seq = 1; running && client.isUp(); seq++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            next = Math.max(next + intervalNanos, System.nanoTime()); // no bursts to catch up after a stall
            if (!running) {
                return;
            }
            Ledger.Message m = ledger.attempt(client.index(), peer.index(), seq);
            try {
                client.sendMessage(to, client.index(), seq);
                ledger.written(m);
            } catch (IOException e) {
                ledger.writeFailed(m);
                return;
            }
        }
    }

    /** Stops the senders; returns how many were still blocked in a write after {@code wait}. */
    int stop(Duration wait) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + wait.toNanos();
        int blocked = 0;
        for (Thread sender : senders) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            sender.join(left);
            if (sender.isAlive()) {
                blocked++;
            }
        }
        return blocked;
    }
}
