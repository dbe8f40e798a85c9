package fr.cpam.analytics.bench;

import fr.cpam.analytics.fraud.FraudSignals;
import fr.cpam.analytics.generate.Generator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;

/**
 * The benchmark: for each size, generated claims over 36 months (one fund, 2020-2022, made once
 * and reused), then each step as a whole run of the job's own command on this machine, in one
 * Spark session started beforehand (the session start is not counted): ingest of the 36
 * months, compute of every family, a nightly run adding the 36th month on top of 35; and the
 * same ingest and spending aggregation in DuckDB on the same files, in the same process.
 *
 * <pre>{@code
 * List<Measure> m = Bench.builder(dir, spark).sizes(List.of(1_000_000L)).command(args -> Main.run(args)).build().execute();
 * }</pre>
 */
public final class Bench {

    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
    /** Claim lines a generated beneficiary has in a year, on average (measured on the generator). */
    static final double LINES_PER_BENEFICIARY_YEAR = 71;
    static final int FROM = 2020;
    static final int TO = 2022;
    static final YearMonth LAST_MONTH = YearMonth.of(2022, 12);
    /**
     * Settings of the benchmark's nights. Generated data of a few thousand lines a month swings
     * beyond the quality gate's 60 % from one month to the next, and a night stopped by the gate
     * publishes nothing: the benchmark measures speed, so its gate never stops there (the check
     * still runs). Settings passed to {@code bench} come after these and win.
     */
    static final List<String> NIGHT_SETTINGS = List.of("--set", "quality.max-monthly-jump-pct=1e9");

    private final Path dir;
    private final SparkSession spark;
    private final List<Long> sizes;
    private final Function<String[], Integer> command;
    private final boolean duckdb;
    private final boolean nightly;
    private final boolean warmUp;

    private Bench(Builder b) {
        this.dir = b.dir;
        this.spark = b.spark;
        this.sizes = b.sizes;
        this.command = b.command;
        this.duckdb = b.duckdb;
        this.nightly = b.nightly;
        this.warmUp = b.warmUp;
    }

    /**
     * A step failed (a command's exit code, DuckDB's setup, the disk ...). Carries what was
     * measured before it, so that a long run keeps its finished steps.
     */
    public static final class Failed extends Exception {
        private final transient List<Measure> measured;

        Failed(Exception cause, List<Measure> measured) {
            super(cause.getMessage(), cause);
            this.measured = List.copyOf(measured);
        }

        public List<Measure> measured() {
            return measured;
        }
    }

    public static Builder builder(Path dir, SparkSession spark) {
        return new Builder(dir, spark);
    }

    public static final class Builder {
        private final Path dir;
        private final SparkSession spark;
        private List<Long> sizes = List.of(1_000_000L);
        private Function<String[], Integer> command;
        private boolean duckdb = true;
        private boolean nightly = true;
        private boolean warmUp = true;

        private Builder(Path dir, SparkSession spark) {
            this.dir = dir;
            this.spark = spark;
        }

        /** Target claim lines of each data set (the generator lands within a few percent). */
        public Builder sizes(List<Long> sizes) {
            this.sizes = sizes;
            return this;
        }

        /** How a step runs a command of the job (its arguments; returns the exit code). */
        public Builder command(Function<String[], Integer> command) {
            this.command = command;
            return this;
        }

        public Builder duckdb(boolean duckdb) {
            this.duckdb = duckdb;
            return this;
        }

        /**
         * Whether the nightly run is measured: it needs a warehouse of the first 35 months built
         * beforehand (an unmeasured ingest and compute), which about doubles a size's run.
         */
        public Builder nightly(boolean nightly) {
            this.nightly = nightly;
            return this;
        }

        /**
         * Whether a small ingest and compute run first, unmeasured (default): a session's first
         * command pays for class loading and JIT compilation. Off only where the session is
         * already warm and the figures do not matter (tests).
         */
        public Builder warmUp(boolean warmUp) {
            this.warmUp = warmUp;
            return this;
        }

