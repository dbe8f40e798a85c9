package fr.cpam.analytics.reporting;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.*;

/**
 * Small-cell suppression for published statistics: no count of 1 to 10 people.
 *
 * <p><b>Primary</b>: a count column between 1 and 10 is blanked, with every column that would
 * give it back (an amount per consumer, an evolution of the count). <b>Secondary</b>: within a
 * group of cells that make up a published total (the sous-postes of a poste, the postes of the
 * total, the risks of a duration, the durations of a risk), a single blanked cell could be
 * recomputed from the total and its siblings; the smallest other non-zero sibling is blanked too.
 * The rule is applied until nothing changes (a secondary blank can leave a lone blank in the
 * other dimension). Consumer counts are distinct counts, so sums are only bounds, but the rule
 * stays conservative. Each row says what was blanked: {@code suppressed} and
 * {@code suppressed_cells}.
 */
public final class Suppression {

    /** Counts from 1 to this are never published. */
    public static final int THRESHOLD = 10;

    /** A count column and the columns that would reveal it. */
    public record Count(String column, List<String> reveals) {
    }

    /**
     * Cells adding up to a total: rows sharing {@code keys} and the value of {@code groupExpr}
     * (null for rows that belong to no such group, e.g. the total itself), ordered for the
     * choice of the secondary cell by {@code tieBreak}.
     */
    public record Group(List<String> keys, Column groupExpr, String tieBreak) {
    }

    private final List<Count> counts;
    private final List<Group> groups;

    public Suppression(List<Count> counts, List<Group> groups) {
        this.counts = counts;
        this.groups = groups;
    }

    /** The rules of the reporting tables that have counts of people. */
    public static Map<String, Suppression> forReportingTables() {
        Map<String, Suppression> out = new LinkedHashMap<>();
        List<String> period = List.of("source", "org", "period_type", "period");
        Column sousPosteGroup = when(col("sous_poste").notEqual("TOTAL"), col("poste"));
        Column posteGroup = when(col("poste").notEqual("TOTAL").and(col("sous_poste").equalTo("TOTAL")), lit("POSTES"));
        out.put("spending_evolution", new Suppression(
                List.of(new Count("consumers", List.of("consumers_evolution_pct", "amount_per_consumer", "amount_per_consumer_evolution_pct")),
                        new Count("consumers_prev", List.of("consumers_evolution_pct", "amount_per_consumer_evolution_pct"))),
                List.of(new Group(period, sousPosteGroup, "sous_poste"), new Group(period, posteGroup, "poste"))));
        List<String> ijPeriod = List.of("org", "period_type", "period");
        out.put("ij_breakdown", new Suppression(
                List.of(new Count("beneficiaries", List.of())),
                List.of(new Group(ijPeriod, when(col("duration").notEqual("TOUS"), col("risk")), "duration"),
                        new Group(ijPeriod, when(col("risk").notEqual("TOUS"), col("duration")), "risk"))));
        return out;
    }

    /** The table with small cells blanked and the two flag columns added; its other columns unchanged. */
    public Dataset<Row> apply(Dataset<Row> table) {
        String[] original = table.columns();
        Dataset<Row> df = table;
        for (Count c : counts) {
            String flag = "_s_" + c.column();
            df = df.withColumn(flag, col(c.column()).between(1, THRESHOLD));
            // a lone blank in a group is revealed by the total: blank its smallest sibling, until stable
            for (int pass = 0; pass < 4; pass++) {
                for (Group g : groups) {
                    df = secondary(df, c.column(), flag, g);
                }
            }
        }
        List<Column> out = new ArrayList<>();
        Column anySuppressed = lit(false);
        List<Column> names = new ArrayList<>();
        for (String name : original) {
            Column blank = lit(false);
            for (Count c : counts) {
                if (c.column().equals(name) || c.reveals().contains(name)) {
                    blank = blank.or(col("_s_" + c.column()));
                }
            }
            out.add(when(blank, lit(null)).otherwise(col(name)).cast(table.schema().apply(name).dataType()).as(name));
            anySuppressed = anySuppressed.or(blank);
            names.add(when(blank, lit(name)));
        }
        out.add(anySuppressed.as("suppressed"));
        // concat_ws skips nulls: the names of the blanked columns only
        out.add(concat_ws(",", names.toArray(new Column[0])).as("suppressed_cells"));
        return df.select(out.toArray(new Column[0]));
    }

    private static Dataset<Row> secondary(Dataset<Row> df, String count, String flag, Group g) {
        List<Column> partition = new ArrayList<>();
        g.keys().forEach(k -> partition.add(col(k)));
        partition.add(col("_group"));
        WindowSpec w = Window.partitionBy(partition.toArray(new Column[0]));
        Column candidate = not(col(flag)).and(col(count).gt(0));
        WindowSpec smallestFirst = w.orderBy(when(candidate, 0).otherwise(1), col(count), col(g.tieBreak()));
        return df.withColumn("_group", g.groupExpr())
                .withColumn("_blanked", sum(when(col(flag), 1).otherwise(0)).over(w))
                .withColumn("_order", row_number().over(smallestFirst))
                .withColumn(flag, col(flag).or(col("_group").isNotNull().and(col("_blanked").equalTo(1))
                        .and(candidate).and(col("_order").equalTo(1))))
                .drop("_group", "_blanked", "_order");
    }
}
