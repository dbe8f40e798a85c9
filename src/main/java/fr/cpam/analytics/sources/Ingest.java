package fr.cpam.analytics.sources;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.spark.Warehouse;
import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.*;

/**
 * Loads new or changed input files into the silver tables (bronze -> silver in one pass).
 *
 * <p>Per dataset: a light check of the files' headers; then one read of the files to load
 * (one task per file) whose valid lines feed the silver table's write directly, replacing the
 * rows previously loaded from the same files in one Delta transaction ({@code replaceWhere
 * source_file IN (...)}), while the tasks set the bad lines aside in side files and report each
 * file's statistics; the bad lines then go to {@code quarantine} the same way; the counts and
 * amounts are read back from the tables and reconciled with what was read, file by file; last,
 * the files are recorded in {@code ingested_files}, which is what makes the next run skip them.
 * A run killed before that record simply loads the same files again, to the same result.
 */
public final class Ingest {

    private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

    public static final String QUARANTINE = "quarantine";
    public static final String CATALOG = "ingested_files";
    /** Where parse tasks leave their quarantined lines until the driver commits them; emptied by every run. */
    static final String STAGING = "_staging";

    static final StructType QUARANTINE_SCHEMA = new StructType()
            .add("dataset", DataTypes.StringType, false)
            .add("source_file", DataTypes.StringType, false)
            .add("line_number", DataTypes.LongType, true)
            .add("raw_line", DataTypes.StringType, true)
            .add("reasons", DataTypes.StringType, false)
            .add("run_id", DataTypes.StringType, false);

    static final StructType CATALOG_SCHEMA = new StructType()
            .add("dataset", DataTypes.StringType, false)
            .add("source_file", DataTypes.StringType, false)
            .add("size", DataTypes.LongType, false)
            .add("modified_at", DataTypes.TimestampType, false)
            .add("checksum", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, true)
            .add("lines_read", DataTypes.LongType, false)
            .add("lines_blank", DataTypes.LongType, false)
            .add("lines_loaded", DataTypes.LongType, false)
            .add("lines_quarantined", DataTypes.LongType, false)
            .add("amount_loaded", DataTypes.createDecimalType(22, 2), false)
            .add("run_id", DataTypes.StringType, false)
            .add("ingested_at", DataTypes.TimestampType, false)
            // the payment months the file's rows fall in: what nightly recomputes after loading it
            .add("pay_months", DataTypes.createArrayType(DataTypes.StringType), true);

    /**
     * Columns Delta keeps min/max statistics for: those the job and analysts filter on whose
     * values a file's lines share (file, run, fund, dates), so that a filter can skip files.
     * Not the beneficiary, nature or poste: every file holds nearly all of them, so their min
     * and max never skip one, and keeping them cost a copy of each value on every line written.
     */
    private static final Map<SourceDataset, String> STATS_COLUMNS = Map.of(
            SourceDataset.CLAIMS, "source_file,run_id,ORG_AFF_BEN,FLX_DIS_DTD,EXE_SOI_DTD,PRE_PRE_DTD",
            SourceDataset.OPENDAMIR, "source_file,run_id,ORG_CLE_REG");

    /** Reconciliation failure: what was read does not equal what is in the tables. */
    public static final class ReconciliationException extends RuntimeException {
        public ReconciliationException(String message) {
            super(message);
        }
    }

    private final Warehouse warehouse;
    private final SparkSession spark;
    private final String inputRoot;
    private final JobConfig config;
    private final RunContext run;

    private Ingest(Builder b) {
        this.warehouse = Objects.requireNonNull(b.warehouse, "warehouse");
        this.spark = warehouse.spark();
        this.inputRoot = Objects.requireNonNull(b.input, "input").replaceAll("/+$", "");
        this.config = b.config == null ? JobConfig.defaults() : b.config;
        this.run = b.run == null ? new RunContext("ingest") : b.run;
    }

    public static Builder builder(Warehouse warehouse) {
        return new Builder(warehouse);
    }

    /** Builder: {@code Ingest.builder(warehouse).input(dir).config(c).run(ctx).build().execute()}. */
    public static final class Builder {
        private final Warehouse warehouse;
        private String input;
        private JobConfig config;
        private RunContext run;