        public Bench build() {
            return new Bench(this);
        }
    }

    /** Every size's measures, in the order taken; on a failure, those taken before it ({@link Failed#measured}). */
    public List<Measure> execute() throws Failed {
        List<Measure> out = new ArrayList<>();
        try {
            if (warmUp) {
                warmUp();
            }
            for (long size : sizes) {
                one(size, out);
            }
        } catch (Exception e) {
            throw new Failed(e, out);
        }
        return out;
    }

    private void one(long target, List<Measure> m) throws Exception {
        Path data = dir.resolve("data-" + target);
        long lines = generate(data, target);
        Path run = dir.resolve("run-" + target);
        delete(run);
        Path all = run.resolve("input-36");
        Path first = run.resolve("input-35");
        link(data, all, f -> true);

        String wh = run.resolve("warehouse").toString();
        m.add(step(lines, "spark", "ingest (CSV to typed Delta, 36 months)", () -> run("ingest", "--input", all.toString(), "--warehouse", wh),
                () -> lastRun(wh, "lines_read")));
        m.add(step(lines, "spark", "compute --full (all families, 36 months)", () -> run("compute", "--warehouse", wh, "--full"),
                () -> lines));
        for (Map.Entry<String, Double> family : familySeconds(wh).entrySet()) {
            m.add(new Measure(lines, "spark", "  compute: " + family.getKey(), family.getValue(), lines, -1));
        }
        if (nightly) {
            link(data, first, f -> !Generator.isMonthFile(f, LAST_MONTH));
            String base = run.resolve("warehouse-nightly").toString();
            int built = night(first, base);
            if (built != 0) {
                throw new IllegalStateException("nightly on the first 35 months (the night's warehouse) ended with exit " + built);
            }
            link(data, first, f -> Generator.isMonthFile(f, LAST_MONTH));
            m.add(step(lines, "spark", "nightly: one new month on top of 35", () -> night(first, base),
                    () -> lastRun(base, "lines_read")));
        }

        if (duckdb) {
            Path work = run.resolve("duckdb");
            Files.createDirectories(work);
            try (DuckDbBaseline db = new DuckDbBaseline(work)) {
                LOG.info("bench: DuckDB's memory limit {}", db.memoryLimit());
                Path parquet = work.resolve("claims.parquet");
                String glob = all.resolve("claims").toAbsolutePath() + "/*/*.csv";
                long[] rows = new long[1];
                m.add(measure(lines, "duckdb", "ingest (CSV to typed Parquet, 36 months)", () -> rows[0] = db.ingest(glob, parquet), () -> rows[0]));
                m.add(measure(lines, "duckdb", "spending evolution (all periods)", () -> db.spending(parquet, work.resolve("spending.parquet")),
                        () -> lines));
            } catch (SQLException e) {
                // the baseline failing must not throw away the size's Spark measures: they are kept, without a ratio
                LOG.error("bench {} lines: DuckDB failed, no DuckDB figure for this size: {}", lines, e.getMessage().lines().findFirst().orElse(""));
            }
            // the same aggregation alone in Spark, for a like-for-like comparison
            m.add(step(lines, "spark", "spending evolution (all periods)", () -> run("compute", "--warehouse", wh, "--only", "spending"),
                    () -> lines));
        }
    }

    private int night(Path input, String warehouse) {
        List<String> args = new ArrayList<>(List.of("nightly", "--input", input.toString(), "--warehouse", warehouse));
        args.addAll(NIGHT_SETTINGS);
        return run(args.toArray(String[]::new));
    }

    /**
     * One small ingest and compute, not measured: the first command of a JVM pays for class
     * loading, JIT compilation and Delta's first log reads (measured: 3 million lines ingested
     * in 64 s after a 1 million line run that took 92 s as the session's first command).
     */
    private void warmUp() throws IOException {
        Path data = dir.resolve("data-warmup");
        generate(data, 20_000);
        Path wh = dir.resolve("run-warmup");
        delete(wh);
        Path in = wh.resolve("input");
        link(data, in, f -> true);
        run("ingest", "--input", in.toString(), "--warehouse", wh.resolve("warehouse").toString());
        run("compute", "--warehouse", wh.resolve("warehouse").toString());
        delete(wh);
    }

