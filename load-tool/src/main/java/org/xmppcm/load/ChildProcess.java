package org.xmppcm.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the load tool: its output goes to a log file except the {@code @@} lines the
 * tool waits for; its stdin is the agent channel (see {@link ChildMain}) and its lifeline. Every
 * child is registered so that a shutdown hook kills whatever is left, whatever way the tool ends.
 */
final class ChildProcess implements AutoCloseable {
    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (ChildProcess child : LIVE) {
                child.kill();
            }
        }, "load-children-reaper"));
    }

    final String name;
    private final Process process;
    private final PrintStream commands;
    private final BlockingQueue<String> markers = new LinkedBlockingQueue<>();
    private long agentSeq;

    private ChildProcess(String name, Process process, Path log) throws IOException {
        this.name = name;
        this.process = process;
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        OutputStream logOut = Files.newOutputStream(log);
        pump(process.getInputStream(), logOut, name + "-stdout");
        pump(process.getErrorStream(), logOut, name + "-stderr");
    }

    /** Starts {@code java JVM-FLAGS -cp CLASSPATH MAIN ARGS} in {@code dir}, logging to {@code log}. */
    static ChildProcess start(String name, List<String> jvmFlags, String mainClass, List<String> args,
                              Map<String, String> env, Path dir, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(absoluteClassPath());
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        Files.writeString(log.resolveSibling(log.getFileName() + ".cmd"), String.join(" ", command) + "\n");
        ChildProcess child = new ChildProcess(name, builder.start(), log);
        LIVE.add(child);
        return child;
    }

    /** Children run in other directories: relative entries (java -jar target/x.jar) must be made absolute. */
    static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private void pump(InputStream in, OutputStream log, String threadName) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    int at = line.indexOf("@@");
                    if (at >= 0) {
                        markers.add(line.substring(at));
                    } else {
                        synchronized (log) {
                            log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The next marker line starting with {@code prefix}; fails when the child dies or the time is up. */
    String await(String prefix, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException(name + ": no '" + prefix + "' within " + timeout);
            }
            String line = markers.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
            if (line == null && !process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + " (see its log)");
            }
        }
    }

    /** Sends an agent command ({@code sample}, {@code gc}) and parses the reply's key=value numbers. */
    synchronized Map<String, Long> agent(String command, Duration timeout) throws IOException, InterruptedException {
        long seq = ++agentSeq;
        commands.println(command + " " + seq);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String reply = await(ChildMain.REPLY.trim(), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            Map<String, Long> values = new HashMap<>();
            for (String pair : reply.split(" ")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    try {
                        values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                    } catch (NumberFormatException e) {
                        // not a number: not needed
                    }
                }
            }
            if (values.getOrDefault("seq", -1L) == seq) {
                return values;
            }
        }
    }

    /** Closes stdin (the child exits on its own, running its shutdown hooks), then forces it after {@code grace}. */
    void stop(Duration grace) {
        commands.close();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
