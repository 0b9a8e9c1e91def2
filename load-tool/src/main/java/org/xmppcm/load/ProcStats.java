package org.xmppcm.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says about a process and the machine: resident memory from
 * {@code /proc/PID/status} (VmRSS), CPU time from {@code /proc/PID/stat} (utime + stime), and
 * the machine's busy time from {@code /proc/stat}, where others' work shows up too. Returns -1
 * where /proc is missing (not Linux) or the process is gone.
 */
final class ProcStats {
    /** USER_HZ: 100 on every mainstream Linux build; /proc/PID/stat counts in it. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time used by the process, user plus system, in nanoseconds. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may contain spaces and parentheses: fields start after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {busy, total} CPU time of the whole machine in nanoseconds (all cores). */
    static long[] machineNanos() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long scale = 1_000_000_000L / TICKS_PER_SECOND;
            return new long[] {(total - idle) * scale, total * scale};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }
}
