package fr.cpam.analytics.bench;

import fr.cpam.analytics.reporting.Svg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps the measured results ({@code benchmarks.csv}: the latest measure of each size, engine,
 * step and machine) and writes {@code BENCHMARKS.md} from them: the machine and versions, a
 * table per size with rows per second, peak memory and the ratio to DuckDB, the goals of the
 * benchmark issue with what was measured, and the curve of time against size
 * ({@code benchmarks.svg}); last, the hand-written profile ({@code benchmarks-profile.md}) that
 * explains them.
 */
final class BenchmarksDoc {

    static final double INGEST_GOAL_RATIO = 2;
    static final double SPENDING_GOAL_RATIO = 3;
    static final double ROWS_PER_CORE_GOAL = 250_000;
    static final double NIGHTLY_GOAL_SHARE = 0.15;
    /** Hand-written profile appended to BENCHMARKS.md, in the same folder. */
    static final String PROFILE = "benchmarks-profile.md";

    private BenchmarksDoc() {
    }

    /** Merges the new measures into the results file (replacing the same size, engine, step and machine). */
    static List<Measure> merge(Path csv, List<Measure> fresh, String machine) throws IOException {
        Map<String, String> lines = new LinkedHashMap<>();
        if (Files.exists(csv)) {
            for (String l : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
                if (!l.isBlank() && !l.startsWith("claim_lines")) {
                    lines.put(key(l), l);
                }
            }
        }
        for (Measure m : fresh) {
            String l = m.csv(machine);
            lines.put(key(l), l);
        }
        List<String> out = new ArrayList<>();
        out.add(Measure.HEADER);
        out.addAll(lines.values());
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.write(csv, out, StandardCharsets.UTF_8);
        List<Measure> all = new ArrayList<>();
        for (String l : lines.values()) {
            if (l.endsWith(";" + machine)) {
                all.add(Measure.parse(l));
            }
        }
        return all;
    }

    private static String key(String line) {
        String[] f = line.split(";", -1);
        return f[0] + "|" + f[1] + "|" + f[2] + "|" + f[6];
    }

    /**
     * The machine table of an existing BENCHMARKS.md: a rewrite that measured nothing keeps the machine
     * and the day the figures belong to, not the ones it runs on.
     */
    static Optional<Map<String, String>> machineOf(Path md) throws IOException {
        if (!Files.exists(md)) {
            return Optional.empty();
        }
        Map<String, String> machine = new LinkedHashMap<>();
        boolean in = false;
        for (String l : Files.readAllLines(md, StandardCharsets.UTF_8)) {
            if (l.startsWith("## ")) {
                if (in) {
                    break;
                }
                in = l.equals("## Machine and versions");
            } else if (in && l.startsWith("| ") && !l.startsWith("| |")) {
                String[] f = l.substring(2, l.length() - 2).split(" \\| ", 2);
                if (f.length == 2) {
                    machine.put(f[0], f[1]);
                }
            }
        }
        return machine.isEmpty() ? Optional.empty() : Optional.of(machine);
    }

    static void write(Path md, Path svg, List<Measure> all, Map<String, String> machine) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("# Benchmarks\n\n");
        s.append("Written by `jobs/run.sh bench` (see the README's Performance section); every figure below was measured ")
                .append("by it on the machine described, each step a whole run of the job's command (the Spark session started ")
                .append("beforehand, and warmed by a small unmeasured ingest and compute), DuckDB in the same process on the same files. Rows per second count claim lines. Peak ")
                .append("memory is the process's peak resident set during the step (Linux `VmHWM`, reset before each step): the JVM ")
                .append("and DuckDB share the process, so it includes the heap the JVM already holds. Lines per second count the ")
                .append("lines the step read: every dataset for ingest (claims, notices, Open DAMIR, references), the claim lines ")
                .append("for compute, the new files' lines for the nightly run.\n\n");
        s.append("## Machine and versions\n\n| | |\n|---|---|\n");
        machine.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        int cores = Integer.parseInt(machine.getOrDefault("cores", "1"));

