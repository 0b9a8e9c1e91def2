package org.xmppcm.e2e.fault;

import java.io.IOException;

/** For the fault suite's child mains: end this JVM when its stdin, a pipe from the parent, closes. */
final class ParentWatch {
    private ParentWatch() {
    }

    /** Starts a daemon thread that halts this JVM with {@code status} once stdin reaches its end. */
    static void haltWhenStdinCloses(int status) {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // only the end matters
                }
            } catch (IOException e) {
                // treated as the end
            }
            Runtime.getRuntime().halt(status);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
