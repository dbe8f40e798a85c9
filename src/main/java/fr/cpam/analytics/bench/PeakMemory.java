package fr.cpam.analytics.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Peak resident memory of this process over a step, from Linux's {@code VmHWM}, reset before the
 * step through {@code /proc/self/clear_refs}. Resident memory counts what the JVM heap really
 * touched and native memory alike (DuckDB runs in this process), so Spark and DuckDB are measured
 * the same way. Elsewhere than Linux: unknown (-1).
 */
final class PeakMemory {

    private PeakMemory() {
    }

    /** Starts a new peak: the high-water mark falls back to the current resident size. */
    static void reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux, or not allowed: peaks are then since the start of the process
        }
    }

    /** A figure of {@code /proc/meminfo} ({@code MemTotal}, {@code MemAvailable} ...) in MiB; empty elsewhere than Linux. */
    static OptionalLong meminfoMiB(String key) {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith(key + ":")).findFirst()
                    .map(l -> OptionalLong.of(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024)).orElse(OptionalLong.empty());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Peak resident memory since the last reset, in MiB; -1 when unknown. */
    static long peakMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
