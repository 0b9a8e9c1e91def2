package org.xmppcm.e2e.fault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM child process of the fault suite (the CM or the server), on this JVM's class path, so that a SIGKILL or a
 * SIGTERM is real. Its stdout and stderr go to one log file, read line by line so a test can wait for a line. It
 * is always cleaned up: {@link #close()} kills it, a shutdown hook kills what is left when this JVM exits, and the
 * child mains exit by themselves when their stdin (a pipe from this JVM) closes, so a parent killed with SIGKILL
 * leaves no child behind ({@link ParentWatch}).
 */
final class ChildJvm implements AutoCloseable {
    private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(c -> c.process.destroyForcibly()),
                "fault-children-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final List<String> lines = new ArrayList<>(); // guarded by itself
    private final Thread drain;

    private ChildJvm(String name, Process process, Path log) throws IOException {
        this.name = name;
        this.process = process;
        this.log = log;
        PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        this.drain = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); file) {
                String line;
                while ((line = in.readLine()) != null) {
                    file.println(line);
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the child is gone
            } finally {
                synchronized (lines) {
                    lines.notifyAll();
                }
            }
        }, "fault-child-" + name + "-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM; its output goes to {@code log}. */
    static ChildJvm start(String name, Class<?> mainClass, List<String> args, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The child reads its settings from its arguments and file only.
        builder.environment().keySet().removeIf(k -> k.startsWith("XMPPCM_"));
        ChildJvm child = new ChildJvm(name, builder.start(), log);
        LIVE.add(child);
        return child;
    }

    /**
     * This JVM's class path: {@code java.class.path}, unless the classes came from a URL class loader of a host
     * (as under {@code exec:java}), whose URLs are the project's class path then.
     */
    static String classPath() {
        ClassLoader loader = ChildJvm.class.getClassLoader();
        if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (URL url : urls.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (Exception e) {
                    entries.add(url.getPath());
                }
            }
            return String.join(java.io.File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    /** Waits for a line of output that {@code matches}; returns it, or throws with the log's tail. */
    String awaitLine(Predicate<String> matches, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = 0;
        synchronized (lines) {
            while (true) {
                for (; next < lines.size(); next++) {
                    if (matches.test(lines.get(next))) {
                        return lines.get(next);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !drain.isAlive() && next >= lines.size()) {
                    throw new IOException(name + ": expected output did not come within " + timeout
                            + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + "; see "
                            + log + ", last lines:\n" + tail(15));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    /** True when a line of output so far {@code matches}. */
    boolean saw(Predicate<String> matches) {
        synchronized (lines) {
            return lines.stream().anyMatch(matches);
        }
    }

    String tail(int count) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILL. Through the process handle, not {@link Process#destroyForcibly()}: that also closes our end of the
     * child's pipes, which would end the child's stdin (see {@link ParentWatch}) and cut its last output.
     */
    void kill() {
        process.toHandle().destroyForcibly();
    }

    /**
     * SIGTERM, and nothing else: {@link Process#destroy()} would also close the child's stdin, and the child would
     * take that for its parent's death and halt in the middle of its graceful stop.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the exit; its status, or null when still running after {@code timeout}. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            try {
                drain.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return process.exitValue();
        }
        return null;
    }

    Path log() {
        return log;
    }

    /** Kills the child if it still runs and waits for it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            drain.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }
}