        private Builder(Warehouse warehouse) {
            this.warehouse = warehouse;
        }

        public Builder input(String input) {
            this.input = input;
            return this;
        }

        public Builder config(JobConfig config) {
            this.config = config;
            return this;
        }

        public Builder run(RunContext run) {
            this.run = run;
            return this;
        }

        public Ingest build() {
            return new Ingest(this);
        }
    }

    public IngestResult execute() {
        run.attach(spark);
        Map<String, Row> catalog = run.stage("catalog", this::readCatalog);
        int seen = 0;
        int skipped = 0;
        int loaded = 0;
        long read = 0;
        long ok = 0;
        long bad = 0;
        BigDecimal amount = BigDecimal.ZERO;
        List<FileStats> rejected = new ArrayList<>();
        TreeSet<String> months = new TreeSet<>();
        List<Row> catalogRows = new ArrayList<>();
        for (SourceDataset dataset : SourceDataset.values()) {
            List<InputFile> files = listFiles(dataset);
            seen += files.size();
            List<InputFile> todo = new ArrayList<>();
            for (InputFile f : files) {
                Row known = catalog.get(dataset.table() + "|" + f.relativePath());
                if (known != null && "LOADED".equals(known.getAs("status"))
                        && known.<Long>getAs("size") == f.size()
                        && ((Instant) known.getAs("modified_at")).toEpochMilli() == f.modifiedMillis()) {
                    skipped++;
                } else {
                    todo.add(f);
                }
            }
            if (todo.isEmpty()) {
                continue;
            }
            boolean replacing = todo.stream().anyMatch(f -> catalog.containsKey(dataset.table() + "|" + f.relativePath()));
            for (InputFile f : todo) {
                // a replaced file's rows leave the months they were in: those change too
                Row known = catalog.get(dataset.table() + "|" + f.relativePath());
                if (known != null && known.schema().getFieldIndex("pay_months").isDefined() && !known.isNullAt(known.fieldIndex("pay_months"))) {
                    months.addAll(known.<String>getList(known.fieldIndex("pay_months")));
                }
            }
            DatasetOutcome o = run.stage("ingest " + dataset.table(), () -> load(dataset, todo, replacing));
            loaded += o.loadedFiles;
            read += o.linesRead;
            ok += o.linesLoaded;
            bad += o.linesQuarantined;
            amount = amount.add(o.amount);
            rejected.addAll(o.rejected);
            months.addAll(o.months);
            catalogRows.addAll(o.catalogRows);
            LOG.info("ingest {}: {} file(s) loaded, {} rejected; {} lines read, {} loaded, {} quarantined, {} EUR",
                    dataset.table(), o.loadedFiles, o.rejected.size(), o.linesRead, o.linesLoaded,
                    o.linesQuarantined, o.amount.toPlainString());
        }
        if (!catalogRows.isEmpty()) {
            // the quarantine is an output table even when no line was ever rejected: empty, not missing
            createIfMissing(QUARANTINE_SCHEMA, warehouse.path(QUARANTINE), null, null);
            // last: recording the files is what makes the next run skip them
            run.stage("record files", () -> recordFiles(catalogRows));
        }
        removeStaging();
        run.count("files_seen", seen);
        run.count("files_loaded", loaded);
        run.count("files_skipped", skipped);
        run.count("files_rejected", rejected.size());
        run.count("lines_read", read);
        run.count("lines_loaded", ok);
        run.count("lines_quarantined", bad);
        return new IngestResult(seen, loaded, skipped, rejected, read, ok, bad, amount, new ArrayList<>(months));
    }

    private record DatasetOutcome(int loadedFiles, List<FileStats> rejected, long linesRead, long linesLoaded,
                                  long linesQuarantined, BigDecimal amount, List<String> months, List<Row> catalogRows) {
    }

    /** What the tables hold for this run's files, read back after writing. */
    private record Reconciled(Map<String, long[]> counts, List<String> months, Map<String, List<String>> fileMonths) {
    }

