package fr.cpam.analytics.runlog;

import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Appends one row per run to the {@code run_log} table (OUTPUTS.md), whatever its outcome. */
public final class RunLog {

    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("command", DataTypes.StringType, false)
            .add("started_at", DataTypes.TimestampType, false)
            .add("ended_at", DataTypes.TimestampType, false)
            .add("status", DataTypes.StringType, false)
            .add("exit_code", DataTypes.IntegerType, false)
            .add("files_seen", DataTypes.LongType, false)
            .add("files_loaded", DataTypes.LongType, false)
            .add("files_skipped", DataTypes.LongType, false)
            .add("files_rejected", DataTypes.LongType, false)
            .add("lines_read", DataTypes.LongType, false)
            .add("lines_loaded", DataTypes.LongType, false)
            .add("lines_quarantined", DataTypes.LongType, false)
            .add("amount_loaded", DataTypes.createDecimalType(22, 2), false)
            .add("stage_seconds", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
            .add("rows_written", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
            .add("message", DataTypes.StringType, true)
            .add("config_hash", DataTypes.StringType, true)
            .add("version", DataTypes.StringType, true)
            // nightly: files ingested up to this instant are reflected in the indicators
            .add("published_until", DataTypes.TimestampType, true);

    private RunLog() {
    }

    public static void append(Warehouse warehouse, RunContext run, String status, int exitCode,
                              BigDecimal amountLoaded, String message, String configHash) {
        Map<String, Long> c = run.counters();
        Row row = RowFactory.create(run.runId(), run.command(), run.startedAt(), Instant.now(), status, exitCode,
                c.getOrDefault("files_seen", 0L), c.getOrDefault("files_loaded", 0L),
                c.getOrDefault("files_skipped", 0L), c.getOrDefault("files_rejected", 0L),
                c.getOrDefault("lines_read", 0L), c.getOrDefault("lines_loaded", 0L),
                c.getOrDefault("lines_quarantined", 0L), amountLoaded == null ? BigDecimal.ZERO : amountLoaded,
                scala.jdk.javaapi.CollectionConverters.asScala(run.stageSeconds()),
                scala.jdk.javaapi.CollectionConverters.asScala(run.rowsWritten()),
                message, configHash, version(), run.publishedUntil());
        warehouse.spark().createDataFrame(List.of(row), SCHEMA)
                .write().format("delta").mode(SaveMode.Append).option("mergeSchema", "true").save(warehouse.path("run_log"));
    }

    public static String version() {
        String v = RunLog.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
