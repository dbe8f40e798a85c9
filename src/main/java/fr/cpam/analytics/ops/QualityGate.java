package fr.cpam.analytics.ops;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.*;

/**
 * The data-quality gate of {@code nightly}: checks the files loaded since the last published
 * run before any indicator is published. A breach ends the run with exit 3: what was valid is
 * loaded (and the bad lines quarantined), but indicators are not recomputed, so the tables
 * analysts read stay those of the last good night. Thresholds ({@code quality.*}):
 * <ul>
 *   <li>{@code max-quarantine-rate}: quarantined / read lines of any one file;</li>
 *   <li>{@code max-unknown-nature-rate}: claim lines of those files whose nature code the
 *   reference tables do not know (they would land in AUTRES);</li>
 *   <li>{@code max-monthly-jump-pct}: change of a fund's total (claims, payment month) between
 *   a month those files touch and the month before, when both exist.</li>
 * </ul>
 * A failed reconciliation (lines or amounts not matching to the cent) is a breach too: see
 * {@code NightlyCommand}.
 */
public final class QualityGate {

    /** The breaches found, each a sentence saying what and where; empty when the gate passes. */
    public record Verdict(List<String> breaches) {
        public boolean passed() {
            return breaches.isEmpty();
        }
    }

    private QualityGate() {
    }

    /** {@code pending}: rows of {@code ingested_files} loaded since the last published run. */
    public static Verdict check(Warehouse warehouse, JobConfig config, Dataset<Row> pending) {
        double maxQuarantine = config.getDouble("quality.max-quarantine-rate");
        double maxUnknown = config.getDouble("quality.max-unknown-nature-rate");
        double maxJump = config.getDouble("quality.max-monthly-jump-pct");
        List<String> breaches = new ArrayList<>();
        // the pending files are few (one night's delivery): their catalog rows come to the driver
        for (Row r : pending.filter(col("status").equalTo("LOADED").and(col("lines_read").gt(0)))
                .filter(col("lines_quarantined").divide(col("lines_read")).gt(maxQuarantine))
                .select("source_file", "lines_quarantined", "lines_read").orderBy("source_file").collectAsList()) {
            breaches.add(String.format(Locale.ROOT, "%s: %d of %d lines quarantined (%.1f %% > %.1f %%)", r.getString(0),
                    r.getLong(1), r.getLong(2), 100.0 * r.getLong(1) / r.getLong(2), 100 * maxQuarantine));
        }
        List<String> claimFiles = pending.filter(col("dataset").equalTo("claims").and(col("status").equalTo("LOADED")))
                .select("source_file").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        if (claimFiles.isEmpty() || !warehouse.exists("claims")) {
            return new Verdict(breaches);
        }
        Dataset<Row> loaded = warehouse.read("claims").filter(col("source_file").isin(claimFiles.toArray()));
        Row unknown = loaded.agg(count(lit(1)), count(when(not(col("nature_known")), lit(1)))).first();
        if (unknown.getLong(0) > 0 && (double) unknown.getLong(1) / unknown.getLong(0) > maxUnknown) {
            breaches.add(String.format(Locale.ROOT, "claims: %d of %d loaded lines have a nature code unknown to the "
                            + "reference tables (%.2f %% > %.2f %%)", unknown.getLong(1), unknown.getLong(0),
                    100.0 * unknown.getLong(1) / unknown.getLong(0), 100 * maxUnknown));
        }
        List<String> months = loaded.select("pay_month").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        java.util.TreeSet<String> wanted = new java.util.TreeSet<>(months);
        for (String m : months) {
            wanted.add(java.time.YearMonth.parse(m).minusMonths(1).toString());
        }
        // fund totals of those months and the month before (partition pruning on pay_month)
        Dataset<Row> totals = warehouse.read("claims").filter(col("pay_month").isin(wanted.toArray()).and(col("in_scope")))
                .groupBy(col("ORG_AFF_BEN").as("org"), col("pay_month")).agg(sum("amount").as("total"));
        Dataset<Row> jumps = totals.withColumn("prev", lag("total", 1).over(org.apache.spark.sql.expressions.Window
                        .partitionBy("org").orderBy("pay_month")))
                .withColumn("prev_month", lag("pay_month", 1).over(org.apache.spark.sql.expressions.Window
                        .partitionBy("org").orderBy("pay_month")))
                .filter(col("pay_month").isin(months.toArray()).and(col("prev").gt(0))
                        .and(col("prev_month").equalTo(date_format(add_months(to_date(col("pay_month"), "yyyy-MM"), -1), "yyyy-MM"))))
                .withColumn("pct", col("total").minus(col("prev")).multiply(100).divide(col("prev")))
                .filter(abs(col("pct")).gt(maxJump));
        for (Row r : jumps.select("org", "pay_month", "prev_month", "pct").orderBy("org", "pay_month").collectAsList()) {
            breaches.add(String.format(Locale.ROOT, "fund %s: total of %s is %+.1f %% against %s (limit %.0f %%)",
                    r.getString(0), r.getString(1), r.getDecimal(3).doubleValue(), r.getString(2), maxJump));
        }
        return new Verdict(breaches);
    }
}