    private interface Work {
        Object run() throws Exception;
    }

    private Measure step(long lines, String engine, String name, IntSupplier work, java.util.function.LongSupplier rows) throws Exception {
        return measure(lines, engine, name, () -> {
            int exit = work.getAsInt();
            if (exit != 0) {
                throw new IllegalStateException(name + " ended with exit " + exit);
            }
            return exit;
        }, rows);
    }

    private static Measure measure(long lines, String engine, String name, Work work, java.util.function.LongSupplier rows) throws Exception {
        System.gc();
        PeakMemory.reset();
        long t0 = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peak = PeakMemory.peakMiB();
        Measure m = new Measure(lines, engine, name, seconds, rows.getAsLong(), peak);
        LOG.info("bench {} lines, {} {}: {} s, {} rows, peak {} MiB", lines, engine, name, String.format("%.1f", seconds), m.rows(), peak);
        return m;
    }

    private int run(String... args) {
        return command.apply(args);
    }

    /** A counter of the warehouse's last run (run_log). */
    private long lastRun(String wh, String column) {
        Row r = spark.read().format("delta").load(wh + "/run_log").orderBy(col("started_at").desc()).select(column).first();
        return r.isNullAt(0) ? 0 : r.getLong(0);
    }

    /** Seconds of the last compute run per family, from its stage timings in run_log. */
    private Map<String, Double> familySeconds(String wh) {
        Row r = spark.read().format("delta").load(wh + "/run_log").filter(col("command").equalTo("compute"))
                .orderBy(col("started_at").desc()).select("stage_seconds").first();
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        Map<String, Double> stages = scala.jdk.javaapi.CollectionConverters.asJava(r.<String, Double>getMap(0));
        // the signals' own stages overlap when computed at once: their whole stage times them
        boolean signalsTimed = stages.containsKey(FraudSignals.STAGE);
        for (Map.Entry<String, Double> e : stages.entrySet()) {
            if (signalsTimed && e.getKey().matches("fraud: [A-Z_]+")) {
                continue;
            }
            String family = e.getKey().replaceAll("^fraud: .*", FraudSignals.STAGE).replaceAll("^covid.*", "covid")
                    .replaceAll(":.*", "");
            out.merge(family, e.getValue(), Double::sum);
        }
        return out;
    }

    /** Generates the data set once (a marker records its claim lines); returns the claim lines. */
    private long generate(Path data, long target) throws IOException {
        Path marker = data.resolve("claim_lines.txt");
        if (Files.exists(marker)) {
            return Long.parseLong(Files.readString(marker).trim());
        }
        delete(data);
        int beneficiaries = (int) Math.max(50, Math.round(target / (LINES_PER_BENEFICIARY_YEAR * (TO - FROM + 1))));
        Generator.Result r = Generator.builder().out(data).orgs(List.of("092")).from(FROM).to(TO).beneficiaries(beneficiaries)
                .seed(target).build().execute();
        Files.writeString(marker, String.valueOf(r.claimLines()));
        LOG.info("bench: generated {} claim lines ({} beneficiaries) in {} s", r.claimLines(), beneficiaries, r.seconds());
        return r.claimLines();
    }

    /** Hard links of the input files (no copy of the data), ground truth left out. */
    private static void link(Path from, Path to, java.util.function.Predicate<Path> which) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = from.relativize(f);
                if (rel.startsWith("ground_truth") || rel.toString().equals("claim_lines.txt") || !which.test(f)) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                Files.createDirectories(target.getParent());
                if (!Files.exists(target)) {
                    try {
                        Files.createLink(target, f);
                    } catch (UnsupportedOperationException | IOException e) {
                        Files.copy(f, target);
                    }
                }
            }
        }
    }

    static void delete(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }
}
