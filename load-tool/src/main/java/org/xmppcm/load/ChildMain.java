package org.xmppcm.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Runs another main class (the CM's {@code org.xmppcm.cm.Main}, the relay) inside a measured
 * child JVM, plus a tiny agent on stdin: {@code sample} prints the heap and GC state,
 * {@code gc} runs a full GC first, and end of input (the load tool died or is done) exits the
 * JVM, which runs the child's own shutdown hooks. A pipe rather than a JMX port: no port to pick,
 * no flags that differ from a real deployment, and the child cannot outlive the tool.
 */
public final class ChildMain {
    /** Prefix of agent replies on stdout, which the child's own logging shares. */
    static final String REPLY = "@@AGENT ";

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ChildMain MAIN-CLASS [ARGS...]");
            System.exit(2);
        }
        Thread agent = new Thread(ChildMain::serve, "load-agent");
        agent.setDaemon(true);
        agent.start();
        Class.forName(args[0]).getMethod("main", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void serve() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                // "COMMAND SEQ": the reply repeats SEQ so a late answer is never taken for a newer one.
                String[] words = line.trim().split(" ");
                String seq = " seq=" + (words.length > 1 ? words[1] : "0");
                switch (words[0]) {
                    case "gc" -> {
                        // Twice: the first may leave objects that only became garbage during it.
                        ManagementFactory.getMemoryMXBean().gc();
                        ManagementFactory.getMemoryMXBean().gc();
                        System.out.println(REPLY + sample() + seq);
                    }
                    case "sample" -> System.out.println(REPLY + sample() + seq);
                    case "quit" -> System.exit(0);
                    default -> System.out.println(REPLY + "error=unknown" + seq);
                }
                System.out.flush();
            }
        } catch (Exception e) {
            // fall through: no more commands can come
        }
        System.exit(0);
    }

    static String sample() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return "heapUsed=" + heap.getUsed() + " heapCommitted=" + heap.getCommitted()
                + " nonHeapUsed=" + nonHeap.getUsed() + " gcCount=" + gcCount + " gcMillis=" + gcMillis
                + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
