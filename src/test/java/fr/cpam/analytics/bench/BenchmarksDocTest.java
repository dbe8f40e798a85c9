package fr.cpam.analytics.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** BENCHMARKS.md from measures: ratios to DuckDB, per-core rates and the goals' verdicts, worked out by hand. */
class BenchmarksDocTest {

    @TempDir
    Path dir;

    @Test
    void theTableTheGoalsAndTheCurveSayWhatWasMeasured() throws Exception {
        List<Measure> first = List.of(
                new Measure(1_000_000, "spark", "ingest (CSV to typed Delta, 36 months)", 4.0, 1_200_000, 2000),
                new Measure(1_000_000, "spark", "compute --full (all families, 36 months)", 100.0, 1_000_000, 3000),
                new Measure(1_000_000, "spark", "nightly: one new month on top of 35", 10.0, 30_000, 3000),
                new Measure(1_000_000, "duckdb", "ingest (CSV to typed Parquet, 36 months)", 2.5, 1_000_000, 500),
                new Measure(1_000_000, "duckdb", "spending evolution (all periods)", 2.0, 1_000_000, 500),
                new Measure(1_000_000, "spark", "spending evolution (all periods)", 8.0, 1_000_000, 2500));
        Path csv = dir.resolve("benchmarks.csv");
        BenchmarksDoc.merge(csv, first, "m1");
        // a second run replaces the same step and adds a size
        List<Measure> all = BenchmarksDoc.merge(csv, List.of(
                new Measure(1_000_000, "spark", "ingest (CSV to typed Delta, 36 months)", 3.0, 1_200_000, 2000),
                new Measure(10_000_000, "spark", "ingest (CSV to typed Delta, 36 months)", 30.0, 12_000_000, 4000)), "m1");
        assertEquals(7, all.size());
        assertEquals(8, Files.readAllLines(csv).size(), "header + 7 measures");

        Path md = dir.resolve("BENCHMARKS.md");
        Files.writeString(dir.resolve(BenchmarksDoc.PROFILE), "## Profile\n\nWhere the time goes.\n");
        Map<String, String> machine = new java.util.LinkedHashMap<>();
        machine.put("cpu", "test");
        machine.put("cores", "2");
        machine.put("java", "OpenJDK 17.0.15, heap max 6144 MiB");
        machine.put("measured", "2026-11-23");
        BenchmarksDoc.write(md, dir.resolve("benchmarks.svg"), all, machine);
        String s = Files.readString(md);
        // a rewrite that measures nothing reads the machine table back, in order, the day included
        assertEquals(machine, BenchmarksDoc.machineOf(md).orElseThrow());
        assertEquals(List.of("cpu", "cores", "java", "measured"), List.copyOf(BenchmarksDoc.machineOf(md).orElseThrow().keySet()));
        assertTrue(BenchmarksDoc.machineOf(dir.resolve("none.md")).isEmpty());
        // 3.0 s against 2.5 s: 1.2x, within 2x; 1.2 M lines in 3 s on 2 cores: 200,000 per core, under 250,000
        assertTrue(s.contains("| ingest within 2x of DuckDB's CSV-to-Parquet | 1.2x | yes |"), s);
        assertTrue(s.contains("| more than 250,000 lines / s / core through ingest | 200,000 | **no** |"), s);
        // 8 s against 2 s: 4.0x, beyond 3x
        assertTrue(s.contains("| spending within 3x of DuckDB's query | 4.0x | **no** |"), s);
        // 10 s against 100 s: 10 %
        assertTrue(s.contains("| a nightly run with one new month under 15 % of a full recompute | 10 % (10 s against 100 s) | yes |"), s);
        assertTrue(s.contains("From 1,000,000 to 10,000,000 lines (x 10.0) ingest time grows x 10.0."), s);
        // per million lines: 3 s for 1 M and 30 s for 10 M are both 3.0; steps not measured stay empty
        assertTrue(s.contains("| 1,000,000 | 3.0 | 100.0 | 10.0 |\n| 10,000,000 | 3.0 | | |\n"), s);
        String svg = Files.readString(dir.resolve("benchmarks.svg"));
        assertTrue(svg.startsWith("<svg"));
        // x in proportion to the lines: 1 M sits a tenth of the way along the 600 px plot from x = 90, 10 M at its end
        assertTrue(svg.contains("cx=\"150.0\"") && svg.contains("cx=\"690.0\""), svg);
        assertTrue(s.endsWith("## Profile\n\nWhere the time goes.\n"), "the hand-written profile closes the file");
    }
}
