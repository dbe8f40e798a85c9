package fr.cpam.analytics.support;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.sources.Ingest;
import fr.cpam.analytics.sources.IngestResult;
import fr.cpam.analytics.spark.Sparks;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * One local SparkSession for the whole suite (local[2], UI off, 2 shuffle partitions, UTC, a
 * code cache for all the suite's queries),
 * plus helpers to lay out input files and load them. Like Iceberg's test base: tests share the
 * session and stay small.
 */
public abstract class SparkTestBase {

    private static SparkSession spark;

    /** A fixed "today" so the date range check never depends on the day the suite runs. */
    public static final String TODAY = "2026-06-30";

    @TempDir
    protected Path tmp;

    /**
     * Queries run interpreted, with no Java to compile (Spark's own test switch): on fixtures of a
     * few hundred rows, compiling costs more than it saves (measured: SpendingEvolutionTest 141.7
     * and 177.6 s -> 120.3 and 129.5 s; mvn verify 19:21-22:48 -> 17:12). The job keeps code
     * generation, and the smoke runs of jobs/test.sh run it that way.
     */
    private static final Map<String, Object> INTERPRETED = Map.of("spark.sql.codegen.wholeStage", "false",
            "spark.sql.codegen.factoryMode", "NO_CODEGEN");

    public static synchronized SparkSession spark() {
        if (spark == null) {
            // the job's own settings (Delta, UTC, java.time rows, AQE ...), sized for the suite; Spark's
            // catalog folder under target/, not an empty spark-warehouse/ in the project
            JobConfig suite = JobConfig.defaults().with("spark.shuffle-partitions", 2)
                    .with("warehouse", "target/spark-warehouse");
            SparkSession.Builder builder = SparkSession.builder().master("local[2]").appName("cpam-analytics-tests");
            Sparks.settings(suite, false, false).forEach(builder::config);
            spark = builder.config("spark.default.parallelism", "2")
                    .config("spark.databricks.delta.snapshotPartitions", "2")
                    // Spark keeps 100 compiled classes by default: the suite's few thousand query
                    // shapes evicted each other and every command compiled its code again (measured:
                    // nightly --full on the contract samples in a warm session, 71-87 s -> 49 s); kept
                    // for what still compiles when queries run interpreted
                    .config("spark.sql.codegen.cache.maxEntries", "4000")
                    .config(INTERPRETED)
                    .getOrCreate();
            TestHooks.shareSession(spark);
        }
        // test classes run two at a time on JUnit's worker threads: the session must be the
        // thread's active one, or Spark falls back to default settings (java.sql dates, not java.time)
        SparkSession.setActiveSession(spark);
        return spark;
    }

    protected static JobConfig testConfig() {
        return JobConfig.defaults().with("ingest.today", TODAY);
    }

    protected Warehouse warehouse() {
        return new Warehouse(spark(), tmp.resolve("warehouse").toString());
    }

    protected Path input() {
        return tmp.resolve("input");
    }

    protected IngestResult ingest() {
        return Ingest.builder(warehouse()).input(input().toString()).config(testConfig())
                .run(new RunContext("ingest")).build().execute();
    }

    /**
     * Starts this test from another test's input root and warehouse, copied: cheaper than loading
     * the same fixture again. Modification times are kept, since the ingest knows a file by its
     * path, size and modification time; Delta tables hold relative paths only, so a copied
     * folder is the same table.
     */
    protected void startFrom(Path input, Warehouse warehouse) {
        copyTree(input, input());
        copyTree(Path.of(java.net.URI.create(warehouse.root())), tmp.resolve("warehouse"));
    }

    private static void copyTree(Path from, Path to) {
        copyTree(from, to, f -> true);
    }

    /** Copies the files under {@code from} that {@code which} accepts to the same places under {@code to}, times kept. */
    protected static void copyTree(Path from, Path to, Predicate<Path> which) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).filter(which).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a ';' file under the input root: header and lines joined by newlines. */
    protected Path write(String relative, String... lines) {
        Path p = input().resolve(relative);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    protected Path writeGzip(String relative, String... lines) {
        Path p = input().resolve(relative);
        try {
            Files.createDirectories(p.getParent());
            try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(p))) {
                os.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    protected Dataset<Row> table(String name) {
        return warehouse().read(name);
    }

    /** A query over the test's tables by name, in a session of its own ({@link #viewsSession}). */
    protected List<Row> sql(String query) {
        SparkSession views = viewsSession();
        new Warehouse(views, warehouse().root()).registerViews();
        return views.sql(query).collectAsList();
    }

    /**
     * A session for temporary views: it shares the suite's Spark context, settings and cache, and
     * has views of its own, so two test classes running at once never resolve a table name to
     * each other's warehouse.
     */
    public static SparkSession viewsSession() {
        SparkSession views = spark().newSession();
        SparkSession.setActiveSession(views);
        return views;
    }

    protected long count(String query) {
        return sql(query).get(0).getLong(0);
    }
}