    private DatasetOutcome load(SourceDataset dataset, List<InputFile> files, boolean replacing) {
        LocalDate today = config.getString("ingest.today").isBlank()
                ? LocalDate.now() : LocalDate.parse(config.getString("ingest.today"));
        LineTyper typer = new LineTyper(dataset, LocalDate.parse(config.getString("ingest.date-min")),
                today.plusYears(config.getInt("ingest.max-future-years")));
        SerializableHadoopConf hadoopConf = new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration());
        String charset = config.getString("input.encoding");
        String t = dataset.table();
        String staging = warehouse.path(STAGING) + "/" + run.runId() + "/" + t;
        try {
            Map<String, FileStats> rejected = new LinkedHashMap<>();
            for (FileStats r : run.stage(t + ": check headers", () -> checkHeaders(files,
                    new FileParser(typer, hadoopConf, charset, null, staging)))) {
                rejected.put(r.sourceFile(), r);
            }
            // one read of the files: the valid lines go straight into the silver table's write, the
            // bad ones to the tasks' side files, the statistics to the accumulator. A file found
            // corrupt part-way fails the write before its commit; it is set aside and the write
            // runs again without it, so nothing of it is ever published.
            List<FileStats> parsed = List.of();
            List<String> accepted = List.of();
            for (int attempt = 1; ; attempt++) {
                List<InputFile> todo = files.stream().filter(f -> !rejected.containsKey(f.relativePath())).toList();
                accepted = todo.stream().map(InputFile::relativePath).toList();
                if (todo.isEmpty()) {
                    break;
                }
                CollectionAccumulator<FileStats> acc = spark.sparkContext().collectionAccumulator(t + " file statistics");
                FileParser parser = new FileParser(typer, hadoopConf, charset, acc, staging + "/attempt-" + attempt);
                List<String> names = accepted;
                try {
                    run.stage(t + ": parse and write silver", () -> writeSilver(dataset, parse(dataset, parser, todo), names));
                    parsed = new ArrayList<>(acc.value());
                    break;
                } catch (Exception e) {
                    FileRejectedException r = FileRejectedException.in(e);
                    if (r == null || rejected.containsKey(r.sourceFile())) {
                        throw e;
                    }
                    rejected.put(r.sourceFile(), FileStats.rejected(r.sourceFile(), r.reason()));
                }
            }
            for (FileStats r : rejected.values()) {
                LOG.error("file rejected whole: {} ({}): {}", r.sourceFile(), t, r.message());
            }
            List<FileStats> stats = new ArrayList<>(parsed);
            stats.addAll(rejected.values());
            // quarantine is rewritten only when it changes: new bad lines, or files replacing earlier loads
            boolean quarantine = !accepted.isEmpty() && (replacing || parsed.stream().anyMatch(s -> s.linesQuarantined() > 0));
            if (quarantine) {
                List<String> names = accepted;
                List<FileStats> withBadLines = parsed;
                run.stage(t + ": write quarantine", () -> writeQuarantine(dataset, quarantined(withBadLines), names));
            }
            List<String> loaded = accepted;
            Reconciled rec = run.stage(t + ": reconcile", () -> reconcile(dataset, stats, loaded, quarantine));

            long read = 0;
            long ok = 0;
            long bad = 0;
            BigDecimal amount = BigDecimal.ZERO;
            for (FileStats s : stats) {
                if (!s.rejected()) {
                    read += s.linesRead();
                    ok += rec.counts.get(s.sourceFile())[0];
                    bad += rec.counts.get(s.sourceFile())[1];
                    amount = amount.add(s.amount());
                }
            }
            return new DatasetOutcome(accepted.size(), new ArrayList<>(rejected.values()), read, ok, bad, amount, rec.months,
                    catalogRows(dataset, files, stats, rec.counts, rec.fileMonths));
        } finally {
            delete(staging);
        }
    }

    /** One task per file ({@code ingest.max-files-per-task} groups small ones): gzip cannot be split. */
    private JavaRDD<String> specs(List<InputFile> files) {
        List<String> specs = files.stream().map(f -> f.relativePath() + FileParser.SEP + f.absolutePath()).toList();
        int perTask = config.getInt("ingest.max-files-per-task");
        int slices = perTask <= 0 ? specs.size() : Math.max(1, (specs.size() + perTask - 1) / perTask);
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(specs, slices);
    }

    private Dataset<Row> parse(SourceDataset dataset, FileParser parser, List<InputFile> files) {
        return spark.createDataFrame(specs(files).mapPartitions(parser), FileParser.schema(dataset));
    }

    /** The files whose header already rejects them (empty, wrong columns, unreadable), before any write. */
    private List<FileStats> checkHeaders(List<InputFile> files, FileParser parser) {
        // one short message per rejected file: metadata, not data
        return specs(files).map(spec -> {
            String problem = parser.headerProblem(spec);
            return problem == null ? null : FileStats.rejected(spec.substring(0, spec.indexOf(FileParser.SEP)), problem);
        }).filter(Objects::nonNull).collect();
    }

    /** The quarantined lines the successful parse tasks wrote to their side files. */
    private Dataset<Row> quarantined(List<FileStats> parsed) {
        String[] sideFiles = parsed.stream().map(FileStats::quarantineFile).filter(Objects::nonNull).distinct()
                .toArray(String[]::new);
        if (sideFiles.length == 0) {
            return spark.createDataFrame(List.of(), QUARANTINE_SCHEMA).select("source_file", "line_number", "raw_line", "reasons");
        }
        return spark.read().parquet(sideFiles);
    }

    private void writeSilver(SourceDataset dataset, Dataset<Row> typed, List<String> files) {
        Dataset<Row> silver = Derivations.derive(dataset, typed, run.runId());
        String path = warehouse.path(dataset.table());
        createIfMissing(silver.schema(), path, dataset.partitionedByMonth() ? "pay_month" : null,
                STATS_COLUMNS.get(dataset));
        // no shuffle and no sort before the write: a parse task reads whole files, and a file mostly
        // holds one payment month, so each task writes one file per month it touches through
        // concurrent writers (ingest.concurrent-writers) instead of sorting its rows by month first
        int writers = config.getInt("ingest.concurrent-writers");
        Map<String, String> before = new HashMap<>();
        for (String k : List.of(CONCURRENT_WRITERS, PLANNED_WRITE)) {
            before.put(k, spark.conf().get(k, null));
        }
        spark.conf().set(CONCURRENT_WRITERS, String.valueOf(writers));
        // a planned write would sort by month before the writers whatever their number
        spark.conf().set(PLANNED_WRITE, String.valueOf(writers <= 0));
        try {
            silver.write().format("delta").mode(SaveMode.Overwrite)
                    .option("replaceWhere", inList(files))
                    .save(path);
        } finally {
            before.forEach((k, v) -> {
                if (v == null) {
                    spark.conf().unset(k);
                } else {
                    spark.conf().set(k, v);
                }
            });
        }
    }

    private static final String CONCURRENT_WRITERS = "spark.sql.maxConcurrentOutputFileWriters";
    private static final String PLANNED_WRITE = "spark.sql.optimizer.plannedWrite.enabled";

    private void writeQuarantine(SourceDataset dataset, Dataset<Row> bad, List<String> files) {
        Dataset<Row> q = bad.select(lit(dataset.table()).as("dataset"), col("source_file"),
                col("line_number"), col("raw_line"), col("reasons"), lit(run.runId()).as("run_id"));
        String path = warehouse.path(QUARANTINE);
        createIfMissing(QUARANTINE_SCHEMA, path, null, null);
        q.coalesce(1).write().format("delta").mode(SaveMode.Overwrite)
                .option("replaceWhere", "dataset = '" + dataset.table() + "' AND " + inList(files))
                .save(path);
    }

    /**
     * This run's staging folder, then the staging root once empty (one run at a time: the lock),
     * so the warehouse lists tables only.
     */
    private void removeStaging() {
        Path root = new Path(warehouse.path(STAGING));
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            fs.delete(new Path(root, run.runId()), true);
            if (fs.exists(root) && fs.listStatus(root).length == 0) {
                fs.delete(root, false);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the staging folder {}: {}", root, e.getMessage());
        }
    }

    private void delete(String dir) {
        try {
            Path p = new Path(dir);
            p.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p, true);
        } catch (IOException e) {
            LOG.warn("cannot remove the staging folder {}: {}", dir, e.getMessage());
        }
    }

    /**
     * Reads back what the tables hold for this run's files and checks, file by file, that
     * lines read = lines loaded + lines quarantined, and that the amounts loaded equal the
     * amounts parsed to the cent. The same read gives the payment months the files touched.
     */
    private Reconciled reconcile(SourceDataset dataset, List<FileStats> stats, List<String> accepted, boolean quarantineWritten) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, BigDecimal> amounts = new HashMap<>();
        TreeSet<String> months = new TreeSet<>();
        Map<String, List<String>> fileMonths = new HashMap<>();
        if (!accepted.isEmpty()) {
            Column mine = col("source_file").isin(accepted.toArray()).and(col("run_id").equalTo(run.runId()));
            List<String> amountCols = LineTyper.amountColumns(dataset);
            Column amountSum = amountCols.isEmpty() ? lit(BigDecimal.ZERO)
                    : amountCols.stream().map(c -> coalesce(sum(col(c)), lit(BigDecimal.ZERO)))
                    .reduce(Column::plus).orElseThrow();
            Column monthSet = dataset.partitionedByMonth() ? collect_set(col("pay_month")) : array();
            for (Row r : warehouse.read(dataset.table()).filter(mine).groupBy("source_file")
                    .agg(count(lit(1)), amountSum, monthSet).collectAsList()) {
                counts.computeIfAbsent(r.getString(0), k -> new long[2])[0] = r.getLong(1);
                amounts.put(r.getString(0), r.getDecimal(2));
                months.addAll(r.<String>getList(3));
                fileMonths.put(r.getString(0), new ArrayList<>(new TreeSet<>(r.<String>getList(3))));
            }
            if (quarantineWritten) {
                for (Row r : warehouse.read(QUARANTINE).filter(mine.and(col("dataset").equalTo(dataset.table())))
                        .groupBy("source_file").count().collectAsList()) {
                    counts.computeIfAbsent(r.getString(0), k -> new long[2])[1] = r.getLong(1);
                }
            }
        }
        List<String> problems = new ArrayList<>();
        // each file loaded is reported exactly once by the parse tasks that succeeded
        Map<String, Long> reports = stats.stream().filter(s -> !s.rejected())
                .collect(Collectors.groupingBy(FileStats::sourceFile, Collectors.counting()));
        for (String f : accepted) {
            if (reports.getOrDefault(f, 0L) != 1) {
                problems.add(f + ": " + reports.getOrDefault(f, 0L) + " statistics reports from the parse, expected 1");
            }
        }
        for (FileStats s : stats) {
            long[] c = counts.computeIfAbsent(s.sourceFile(), k -> new long[2]);
            if (s.rejected()) {
                continue;
            }
            if (s.linesRead() != c[0] + c[1] || c[1] != s.linesQuarantined()) {
                problems.add(s.sourceFile() + ": read " + s.linesRead() + " != loaded " + c[0] + " + quarantined " + c[1]
                        + " (parser quarantined " + s.linesQuarantined() + ")");
            }
            BigDecimal inTable = amounts.getOrDefault(s.sourceFile(), BigDecimal.ZERO);
            if (inTable.compareTo(s.amount()) != 0) {
                problems.add(s.sourceFile() + ": amount parsed " + s.amount() + " != amount in table " + inTable);
            }
        }
        if (!problems.isEmpty()) {
            throw new ReconciliationException("reconciliation failed for " + dataset.table() + ": " + String.join("; ", problems));
        }
        return new Reconciled(counts, new ArrayList<>(months), fileMonths);
    }

    private List<Row> catalogRows(SourceDataset dataset, List<InputFile> files, List<FileStats> stats, Map<String, long[]> counts,
                                  Map<String, List<String>> fileMonths) {
        Map<String, FileStats> byFile = stats.stream().collect(Collectors.toMap(FileStats::sourceFile, s -> s));
        Instant now = Instant.now();
        List<Row> rows = new ArrayList<>();
        for (InputFile f : files) {
            FileStats s = byFile.get(f.relativePath());
            long[] c = counts.getOrDefault(f.relativePath(), new long[2]);
            rows.add(RowFactory.create(dataset.table(), f.relativePath(), f.size(), Instant.ofEpochMilli(f.modifiedMillis()),
                    s == null ? null : s.checksum(), s == null ? "REJECTED" : s.status(),
                    s == null ? "no statistics returned" : s.message(),
                    s == null ? 0L : s.linesRead(), s == null ? 0L : s.linesBlank(), c[0], c[1],
                    s == null || s.rejected() ? BigDecimal.ZERO : s.amount(), run.runId(), now,
                    dataset.partitionedByMonth() ? scala.jdk.javaapi.CollectionConverters.asScala(
                            fileMonths.getOrDefault(f.relativePath(), List.of())).toSeq() : null));
        }
        return rows;
    }

    /** One transaction for the whole run: each file's row replaces its previous one. */
    private void recordFiles(List<Row> rows) {
        String path = warehouse.path(CATALOG);
        createIfMissing(CATALOG_SCHEMA, path, null, null);
        // a relative path names one file of one dataset folder, so the path alone is the key
        List<String> names = rows.stream().map(r -> r.getString(1)).toList();
        spark.createDataFrame(rows, CATALOG_SCHEMA).coalesce(1).write().format("delta").mode(SaveMode.Overwrite)
                .option("replaceWhere", inList(names)).option("mergeSchema", "true")
                .save(path);
    }

    private Map<String, Row> readCatalog() {
        Map<String, Row> out = new HashMap<>();
        if (!warehouse.exists(CATALOG)) {
            return out;
        }
        for (Row r : warehouse.read(CATALOG).select("dataset", "source_file", "size", "modified_at", "status").collectAsList()) {
            out.put(r.getString(0) + "|" + r.getString(1), r);
        }
        return out;
    }

    /** Data files of a dataset folder, recursively; hidden and underscore names are skipped. */
    List<InputFile> listFiles(SourceDataset dataset) {
        Path dir = new Path(inputRoot + "/" + dataset.folder());
        List<InputFile> out = new ArrayList<>();
        try {
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(dir)) {
                return out;
            }
            String base = fs.makeQualified(new Path(inputRoot)).toString();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
            while (it.hasNext()) {
                FileStatus st = it.next();
                String name = st.getPath().getName();
                String lower = name.toLowerCase();
                if (name.startsWith(".") || name.startsWith("_")
                        || !(lower.endsWith(".csv") || lower.endsWith(".csv.gz") || lower.endsWith(".parquet"))) {
                    continue;
                }
                String abs = st.getPath().toString();
                String rel = abs.startsWith(base) ? abs.substring(base.length() + 1) : dataset.folder() + "/" + name;
                out.add(new InputFile(dataset, rel, abs, st.getLen(), st.getModificationTime()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort((a, b) -> a.relativePath().compareTo(b.relativePath()));
        return out;
    }

    private void createIfMissing(StructType schema, String path, String partitionColumn, String statsColumns) {
        if (DeltaTable.isDeltaTable(spark, path)) {
            // a table made by an older version keeps its old list: set the current one, so the files
            // written from now on carry statistics on the new columns (older files have none on
            // them, and are never skipped on them: slower, never wrong)
            if (statsColumns != null && !statsColumns.equals(DeltaTable.forPath(spark, path).detail()
                    .select(col("properties").getItem("delta.dataSkippingStatsColumns")).first().getString(0))) {
                spark.sql("ALTER TABLE delta.`" + path.replace("`", "``") + "` SET TBLPROPERTIES "
                        + "('delta.dataSkippingStatsColumns' = '" + statsColumns + "')");
            }
            return;
        }
        var builder = DeltaTable.createIfNotExists(spark).location(path).addColumns(schema);
        if (partitionColumn != null) {
            builder = builder.partitionedBy(partitionColumn);
        }
        if (statsColumns != null) {
            builder = builder.property("delta.dataSkippingStatsColumns", statsColumns);
        }
        builder.execute();
    }

    static String inList(List<String> files) {
        return "source_file IN (" + files.stream().map(f -> "'" + f.replace("'", "''") + "'")
                .collect(Collectors.joining(", ")) + ")";
    }
}
