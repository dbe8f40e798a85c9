package fr.cpam.analytics.cli;

import fr.cpam.analytics.generate.Generator;
import fr.cpam.analytics.ops.WarehouseLock;
import fr.cpam.analytics.spark.Warehouse;
import fr.cpam.analytics.support.Fixtures;
import fr.cpam.analytics.support.GeneratedWarehouse;
import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * nightly: a new month arriving gives the same tables as a full recompute; a quiet night is
 * quick; the data-quality gate; the warehouse lock; and a run killed with kill -9 during
 * ingest and during compute, resumed by the next run to the same tables.
 */
@Order(1) // where it starts in the two-at-a-time run: see junit-platform.properties
class NightlyTest extends SparkTestBase {

    /** The indicator tables a night publishes (compared row by row, run ids aside). */
    static final List<String> PUBLISHED = List.of("spending_evolution", "top_movers", "covid_share", "covid_ij_motives",
            "ij_breakdown", "ij_payments", "fraud_signals", "fraud_targets");

    /** The month a night adds on top of the others. */
    private static final YearMonth DECEMBER_2022 = YearMonth.of(2022, 12);

    static final String[] SETTINGS = GeneratedWarehouse.SETTINGS.toArray(new String[0]);

    private static Path generated() {
        return GeneratedWarehouse.input();
    }

    /** nightly --full on the whole generated input: what every other path must end up equal to. */
    private static String fullReference() {
        return GeneratedWarehouse.full();
    }

