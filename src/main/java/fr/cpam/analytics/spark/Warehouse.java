package fr.cpam.analytics.spark;

import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The warehouse folder: one Delta table per sub-folder, named like the folder. Paths, not a
 * metastore, so the same warehouse is readable from any Delta reader and any cluster.
 */
public final class Warehouse {

    private final SparkSession spark;
    private final String root;

    public Warehouse(SparkSession spark, String root) {
        this.spark = spark;
        this.root = qualify(spark, root.endsWith("/") ? root.substring(0, root.length() - 1) : root);
    }

    /** A relative folder becomes an absolute URI: Delta treats a bare relative name as a table name. */
    private static String qualify(SparkSession spark, String root) {
        try {
            Path p = new Path(root);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("bad warehouse location " + root, e);
        }
    }

    public SparkSession spark() {
        return spark;
    }

    public String root() {
        return root;
    }

    public String path(String table) {
        return root + "/" + table;
    }

    public boolean exists(String table) {
        return DeltaTable.isDeltaTable(spark, path(table));
    }

    /** Deletes a table the job can rebuild (derived state), if it exists. */
    public void drop(String table) {
        try {
            Path p = new Path(path(table));
            p.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path(table), e);
        }
    }

    /**
     * A table's last Delta commit: its version, the metadata the job recorded with it
     * ({@code key=value} entries separated by {@code ;}, see {@link #metadata}), and Delta's
     * operation metrics. One read of the log's last entry serves every question asked of it.
     */
    public record Commit(long version, Map<String, String> metadata, Map<String, String> metrics) {

        /** Rows the commit wrote, from its operation metrics. */
        public long writtenRows() {
            String n = metrics.get("numOutputRows");
            if (n == null) {
                throw new IllegalStateException("no numOutputRows in commit " + version + ": " + metrics);
            }
            return Long.parseLong(n);
        }
    }

    public Commit lastCommit(String table) {
        Row last = DeltaTable.forPath(spark, path(table)).history(1).select("version", "userMetadata", "operationMetrics").first();
        Map<String, String> metadata = new LinkedHashMap<>();
        if (!last.isNullAt(1)) {
            for (String entry : last.getString(1).split(";")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    metadata.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
        }
        Map<String, String> metrics = last.isNullAt(2) ? Map.of() : Map.copyOf(last.getJavaMap(2));
        return new Commit(last.getLong(0), Collections.unmodifiableMap(metadata), metrics);
    }

    /**
     * Commit metadata in the form {@link #lastCommit} reads back (keys and values without
     * {@code ;} or a key's {@code =}), in the map's order: a fixed order keeps the text the same
     * from run to run, and readable by the versions that matched its beginning.
     */
    public static String metadata(Map<String, String> entries) {
        return entries.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    /** Rows the table's last commit wrote, from its Delta operation metrics. */
    public long writtenRows(String table) {
        return lastCommit(table).writtenRows();
    }

    /** The table as it was at this version (Delta's time travel). */
    public Dataset<Row> readAt(String table, long version) {
        return spark.read().format("delta").option("versionAsOf", version).load(path(table));
    }

    public Dataset<Row> read(String table) {
        return spark.read().format("delta").load(path(table));
    }

    public Optional<Dataset<Row>> readIfExists(String table) {
        return exists(table) ? Optional.of(read(table)) : Optional.empty();
    }

    /** Delta tables present under the root (the job's own and any other folder holding one). */
    public List<String> existingTables() {
        List<String> names = new ArrayList<>();
        try {
            Path rootPath = new Path(root);
            FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(rootPath)) {
                return names;
            }
            for (var status : fs.listStatus(rootPath)) {
                if (status.isDirectory() && fs.exists(new Path(status.getPath(), "_delta_log"))) {
                    names.add(status.getPath().getName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list warehouse " + root, e);
        }
        names.sort(String::compareTo);
        return names;
    }

    /** Registers every table as a temporary view under its own name, for SQL by name. */
    public List<String> registerViews() {
        List<String> names = existingTables();
        for (String name : names) {
            read(name).createOrReplaceTempView(name);
        }
        return names;
    }
}
