package fr.cpam.analytics.runlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * The JSON run report written next to {@code run_log}: {@code <warehouse>/run_reports/<run_id>.json}
 * with the inputs the run loaded (size, SHA-256, lines, amount), the outputs it wrote (rows and
 * the Delta version each table is at after the run, so the consistent set a run published can
 * be read back with time travel), counters, amounts, stage durations, configuration hash and
 * version. Jackson comes with Spark: no new dependency.
 */
public final class RunReport {

    public static final String FOLDER = "run_reports";

    private RunReport() {
    }

    public static String write(Warehouse warehouse, RunContext run, String status, int exitCode, BigDecimal amountLoaded,
                               String message, String configHash) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run_id", run.runId());
        report.put("command", run.command());
        report.put("status", status);
        report.put("exit_code", exitCode);
        report.put("message", message);
        report.put("started_at", run.startedAt().toString());
        report.put("ended_at", java.time.Instant.now().toString());
        report.put("version", RunLog.version());
        report.put("config_hash", configHash);
        report.put("warehouse", warehouse.root());
        report.put("counters", run.counters());
        report.put("amount_loaded", amountLoaded == null ? "0" : amountLoaded.toPlainString());
        report.put("stage_seconds", run.stageSeconds());
        if (run.publishedUntil() != null) {
            report.put("published_until", run.publishedUntil().toString());
        }
        List<Map<String, Object>> inputs = new ArrayList<>();
        if (warehouse.exists("ingested_files")) {
            // this run's files: one night's delivery, a few hundred rows at most
            for (Row r : warehouse.read("ingested_files").filter(col("run_id").equalTo(run.runId()))
                    .orderBy("dataset", "source_file").collectAsList()) {
                Map<String, Object> f = new LinkedHashMap<>();
                for (String c : List.of("dataset", "source_file", "size", "checksum", "status", "message", "lines_read",
                        "lines_loaded", "lines_quarantined")) {
                    f.put(c, r.isNullAt(r.fieldIndex(c)) ? null : r.get(r.fieldIndex(c)).toString());
                }
                f.put("amount_loaded", r.getDecimal(r.fieldIndex("amount_loaded")).toPlainString());
                inputs.add(f);
            }
        }
        report.put("inputs", inputs);
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : run.rowsWritten().entrySet()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("rows", e.getValue());
            if (warehouse.exists(e.getKey())) {
                o.put("delta_version", warehouse.lastCommit(e.getKey()).version());
            }
            outputs.put(e.getKey(), o);
        }
        report.put("outputs", outputs);
        Path path = new Path(warehouse.root() + "/" + FOLDER + "/" + run.runId() + ".json");
        // a private instance: no .crc side file next to the report on a local disk, without
        // touching the cached file system Delta writes through
        try (FileSystem fs = FileSystem.newInstance(path.toUri(), warehouse.spark().sparkContext().hadoopConfiguration())) {
            fs.setWriteChecksum(false);
            try (FSDataOutputStream out = fs.create(path, true)) {
                out.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(report));
            }
        }
        return path.toString();
    }
}