    private static String[] args(String... a) {
        String[] all = new String[a.length + SETTINGS.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(SETTINGS, 0, all, a.length, SETTINGS.length);
        return all;
    }

    private String nightly(int expectedExit, String input, String warehouse, String... more) {
        spark();
        StringWriter text = new StringWriter();
        List<String> a = new ArrayList<>(List.of("nightly", "--input", input, "--warehouse", warehouse));
        a.addAll(List.of(more));
        assertEquals(expectedExit, Main.run(new PrintWriter(text, true), args(a.toArray(new String[0]))), text.toString());
        return text.toString();
    }

    static void assertSameTables(Warehouse expected, Warehouse actual) {
        for (String t : PUBLISHED) {
            assertTrue(actual.exists(t), t + " published");
            Dataset<Row> a = expected.read(t).drop("run_id");
            Dataset<Row> b = actual.read(t).drop("run_id");
            assertEquals(a.count(), b.count(), t + ": rows");
            assertEquals(0, a.exceptAll(b).count(), t + ": rows of the full run missing from the nightly one");
            assertEquals(0, b.exceptAll(a).count(), t + ": rows of the nightly run missing from the full one");
        }
    }

    @Test
    void aNewMonthGivesTheSameTablesAsAFullRecomputeAndAQuietNightIsQuick() throws Exception {
        Path in = tmp.resolve("in");
        copyTree(generated(), in, f -> !Generator.isMonthFile(f, DECEMBER_2022));
        String wh = tmp.resolve("wh").toString();
        assertTrue(nightly(0, in.toString(), wh).contains("recomputing every period (first publication)"));
        copyTree(generated(), in, f -> Generator.isMonthFile(f, DECEMBER_2022));
        String second = nightly(0, in.toString(), wh);
        assertTrue(second.contains("recomputing the periods of 1 changed payment month(s): [2022-12]"), second);

        long start = System.nanoTime();
        String quiet = nightly(0, in.toString(), wh);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(quiet.contains("nothing new since"), quiet);
        assertTrue(seconds < 20, "a night with nothing new took " + seconds + " s");

        assertSameTables(new Warehouse(spark(), fullReference()), new Warehouse(spark(), wh));
        // run_log: three nightly runs, the watermark moving with the files
        assertEquals(3, new Warehouse(spark(), wh).read("run_log").filter(col("command").equalTo("nightly")
                .and(col("status").equalTo("SUCCESS")).and(col("published_until").isNotNull())).count());
        // each run left its JSON report, with inputs and outputs
        try (Stream<Path> reports = Files.list(Path.of(wh, "run_reports"))) {
            List<Path> all = reports.filter(p -> p.getFileName().toString().matches("[0-9].*\\.json")).toList();
            assertEquals(3, all.size());
            String first = Files.readString(all.stream().sorted().findFirst().orElseThrow());
            assertTrue(first.contains("\"checksum\"") && first.contains("\"spending_evolution\"") && first.contains("\"delta_version\""), first);
        }
    }

    @Test
    void theQualityGateStopsPublicationWithExit3() throws Exception {
        spark();
        String h = Fixtures.CLAIMS_HEADER;
        String good = "P01;1;1980;2;092;092;921000011;1;1;;;;2022-%s-02;;2022-%s-09;1110;10;;1;1;25.00;%s;0;;;;;;";
        List<String> lines = new ArrayList<>(List.of(h));
        for (int i = 0; i < 9; i++) {
            lines.add(String.format(good, "03", "03", "17.50"));
        }
        lines.add("P01;1;1980;2;092;092;921000011;1;1;;;;2022-02-30;;2022-03-09;1110;10;;1;1;25.00;17.50;0;;;;;;");
        write("claims/march.csv", lines.toArray(new String[0]));
        String wh = tmp.resolve("wh").toString();
        String out = nightly(3, input().toString(), wh);
        assertTrue(out.contains("claims/march.csv: 1 of 10 lines quarantined (10.0 % > 5.0 %)"), out);
        Warehouse w = new Warehouse(spark(), wh);
        assertTrue(w.exists("claims"), "what is valid is loaded");
        assertFalse(w.exists("spending_evolution"), "indicators are not published");
        assertEquals("QUALITY_GATE_FAILED", w.read("run_log").select("status").first().getString(0));
        // a higher threshold lets the next night publish what the failed night loaded
        nightly(0, input().toString(), wh, "--set", "quality.max-quarantine-rate=0.2");
        assertTrue(w.exists("spending_evolution"));

        // a fund's April ten times its March: a jump beyond 60 %
        write("claims/april.csv", h, String.format(good, "04", "04", "1750.00"));
        String jump = nightly(3, input().toString(), wh, "--set", "quality.max-quarantine-rate=0.2");
        assertTrue(jump.contains("fund 092: total of 2022-04 is +1011.1 % against 2022-03 (limit 60 %)"), jump);
        // an unknown nature code on more than 2 % of the lines
        write("claims/april.csv", h, String.format(good, "04", "04", "17.50").replace(";1110;", ";7777;")); // a code no reference lists
        String unknown = nightly(3, input().toString(), wh, "--set", "quality.max-quarantine-rate=0.2");
        assertTrue(unknown.contains("claims: 1 of 1 loaded lines have a nature code unknown"), unknown);
    }

    @Test
    void aSecondWriterIsRefusedAndAStaleLockTakenOver() throws Exception {
        spark();
        write("claims/march.csv", Fixtures.CLAIMS_HEADER,
                "P01;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;;2022-03-09;1110;10;;1;1;25.00;17.50;0;;;;;;");
        String wh = tmp.resolve("wh").toString();
        Path lock = Path.of(wh, "_lock", "cpam.lock");
        Files.createDirectories(lock.getParent());
        String host = java.net.InetAddress.getLocalHost().getHostName();
        // held by a live process (this one): refused, and the lock is left alone
        Files.writeString(lock, "run=other\ncommand=nightly\nhost=" + host + "\npid=" + ProcessHandle.current().pid()
                + "\nstarted=" + java.time.Instant.now() + "\n");
        assertEquals(1, Main.run(args("ingest", "--input", input().toString(), "--warehouse", wh)));
        assertTrue(Files.exists(lock));
        assertFalse(new Warehouse(spark(), wh).exists("claims"), "the refused run wrote nothing");
        assertTrue(new Warehouse(spark(), wh).read("run_log").first().<String>getAs("message").contains("is in use by run other"));
        // held by a process that is gone (killed with kill -9): stale, taken over
        Files.writeString(lock, "run=dead\ncommand=nightly\nhost=" + host + "\npid=" + deadPid()
                + "\nstarted=" + java.time.Instant.now() + "\n");
        assertEquals(0, Main.run(args("ingest", "--input", input().toString(), "--warehouse", wh)));
        assertFalse(Files.exists(lock), "released at the end of the run");
        assertNotNull(WarehouseLock.lockPath(new Warehouse(spark(), wh)));
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    /**
     * The same JVM options (Spark's --add-opens) and classpath as this test, a smaller heap, and
     * a temporary folder next to the log: a killed JVM never deletes Spark's scratch folders, so
     * they go where JUnit deletes them.
     */
    private static Process startNightly(String input, String warehouse, Path log) throws IOException {
        Path scratch = Files.createDirectories(log.resolveSibling("jvm-tmp"));
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Djava.io.tmpdir=" + scratch);
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk")
                    || a.startsWith("-Dio.netty")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx2g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args("nightly", "--input", input, "--warehouse", warehouse, "--set", "spark.master=local[2]")));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Starts a nightly in another JVM and kills it (SIGKILL) as soon as {@code marker} exists. */
    private void killWhen(String input, String warehouse, Path marker) throws Exception {
        Process p = startNightly(input, warehouse, tmp.resolve("killed-" + marker.getFileName() + ".log"));
        long deadline = System.currentTimeMillis() + 240_000;
        while (!Files.exists(marker) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "the run ended before it could be killed: " + Files.readString(tmp.resolve("killed-" + marker.getFileName() + ".log")));
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        p.waitFor();
    }

    @Test
    void aRunKilledDuringIngestOrComputeIsCompletedByTheNextOne() throws Exception {
        String input = generated().toString();
        String full = fullReference();

        // killed during ingest: the claims are written, the files not yet recorded
        String wh = tmp.resolve("wh").toString();
        killWhen(input, wh, Path.of(wh, "claims", "_delta_log", "00000000000000000000.json"));
        assertFalse(Files.exists(Path.of(wh, "ingested_files")), "killed before the files were recorded");
        // killed again, during compute: spending_evolution written, the rest not yet
        killWhen(input, wh, Path.of(wh, "spending_evolution", "_delta_log", "00000000000000000000.json"));
        assertFalse(Files.exists(Path.of(wh, "fraud_targets")), "killed before the last table");
        // the next run takes over the dead run's lock and completes the work
        nightly(0, input, wh);
        assertSameTables(new Warehouse(spark(), full), new Warehouse(spark(), wh));
        Warehouse w = new Warehouse(spark(), wh);
        assertEquals(w.read("claims").count(), new Warehouse(spark(), full).read("claims").count(), "no line loaded twice");
    }
}
