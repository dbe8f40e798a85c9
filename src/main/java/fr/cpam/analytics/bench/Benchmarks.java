package fr.cpam.analytics.bench;

import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/** Publishes a benchmark run: merged into the results, BENCHMARKS.md and its curve rewritten, a console table. */
public final class Benchmarks {

    /** What was written, and the run's table for the console. */
    public record Summary(Path markdown, String table) {
    }

    private Benchmarks() {
    }

    public static Summary publish(Path docDir, List<Measure> measured, SparkSession spark) throws IOException {
        Path md = docDir.resolve("BENCHMARKS.md");
        // nothing measured (--doc-only): the figures still belong to the machine and day that measured them
        Map<String, String> machine = measured.isEmpty()
                ? BenchmarksDoc.machineOf(md).orElseGet(() -> machine(spark)) : machine(spark);
        String id = machine.get("cpu") + " / " + machine.get("cores") + " cores / " + machine.get("memory");
        Files.createDirectories(docDir);
        List<Measure> all = BenchmarksDoc.merge(docDir.resolve("benchmarks.csv"), measured, id.replace(';', ','));
        BenchmarksDoc.write(md, docDir.resolve("benchmarks.svg"), all, machine);
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-12s %-8s %-45s %9s %12s %9s%n", "lines", "engine", "step",
                "seconds", "lines/s", "peak MiB"));
        for (Measure m : measured) {
            t.append(String.format(Locale.ROOT, "%-12d %-8s %-45s %9.1f %12.0f %9d%n", m.claimLines(), m.engine(), m.step(),
                    m.seconds(), m.rowsPerSecond(), m.peakMiB()));
        }
        return new Summary(md, t.toString());
    }

    /** The machine and the versions the figures belong to. */
    static Map<String, String> machine(SparkSession spark) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu", firstLine(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")));
        m.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        OptionalLong total = PeakMemory.meminfoMiB("MemTotal");
        m.put("memory", total.isPresent() ? Math.round(total.getAsLong() / 1024.0) + " GiB" : "unknown");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", heap max " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        m.put("spark", spark.version() + " (" + spark.sparkContext().master() + ", "
                + spark.conf().get("spark.sql.shuffle.partitions") + " shuffle partitions)");
        m.put("delta", version(io.delta.tables.DeltaTable.class));
        m.put("duckdb", DuckDbBaseline.version());
        m.put("cpam-analytics", fr.cpam.analytics.runlog.RunLog.version());
        m.put("measured", java.time.LocalDate.now().toString());
        return m;
    }

    private static String version(Class<?> c) {
        String v = c.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        String jar = c.getProtectionDomain().getCodeSource() == null ? "" : c.getProtectionDomain().getCodeSource().getLocation().getPath();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-([0-9][0-9.]+)\\.jar$").matcher(jar);
        return m.find() ? m.group(1) : "unknown";
    }

    private static java.util.Optional<String> firstLine(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
