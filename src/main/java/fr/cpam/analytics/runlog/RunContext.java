package fr.cpam.analytics.runlog;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One run of the job: its id, its stages with their durations (each also named as the Spark
 * job description, so the Spark UI reads like the log), and its counters for {@code run_log}.
 */
public final class RunContext {

    private static final Logger LOG = LoggerFactory.getLogger("fr.cpam.analytics.stage");
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final String runId;
    private final String command;
    private final Instant startedAt = Instant.now();
    // synchronised: stages may run on several threads at once (the fraud signals)
    private final Map<String, Double> stageSeconds = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Long> counters = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Long> rowsWritten = Collections.synchronizedMap(new LinkedHashMap<>());
    private SparkSession spark;
    private Instant publishedUntil;

    public RunContext(String command) {
        this.command = command;
        this.runId = ID.format(startedAt) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    public void attach(SparkSession spark) {
        this.spark = spark;
    }

    /** For nightly: the newest ingested file this run published indicators for (null otherwise). */
    public void publishedUntil(Instant t) {
        this.publishedUntil = t;
    }

    public Instant publishedUntil() {
        return publishedUntil;
    }

    public String runId() {
        return runId;
    }

    public String command() {
        return command;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Map<String, Double> stageSeconds() {
        return stageSeconds;
    }

    public Map<String, Long> counters() {
        return counters;
    }

    /** Rows an output table received in this run. */
    public void wrote(String table, long rows) {
        rowsWritten.merge(table, rows, Long::sum);
    }

    public Map<String, Long> rowsWritten() {
        return rowsWritten;
    }

    public void count(String name, long value) {
        counters.merge(name, value, Long::sum);
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /** Runs one stage: Spark job description set, duration recorded, one INFO line at the end. */
    public <T> T stage(String name, Supplier<T> body) {
        if (spark != null) {
            spark.sparkContext().setJobDescription(command + ": " + name);
        }
        long t0 = System.nanoTime();
        try {
            return body.get();
        } finally {
            double seconds = (System.nanoTime() - t0) / 1e9;
            stageSeconds.merge(name, seconds, Double::sum);
            LOG.info("stage {} done in {} s", name, String.format("%.1f", seconds));
            if (spark != null) {
                spark.sparkContext().setJobDescription(null);
            }
        }
    }

    public void stage(String name, Runnable body) {
        stage(name, () -> {
            body.run();
            return null;
        });
    }
}