        TreeMap<Long, List<Measure>> bySize = new TreeMap<>();
        all.forEach(m -> bySize.computeIfAbsent(m.claimLines(), k -> new ArrayList<>()).add(m));
        s.append("\n## Results\n");
        for (Map.Entry<Long, List<Measure>> e : bySize.entrySet()) {
            s.append("\n### ").append(String.format(Locale.ROOT, "%,d", e.getKey())).append(" claim lines (36 months)\n\n");
            s.append("| engine | step | seconds | lines / s | per core | peak memory (MiB) | ratio to DuckDB |\n");
            s.append("|---|---|---:|---:|---:|---:|---:|\n");
            for (Measure m : e.getValue()) {
                Measure duck = duckdbOf(e.getValue(), m);
                s.append("| ").append(m.engine()).append(" | ").append(m.step()).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", m.seconds())).append(" | ")
                        .append(m.step().startsWith("  ") ? "" : String.format(Locale.ROOT, "%,.0f", m.rowsPerSecond())).append(" | ")
                        .append(m.step().startsWith("  ") ? "" : String.format(Locale.ROOT, "%,.0f", m.rowsPerSecond() / cores)).append(" | ")
                        .append(m.peakMiB() < 0 ? "" : String.valueOf(m.peakMiB())).append(" | ")
                        .append(duck == null || m.engine().equals("duckdb") ? "" : String.format(Locale.ROOT, "%.1fx", m.seconds() / duck.seconds()))
                        .append(" |\n");
            }
            goals(s, e.getValue(), cores);
        }
        curve(s, svg, bySize);
        // the profile that explains the figures is written by people, next to the file: kept
        // as is across rewrites, so measuring again never drops the analysis
        Path profile = md.resolveSibling(PROFILE);
        if (Files.exists(profile)) {
            s.append('\n').append(Files.readString(profile, StandardCharsets.UTF_8).strip()).append('\n');
        }
        Files.writeString(md, s.toString(), StandardCharsets.UTF_8);
    }

    /** The DuckDB step a Spark step compares with (same kind of work). */
    private static Measure duckdbOf(List<Measure> ms, Measure m) {
        String kind = m.step().startsWith("ingest") ? "ingest" : m.step().startsWith("spending") ? "spending" : null;
        if (kind == null) {
            return null;
        }
        return ms.stream().filter(d -> d.engine().equals("duckdb") && d.step().startsWith(kind)).findFirst().orElse(null);
    }

    private static Measure find(List<Measure> ms, String engine, String prefix) {
        return ms.stream().filter(m -> m.engine().equals(engine) && m.step().startsWith(prefix)).findFirst().orElse(null);
    }

    private static void goals(StringBuilder s, List<Measure> ms, int cores) {
        Measure ingest = find(ms, "spark", "ingest");
        Measure duckIngest = find(ms, "duckdb", "ingest");
        Measure spending = find(ms, "spark", "spending");
        Measure duckSpending = find(ms, "duckdb", "spending");
        Measure full = find(ms, "spark", "compute --full");
        Measure nightly = find(ms, "spark", "nightly");
        s.append("\n| goal | measured | met |\n|---|---|---|\n");
        if (ingest != null && duckIngest != null) {
            double r = ingest.seconds() / duckIngest.seconds();
            s.append(String.format(Locale.ROOT, "| ingest within %.0fx of DuckDB's CSV-to-Parquet | %.1fx | %s |%n", INGEST_GOAL_RATIO, r, r <= INGEST_GOAL_RATIO ? "yes" : "**no**"));
        }
        if (spending != null && duckSpending != null) {
            double r = spending.seconds() / duckSpending.seconds();
            s.append(String.format(Locale.ROOT, "| spending within %.0fx of DuckDB's query | %.1fx | %s |%n", SPENDING_GOAL_RATIO, r, r <= SPENDING_GOAL_RATIO ? "yes" : "**no**"));
        }
        if (ingest != null) {
            double perCore = ingest.rowsPerSecond() / cores;
            s.append(String.format(Locale.ROOT, "| more than %,.0f lines / s / core through ingest | %,.0f | %s |%n", ROWS_PER_CORE_GOAL, perCore,
                    perCore > ROWS_PER_CORE_GOAL ? "yes" : "**no**"));
        }
        if (full != null && nightly != null) {
            double share = nightly.seconds() / full.seconds();
            s.append(String.format(Locale.ROOT, "| a nightly run with one new month under %.0f %% of a full recompute | %.0f %% (%.0f s against %.0f s) | %s |%n",
                    NIGHTLY_GOAL_SHARE * 100, share * 100, nightly.seconds(), full.seconds(), share < NIGHTLY_GOAL_SHARE ? "yes" : "**no**"));
        }
    }

    private static void curve(StringBuilder s, Path svg, TreeMap<Long, List<Measure>> bySize) throws IOException {
        s.append("\n## Time against size\n\n");
        if (bySize.size() < 2) {
            s.append("One size measured so far: the curve needs at least two (`bench --rows N` adds a size).\n\n");
        }
        List<String> steps = List.of("ingest", "compute --full", "nightly");
        s.append("| claim lines |");
        steps.forEach(st -> s.append(" spark ").append(st).append(" (s) |"));
        s.append(" duckdb ingest (s) | duckdb spending (s) |\n|---:|");
        s.append("---:|".repeat(steps.size() + 2)).append('\n');
        List<String> xs = new ArrayList<>();
        List<List<Double>> ys = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            ys.add(new ArrayList<>());
        }
        for (Map.Entry<Long, List<Measure>> e : bySize.entrySet()) {
            xs.add(String.format(Locale.ROOT, "%.1f M", e.getKey() / 1e6));
            s.append("| ").append(String.format(Locale.ROOT, "%,d", e.getKey())).append(" |");
            for (int i = 0; i < steps.size(); i++) {
                Measure m = find(e.getValue(), "spark", steps.get(i));
                ys.get(i).add(m == null ? null : m.seconds());
                s.append(m == null ? " |" : String.format(Locale.ROOT, " %.1f |", m.seconds()));
            }
            for (String d : List.of("ingest", "spending")) {
                Measure m = find(e.getValue(), "duckdb", d);
                s.append(m == null ? " |" : String.format(Locale.ROOT, " %.1f |", m.seconds()));
            }
            s.append('\n');
        }
        // per million lines: flat or falling down the column means no step grows faster than the data
        s.append("\nSeconds per million claim lines:\n\n| claim lines |");
        steps.forEach(st -> s.append(" spark ").append(st).append(" |"));
        s.append("\n|---:|").append("---:|".repeat(steps.size())).append('\n');
        for (Map.Entry<Long, List<Measure>> e : bySize.entrySet()) {
            s.append("| ").append(String.format(Locale.ROOT, "%,d", e.getKey())).append(" |");
            for (String st : steps) {
                Measure m = find(e.getValue(), "spark", st);
                s.append(m == null ? " |" : String.format(Locale.ROOT, " %.1f |", m.seconds() / (e.getKey() / 1e6)));
            }
            s.append('\n');
        }
        List<Svg.Series> series = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            series.add(new Svg.Series("spark " + steps.get(i), ys.get(i)));
        }
        // x in proportion to the lines: a straight line through the origin is linear growth
        List<Double> lines = bySize.keySet().stream().map(Long::doubleValue).toList();
        String chart = Svg.linesOverValues("bench", "Seconds against claim lines", xs, lines, series,
                Svg.colors(series.size(), false), v -> String.format(Locale.ROOT, "%.0f s", v));
        // a standalone SVG file: the figure wrapper is for HTML pages
        Files.writeString(svg, chart.replaceFirst("^<figure[^>]*>", "").replaceFirst("</figure>$", ""), StandardCharsets.UTF_8);
        s.append("\n![time against size](").append(svg.getFileName()).append(")\n");
        TreeSet<Long> sizes = new TreeSet<>(bySize.keySet());
        if (sizes.size() >= 2) {
            long a = sizes.first();
            long b = sizes.last();
            Measure ia = find(bySize.get(a), "spark", "ingest");
            Measure ib = find(bySize.get(b), "spark", "ingest");
            if (ia != null && ib != null) {
                s.append(String.format(Locale.ROOT, "%nFrom %,d to %,d lines (x %.1f) ingest time grows x %.1f.%n", a, b, (double) b / a,
                        ib.seconds() / ia.seconds()));
            }
        }
    }
}
