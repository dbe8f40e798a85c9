package fr.cpam.analytics.bench;

import fr.cpam.analytics.cli.Main;
import fr.cpam.analytics.support.GroundTruth;
import fr.cpam.analytics.support.SparkTestBase;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The benchmark end to end on its smallest data set, in the suite's session (no warm-up: the
 * figures do not matter here, the steps and the lines they count do); and a failing step, which
 * keeps the measures taken before it.
 */
@Order(2) // where it starts in the two-at-a-time run: see junit-platform.properties
class BenchTest extends SparkTestBase {

    /** The benchmark's folder: the data set it generates there is reused by the second test, as the benchmark reuses it. */
    @TempDir
    static Path benchDir;

    /** The generator's smallest fund (50 beneficiaries, about 38,000 lines over 36 months). */
    private static final long SIZE = 1_000;

    private static Path data() {
        return benchDir.resolve("data-" + SIZE);
    }

    /** The suite's day, and two cheap fraud signals (the fraud suite tests all eleven). */
    private static Function<String[], Integer> withSettings(Function<String[], Integer> command) {
        return args -> {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--set", "ingest.today=" + TODAY, "--set", "fraud.signals=IJ_OVERLAP,CARE_AFTER_DEATH"));
            return command.apply(all.toArray(String[]::new));
        };
    }

    @Test
    void aSmallRunMeasuresEveryStepOnTheLinesItRead() throws Exception {
        List<Measure> measured = Bench.builder(benchDir, spark()).sizes(List.of(SIZE)).warmUp(false)
                .command(withSettings(Main::run)).build().execute();

        Path data = data();
        // the claim lines the generator wrote, less the damaged ones it planted (its ground truth)
        long claimLines = dataLines(data.resolve("claims")) - plantedDamaged("claims/");
        Map<String, Measure> byStep = measured.stream().collect(Collectors.toMap(m -> m.engine() + " " + m.step(), m -> m));
        assertEquals(List.of("spark ingest (CSV to typed Delta, 36 months)", "spark compute --full (all families, 36 months)"),
                measured.stream().limit(2).map(m -> m.engine() + " " + m.step()).toList());
        for (String family : List.of("spending", "movers", "covid", "ij", "fraud signals")) {
            assertTrue(byStep.containsKey("spark   compute: " + family), family + " timed: " + byStep.keySet());
        }
        assertEquals(List.of("spark nightly: one new month on top of 35", "duckdb ingest (CSV to typed Parquet, 36 months)",
                        "duckdb spending evolution (all periods)", "spark spending evolution (all periods)"),
                measured.stream().skip(measured.size() - 4).map(m -> m.engine() + " " + m.step()).toList());
        measured.forEach(m -> assertTrue(m.seconds() > 0, m.toString()));
        measured.forEach(m -> assertEquals(claimLines, m.claimLines(), m.toString()));

        // ingest reads every dataset: the claim lines and the notices, Open DAMIR and reference lines
        long allLines = dataLines(data.resolve("claims")) + dataLines(data.resolve("sick_leave")) + dataLines(data.resolve("opendamir"))
                + dataLines(data.resolve("reference"));
        assertEquals(allLines, byStep.get("spark ingest (CSV to typed Delta, 36 months)").rows());
        assertEquals(claimLines, byStep.get("spark compute --full (all families, 36 months)").rows());
        // the night reads December 2022's files only: its claims and its Open DAMIR month
        long december = dataLines(data.resolve("claims/092/claims_092_202212.csv")) + dataLines(data.resolve("opendamir/A202212.csv.gz"));
        assertEquals(december, byStep.get("spark nightly: one new month on top of 35").rows());
        // DuckDB types the same lines: it keeps the valid ones, give or take a damaged line its
        // CSV reader accepts (a wrong date form, say, which our parse rejects)
        long duckRows = byStep.get("duckdb ingest (CSV to typed Parquet, 36 months)").rows();
        assertTrue(duckRows >= claimLines && duckRows <= claimLines + plantedDamaged("claims/"), duckRows + " of " + claimLines);
    }

    @Test
    void aFailedStepKeepsTheMeasuresTakenBeforeIt() {
        Function<String[], Integer> computeFails = args -> args[0].equals("compute") ? 1 : Main.run(args);
        Bench.Failed failed = assertThrows(Bench.Failed.class, () -> Bench.builder(benchDir, spark()).sizes(List.of(SIZE))
                .warmUp(false).duckdb(false).command(withSettings(computeFails)).build().execute());
        assertEquals("compute --full (all families, 36 months) ended with exit 1", failed.getMessage());
        assertEquals(List.of("ingest (CSV to typed Delta, 36 months)"), failed.measured().stream().map(Measure::step).toList());
    }

    private static long plantedDamaged(String prefix) throws IOException {
        return GroundTruth.expectedQuarantine(data()).entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Data lines (header aside) of one CSV file, gzip or not, or of every file under a folder. */
    private static long dataLines(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            long n = 0;
            try (Stream<Path> files = Files.walk(p)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    n += dataLines(f);
                }
            }
            return n;
        }
        try (var in = Files.newInputStream(p);
             BufferedReader r = new BufferedReader(new InputStreamReader(p.toString().endsWith(".gz") ? new GZIPInputStream(in) : in,
                     StandardCharsets.UTF_8))) {
            return r.lines().count() - 1;
        }
    }
}
