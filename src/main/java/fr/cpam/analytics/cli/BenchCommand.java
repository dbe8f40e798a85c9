package fr.cpam.analytics.cli;

import fr.cpam.analytics.bench.Bench;
import fr.cpam.analytics.bench.Measure;
import fr.cpam.analytics.bench.Benchmarks;
import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.spark.Sparks;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"The performance benchmark: generates (or reuses) claims over 36 months, then measures ingest,",
                "compute (every family), a nightly run with one new month, and the same ingest and spending",
                "aggregation in DuckDB on the same files; prints the table and writes docs/BENCHMARKS.md.",
                "Run it through jobs/run.sh bench, which puts DuckDB on the classpath."})
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "200000",
            description = "Claim lines of the data set, for a quick look (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--sizes", paramLabel = "N[,N]", split = ",",
            description = "Several sizes in one run (overrides --rows), e.g. 1000000,10000000,50000000.")
    List<Long> sizes;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "bench-data",
            description = "Where the generated data (kept and reused) and the warehouses go (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--doc", paramLabel = "DIR", defaultValue = "docs",
            description = "Where BENCHMARKS.md, benchmarks.csv and benchmarks.svg are written (default: ${DEFAULT-VALUE}).")
    Path doc;

    @Option(names = "--no-duckdb", description = "Skip the DuckDB baseline.")
    boolean noDuckdb;

    @Option(names = "--no-nightly", description = "Skip the nightly measure (it first builds a 35-month warehouse, "
            + "which about doubles the run of a size).")
    boolean noNightly;

    @Option(names = "--doc-only", description = "Measure nothing: rewrite BENCHMARKS.md from benchmarks.csv and "
            + "benchmarks-profile.md (after editing the profile).")
    boolean docOnly;

    @Override
    public Integer call() throws Exception {
        // the session's own catalog folder goes with the benchmark's warehouses
        JobConfig config = JobConfig.load(configOptions.confFile, configOptions.overrides)
                .with("warehouse", dir.toString());
        SparkSession spark = JobCommand.sharedSession != null ? JobCommand.sharedSession : Sparks.session(config);
        SparkSession previous = JobCommand.sharedSession;
        // the measured commands run in this session: its start is not part of any step
        JobCommand.sharedSession = spark;
        try {
            List<Long> chosen = sizes == null || sizes.isEmpty() ? List.of(rows) : sizes;
            List<String> passed = new java.util.ArrayList<>();
            if (configOptions.confFile != null) {
                passed.addAll(List.of("--conf", configOptions.confFile.toString()));
            }
            configOptions.overrides.forEach(o -> passed.addAll(List.of("--set", o)));
            String[] settings = passed.toArray(new String[0]);
            java.io.PrintWriter out = spec.commandLine().getOut();
            List<Measure> measured = List.of();
            Bench.Failed failed = null;
            if (!docOnly) {
                try {
                    measured = Bench.builder(dir, spark).sizes(chosen).duckdb(!noDuckdb).nightly(!noNightly)
                            .command(args -> Main.run(out, concat(args, settings))).build().execute();
                } catch (Bench.Failed f) {
                    // an hour's run that fails at its last step still publishes the steps it finished
                    measured = f.measured();
                    failed = f;
                }
            }
            if (docOnly || !measured.isEmpty()) {
                Benchmarks.Summary summary = Benchmarks.publish(doc, measured, spark);
                out.println(summary.table());
                out.println("written: " + summary.markdown() + (failed == null ? "" : " (the steps measured before the failure)"));
            }
            if (failed != null) {
                throw failed;
            }
            return ExitCodes.OK;
        } finally {
            JobCommand.sharedSession = previous;
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
