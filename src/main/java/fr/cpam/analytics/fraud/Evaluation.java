package fr.cpam.analytics.fraud;

import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.*;

/**
 * How well the signals find known cases: the generator's {@code ground_truth/fraud_labels.csv}
 * ({@code signal;entity_type;entity_id;org;kind;note}, kind PLANTED or LOOKALIKE) against
 * {@code fraud_signals}. Per signal and entity type: the planted cases raised (recall), those
 * in the top 3 of their fund, the rank of each, precision at k (share of the top-k entities of
 * each fund that are planted cases of that signal) and the look-alikes in a top 10. Ranks are
 * those of distinct entities (an entity raised in several years counts once, at its best
 * row's place): "leads" counts entities too.
 */
public final class Evaluation {

    /** The goal of the fraud issue: every planted case in its signal's top 3, no look-alike in a top 10. */
    public static final int PLANTED_TOP = 3;
    public static final int LOOKALIKE_TOP = 10;

    /** One line of the evaluation table. */
    public record Line(String signal, String entityType, long planted, long found, long inTop3, String ranks,
                      Double precisionAtK, long leads, long lookalikes, long lookalikesInTop10) {

        public double recall() {
            return planted == 0 ? Double.NaN : (double) found / planted;
        }

        public boolean met() {
            return inTop3 == planted && lookalikesInTop10 == 0;
        }
    }

    public record Report(int k, List<Line> lines) {
        public boolean targetsMet() {
            return lines.stream().allMatch(Line::met);
        }

        public Line line(String signal, String entityType) {
            return lines.stream().filter(l -> l.signal().equals(signal) && l.entityType().equals(entityType)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no evaluation line for " + signal + "/" + entityType));
        }

        /** A fixed-width table for the console. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            String fmt = "%-26s %-14s %7s %5s %5s %-16s %11s %6s %10s %9s%n";
            sb.append(String.format(Locale.ROOT, fmt, "signal", "entity", "planted", "found", "top3", "ranks",
                    "precision@" + k, "leads", "lookalikes", "in_top10"));
            for (Line l : lines) {
                sb.append(String.format(Locale.ROOT, fmt, l.signal(), l.entityType(), l.planted(), l.found(), l.inTop3(),
                        l.ranks(), l.precisionAtK() == null || l.planted() == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", l.precisionAtK()),
                        l.leads(), l.lookalikes(), l.lookalikesInTop10()));
            }
            long planted = lines.stream().mapToLong(Line::planted).sum();
            long top3 = lines.stream().mapToLong(Line::inTop3).sum();
            long found = lines.stream().mapToLong(Line::found).sum();
            long look = lines.stream().mapToLong(Line::lookalikesInTop10).sum();
            sb.append(String.format(Locale.ROOT, "planted cases: %d, raised: %d (recall %.2f), in their signal's top %d: %d; "
                            + "look-alikes in a top %d: %d -> targets %s%n", planted, found, planted == 0 ? 0.0 : (double) found / planted,
                    PLANTED_TOP, top3, LOOKALIKE_TOP, look, targetsMet() ? "met" : "NOT met"));
            return sb.toString();
        }
    }

    private Evaluation() {
    }

    public static Report of(Warehouse warehouse, String labelsFile, int k) {
        if (!warehouse.exists(FraudSignals.SIGNALS)) {
            throw new IllegalStateException("no fraud_signals table in " + warehouse.root() + ": run compute first");
        }
        Dataset<Row> labels = warehouse.spark().read().option("header", "true").option("sep", ";")
                .option("inferSchema", "false").csv(labelsFile)
                .select(col("signal"), col("entity_type"), col("entity_id"), col("org"), upper(col("kind")).as("kind"));
        Dataset<Row> leads = warehouse.read(FraudSignals.SIGNALS);
        String[] entity = {"signal", "entity_type", "entity_id", "org"};
        // a controller works through entities, not rows: an entity raised in several years takes its
        // best row's place, and the ranks counted here are those of distinct entities
        Dataset<Row> best = leads.groupBy(Leads.cols(entity)).agg(min("rank").as("_best"))
                .withColumn("rank", row_number().over(org.apache.spark.sql.expressions.Window
                        .partitionBy("signal", "entity_type", "org").orderBy("_best")))
                .drop("_best");
        Dataset<Row> ranked = labels.join(best, entity, "left");
        Column planted = col("kind").equalTo("PLANTED");
        Column lookalike = col("kind").equalTo("LOOKALIKE");
        Dataset<Row> byLabel = ranked.groupBy("signal", "entity_type").agg(
                count(when(planted, lit(1))).as("planted"),
                count(when(planted.and(col("rank").isNotNull()), lit(1))).as("found"),
                count(when(planted.and(col("rank").leq(PLANTED_TOP)), lit(1))).as("in_top3"),
                concat_ws(" ", array_sort(collect_list(when(planted, coalesce(col("rank"), lit(Integer.MAX_VALUE)))))).as("ranks"),
                count(when(lookalike, lit(1))).as("lookalikes"),
                count(when(lookalike.and(col("rank").leq(LOOKALIKE_TOP)), lit(1))).as("lookalikes_in_top10"));
        Dataset<Row> plantedIds = labels.filter(planted).select(Leads.cols(entity)).distinct().withColumn("_planted", lit(true));
        Dataset<Row> byLeads = best.join(plantedIds, entity, "left").groupBy("signal", "entity_type").agg(
                count(lit(1)).as("leads"),
                count(when(col("rank").leq(k), lit(1))).as("_top"),
                count(when(col("rank").leq(k).and(col("_planted")), lit(1))).as("_top_planted"));
        // the evaluation summary is one line per signal and entity type: small enough to bring to the driver
        List<Row> rows = byLabel.join(byLeads, new String[]{"signal", "entity_type"}, "full")
                .orderBy("signal", "entity_type").collectAsList();
        List<Line> lines = new ArrayList<>();
        for (Row r : rows) {
            long top = r.isNullAt(r.fieldIndex("_top")) ? 0 : r.getLong(r.fieldIndex("_top"));
            long topPlanted = r.isNullAt(r.fieldIndex("_top_planted")) ? 0 : r.getLong(r.fieldIndex("_top_planted"));
            String ranks = r.isNullAt(r.fieldIndex("ranks")) ? "" : r.getString(r.fieldIndex("ranks"))
                    .replace(String.valueOf(Integer.MAX_VALUE), "-");
            lines.add(new Line(r.getString(r.fieldIndex("signal")), r.getString(r.fieldIndex("entity_type")),
                    longOr0(r, "planted"), longOr0(r, "found"), longOr0(r, "in_top3"), ranks,
                    top == 0 ? null : (double) topPlanted / top, longOr0(r, "leads"), longOr0(r, "lookalikes"),
                    longOr0(r, "lookalikes_in_top10")));
        }
        return new Report(k, lines);
    }

    private static long longOr0(Row r, String field) {
        int i = r.fieldIndex(field);
        return r.isNullAt(i) ? 0 : r.getLong(i);
    }

}
