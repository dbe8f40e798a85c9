package fr.cpam.analytics.cli;

import fr.cpam.analytics.ops.QualityGate;
import fr.cpam.analytics.reporting.Reports;
import fr.cpam.analytics.sources.FileStats;
import fr.cpam.analytics.sources.Ingest;
import fr.cpam.analytics.sources.IngestResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.Encoders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.*;

@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {"What a scheduler runs every night: ingest new or changed files, check the data-quality gate,",
                "then recompute what the new data changed: the periods of the affected payment months (and the",
                "next year's, which compare with them), the fraud leads of the affected care years. A night with",
                "nothing new ends at once with exit 0. Then the HTML report of each fund (cpam.report.dir).",
                "Exit 0 done, 1 failure, 3 data-quality gate failed (data loaded, indicators not published),",
                "4 some files rejected whole (the rest loaded and published)."})
public final class NightlyCommand extends JobCommand {

    private static final Logger LOG = LoggerFactory.getLogger(NightlyCommand.class);

    @Option(names = "--input", paramLabel = "DIR", required = true,
            description = "Input root (claims/, sick_leave/, opendamir/, reference/...).")
    String input;

    @Option(names = "--full", description = "Recompute every period of every indicator, whatever changed.")
    boolean full;

    @Override
    protected String commandName() {
        return "nightly";
    }

    @Override
    protected int execute() {
        PrintWriter out = out();
        IngestResult loaded;
        try {
            loaded = Ingest.builder(warehouse).input(input).config(config).run(run).build().execute();
        } catch (Ingest.ReconciliationException e) {
            // the tables hold what the files say only if lines and amounts match: nothing is published
            message = "data-quality gate: " + e.getMessage();
            LOG.error("{}", message);
            out.println("QUALITY GATE FAILED: " + e.getMessage());
            return ExitCodes.QUALITY_GATE;
        }
        amountLoaded = loaded.amountLoaded();
        out.printf("ingest: %d file(s) seen, %d loaded, %d unchanged, %d rejected; %d lines loaded, %d quarantined%n",
                loaded.filesSeen(), loaded.filesLoaded(), loaded.filesSkipped(), loaded.rejected().size(),
                loaded.linesLoaded(), loaded.linesQuarantined());
        for (FileStats f : loaded.rejected()) {
            err().printf("REJECTED %s: %s%n", f.sourceFile(), f.message());
        }
        int done = loaded.hasRejectedFiles() ? ExitCodes.FILES_REJECTED : ExitCodes.OK;
        if (loaded.hasRejectedFiles()) {
            message = loaded.rejected().size() + " file(s) rejected: " + loaded.rejected().get(0).sourceFile();
        }
        if (!warehouse.exists(Ingest.CATALOG)) {
            out.println("nothing loaded yet: no indicator to compute");
            return done;
        }
        Instant watermark = lastPublished();
        // files loaded since the last published night, including those of a night that was killed or
        // stopped by the gate: their work is still to do
        Dataset<Row> pending = warehouse.read(Ingest.CATALOG)
                .filter(watermark == null ? lit(true) : col("ingested_at").gt(lit(watermark)))
                .cache();
        try {
            long pendingFiles = pending.count();
            boolean indicatorsMissing = !warehouse.exists("spending_evolution");
            if (pendingFiles == 0 && !full && !indicatorsMissing) {
                out.println("nothing new since " + watermark + ": indicators unchanged");
                run.publishedUntil(watermark);
                return done;
            }
            QualityGate.Verdict verdict = run.stage("quality gate", () -> QualityGate.check(warehouse, config, pending));
            if (!verdict.passed()) {
                message = "data-quality gate: " + String.join("; ", verdict.breaches());
                verdict.breaches().forEach(b -> LOG.error("quality gate: {}", b));
                out.println("QUALITY GATE FAILED, indicators not published:");
                verdict.breaches().forEach(b -> out.println("  " + b));
                return ExitCodes.QUALITY_GATE;
            }
            Row newest = pending.agg(max("ingested_at")).first();
            Instant until = newest.isNullAt(0) ? watermark : (Instant) newest.get(0); // java8API: Instant
            boolean incremental = !full && !indicatorsMissing && watermark != null;
            List<YearMonth> months = null;
            Set<String> datasets = new TreeSet<>(pending.select("dataset").distinct().as(Encoders.STRING()).collectAsList());
            if (incremental) {
                TreeSet<String> changed = new TreeSet<>(loaded.changedMonths());
                if (java.util.Arrays.asList(pending.columns()).contains("pay_months")) {
                    changed.addAll(pending.select(explode(col("pay_months"))).as(Encoders.STRING()).collectAsList());
                }
                months = new ArrayList<>();
                for (String m : changed) {
                    months.add(YearMonth.parse(m));
                }
                out.println("recomputing the periods of " + changed.size() + " changed payment month(s): " + changed);
                datasets.stream().filter(d -> List.of("sick_leave", "beneficiaries", "hospital_stays").contains(d)).findFirst()
                        .ifPresent(d -> out.println("new " + d + " data: " + (d.equals("sick_leave") ? "Covid, IJ and " : "")
                                + "fraud signals recomputed in full"));
            } else {
                out.println("recomputing every period" + (full ? " (--full)" : " (first publication)"));
            }
            Set<String> families = new LinkedHashSet<>(ComputeCommand.FAMILIES);
            if (!warehouse.exists("claims")) {
                families.removeAll(List.of("movers", "ij", "fraud"));
            }
            ComputeCommand.computeFamilies(warehouse, config, run, families, months, datasets, out);
            if (config.getBoolean("report.nightly")) {
                String dir = config.getString("report.dir").isBlank() ? warehouse.root() + "/reports" : config.getString("report.dir");
                for (Reports.Written w : run.stage("report", () -> Reports.write(warehouse, dir + "/rapport.html", null, null, run.runId()))) {
                    out.printf("report %s %d: %s%n", w.org(), w.year(), w.path());
                }
            }
            run.publishedUntil(until);
            return done;
        } finally {
            pending.unpersist();
        }
    }

    /** The newest file the indicators reflect: recorded by the last nightly that published them. */
    private Instant lastPublished() {
        if (!warehouse.exists("run_log")) {
            return null;
        }
        Dataset<Row> log = warehouse.read("run_log");
        if (!java.util.Arrays.asList(log.columns()).contains("published_until")) {
            return null;
        }
        Row r = log.filter(col("command").equalTo("nightly").and(col("status").isin("SUCCESS", "PARTIAL")))
                .agg(max("published_until")).first();
        return r.isNullAt(0) ? null : (Instant) r.get(0);
    }
}
