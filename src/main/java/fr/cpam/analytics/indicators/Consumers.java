package fr.cpam.analytics.indicators;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * Consumers per period and category: the beneficiaries whose quantities over the period sum to
 * more than zero. Exact (regularisations cancel, no {@code countDistinct}, no sketch), in two
 * levels: quantities per beneficiary, then a count of the positive ones.
 *
 * <p>Expanding every beneficiary-month into the ~20 periods it belongs to is the obvious way,
 * and was the first form: at 3 million lines it hashed 120 million rows. Here, seen from one
 * beneficiary and category, the quantity summed over a period ending at {@code e} is a step
 * function of {@code e}: the lines of month {@code m} count from {@code e = m} until {@code e}
 * passes the end of the windows holding {@code m} (the next month for MONTH, the next year for
 * YEAR, January next for YTD, {@code m + 12} for R12). So each month gives two events per
 * period type, {@code +q} at the start and {@code -q} at the end; one window pass per
 * beneficiary and category turns them into the stretches where the running quantity is
 * positive; each stretch gives +1 at its start and -1 at its end, and a running sum of those
 * per category counts the consumers for every period end. A year holds the same months as its
 * year-to-date at December, so its consumers are that period's and need no events of their own
 * (with them, the window sorted a third more rows). Six events per beneficiary-month instead of
 * twenty expanded rows, and one pass for the four period types.
 *
 * <p>The lines are shuffled once, by beneficiary: every step at the beneficiary grain then runs
 * where its data is (each key includes the beneficiary) and only the small counts move.
 */
final class Consumers {

    /** Spending's categories: sous-poste, poste ({@code sous_poste = TOTAL}) and all ({@code TOTAL / TOTAL}). */
    static final Consumers POSTES = new Consumers("poste", "sous_poste", List.of(
            new Column[]{col("poste"), col("sous_poste")},
            new Column[]{col("poste"), lit(Categories.TOTAL)},
            new Column[]{lit(Categories.TOTAL), lit(Categories.TOTAL)}));

    /** IJ's categories: risk and duration crossed, each also at {@code TOUS}. */
    static final Consumers RISKS_AND_DURATIONS = new Consumers("risk", "duration", List.of(
            new Column[]{col("risk"), col("duration")},
            new Column[]{col("risk"), lit("TOUS")},
            new Column[]{lit("TOUS"), col("duration")},
            new Column[]{lit("TOUS"), lit("TOUS")}));

    private final String first;
    private final String second;
    /** The levels each line counts at: values of the first and second category columns. */
    private final List<Column[]> levels;
    /** org and the two category columns. */
    private final String[] category;

    private Consumers(String first, String second, List<Column[]> levels) {
        this.first = first;
        this.second = second;
        this.levels = levels;
        this.category = new String[]{"org", first, second};
    }

    /**
     * @param lines      columns org, month_date, the two category columns, ben (null rows are skipped), quantity
     * @param partitions partitions of the beneficiary shuffle (the work after it is ~10 rows per
     *                   line: enough tasks to keep every core busy)
     * @return org, period_type, period, the two category columns (at every level), consumers
     */
    Dataset<Row> count(Dataset<Row> lines, int partitions) {
        Dataset<Row> levels = perBeneficiaryMonth(lines, partitions);
        // per period type: +q from the month's own period, -q from the first period that no
        // longer holds the month (period codes: Periods.code); YEAR comes from YTD below
        Column mi = year(col("month_date")).multiply(12).plus(month(col("month_date"))).minus(1);
        Column y = year(col("month_date"));
        Column[][] spans = {{mi, mi.plus(1)}, {mi, y.plus(1).multiply(12)}, {mi, mi.plus(12)}};
        String[] types = {"MONTH", "YTD", "R12"};
        List<Column> events = new ArrayList<>();
        for (int k = 0; k < types.length; k++) {
            int base = Periods.code(types[k], 0);
            events.add(event(k, spans[k][0].plus(base), col("qm")));
            events.add(event(k, spans[k][1].plus(base), negate(col("qm"))));
        }
        // the beneficiary first: the window's sort compares a prefix of its first key, and the
        // beneficiary is the one that differs from row to row (org and categories repeat)
        String[] key = {"ben", "type", first, second, "org"};
        // Events at the same t need no summing first: the rows between them make empty stretches
        // (next = t), whose +1 and -1 cancel; the last of them carries the true running quantity.
        WindowSpec perBen = Window.partitionBy(cols(key)).orderBy(col("t"));
        Dataset<Row> changes = levels.select(cols(category, "ben", explode(array(events.toArray(Column[]::new))).as("ev")))
                .select(cols(category, "ben", col("ev.type").as("type"), col("ev.t").as("t"), col("ev.d").as("d")))
                .select(cols(category, "ben", "type", "t",
                        sum(col("d")).over(perBen.rowsBetween(Window.unboundedPreceding(), 0)).as("run"),
                        lead(col("t"), 1).over(perBen).as("next")))
                // a stretch where the quantity is positive: +1 from its start, -1 from its end
                .filter(col("run").gt(0))
                .select(cols(category, "type", explode(array(
                        struct(col("t").as("e"), lit(1L).as("c")),
                        struct(col("next").as("e"), lit(-1L).as("c")))).as("x")))
                .filter(col("x.e").isNotNull())
                .groupBy(cols(category, "type", col("x.e").as("e"))).agg(sum("x.c").as("c"));
        // the count holds from each change to the next: spread it over the period ends between
        // (a small table by now: categories x period ends)
        WindowSpec byEnd = Window.partitionBy(cols(category, "type")).orderBy(col("e"));
        // YTD at December is also its YEAR
        Column year = Periods.yearOfDecemberYtd(col("pcode"));
        return changes.select(cols(category, "e",
                        sum(col("c")).over(byEnd.rowsBetween(Window.unboundedPreceding(), 0)).as("consumers"),
                        lead(col("e"), 1).over(byEnd).as("next")))
                .select(cols(category, "consumers", explode(sequence(col("e"),
                        coalesce(col("next").minus(1), col("e")))).as("pcode")))
                .select(cols(category, "consumers", explode(when(year.isNull(), array(col("pcode")))
                        .otherwise(array(col("pcode"), year))).as("pcode")))
                .select(col("org"), Periods.decodeType(col("pcode")).as("period_type"),
                        Periods.decodePeriod(col("pcode")).as("period"), col(first), col(second), col("consumers"));
    }

    /**
     * The same counts for a few periods only, by the two-level aggregation itself: each
     * beneficiary-month joins the wanted periods that hold its month (a broadcast table of a few
     * hundred rows), quantities are summed per beneficiary and period, the positive sums counted.
     * A night's new month changes its own MONTH, YEAR, YTD and R12 periods and the later windows
     * that hold it; of those only the complete ones are published. Periods holding the same
     * months of data have the same consumers (a night adding December: its YEAR, YTD and R12 all
     * hold January to December), so each distinct span of months is counted once: a
     * beneficiary-month joins one or two spans, not three or four periods, and there is no sort.
     *
     * @param periodMonths org, month_date, period_type, period: the months with data each wanted period holds
     * @return org, period_type, period, the two category columns, consumers (periods with none are absent)
     */
    Dataset<Row> countFor(Dataset<Row> lines, Dataset<Row> periodMonths, int partitions) {
        // a period is a range of months: its months with data are those between its first and last
        Dataset<Row> spans = periodMonths.groupBy("org", "period_type", "period")
                .agg(min("month_date").as("_from"), max("month_date").as("_to"));
        Dataset<Row> spanMonths = periodMonths.join(spans, new String[]{"org", "period_type", "period"})
                .select("org", "month_date", "_from", "_to").distinct();
        // each line joins the one or two spans holding its month and is summed per beneficiary and
        // span: no month grain (count needs it, this does not), one aggregation fewer at the beneficiary grain
        Dataset<Row> perSpan = byBeneficiary(lines, partitions)
                .join(broadcast(spanMonths), new String[]{"org", "month_date"})
                // org stays in the key: the lines' partitioning by beneficiary serves this aggregation too
                .groupBy("ben", "org", "_from", "_to", first, second)
                .agg(thousandths().as("qm"));
        return atEveryLevel(perSpan, "_from", "_to")
                .filter(col("qm").gt(0))
                .groupBy("org", "_from", "_to", first, second)
                .agg(org.apache.spark.sql.functions.count(lit(1)).as("consumers"))
                .join(broadcast(spans), new String[]{"org", "_from", "_to"})
                .select("org", "period_type", "period", first, second, "consumers");
    }

    /**
     * Quantities (thousandths, as longs) per fund, month, beneficiary and category, at every
     * level; the lines shuffled once, by beneficiary.
     */
    private Dataset<Row> perBeneficiaryMonth(Dataset<Row> lines, int partitions) {
        return atEveryLevel(byBeneficiary(lines, partitions).groupBy("org", "month_date", first, second, "ben")
                .agg(thousandths().as("qm")), "month_date");
    }

    /** The lines with a beneficiary, shuffled by it: every aggregation after is keyed by it and needs no other shuffle. */
    private static Dataset<Row> byBeneficiary(Dataset<Row> lines, int partitions) {
        return lines.filter(col("ben").isNotNull()).repartition(partitions, col("ben"));
    }

    /** Exact thousandths as longs: the sign tests need no decimal arithmetic. */
    private static Column thousandths() {
        return sum(col("quantity").multiply(lit(1000)).cast("bigint"));
    }

    /** {@code qm} per beneficiary and category summed again at every level of the categories, per fund and {@code grain}. */
    private Dataset<Row> atEveryLevel(Dataset<Row> perCategory, String... grain) {
        Column[] atLevels = levels.stream().map(l -> struct(l[0].as("a"), l[1].as("b"))).toArray(Column[]::new);
        List<Column> key = new ArrayList<>(List.of(col("org"), col("_lv.a").as(first), col("_lv.b").as(second), col("ben")));
        for (String g : grain) {
            key.add(col(g));
        }
        return perCategory.withColumn("_lv", explode(array(atLevels)))
                .groupBy(key.toArray(Column[]::new))
                .agg(sum("qm").as("qm"));
    }

    private static Column event(int type, Column t, Column d) {
        return struct(lit(type).as("type"), t.cast("int").as("t"), d.as("d"));
    }

    /** The category columns, then more columns (names or Columns). */
    private static Column[] cols(String[] names, Object... more) {
        List<Column> out = new ArrayList<>();
        for (String n : names) {
            out.add(col(n));
        }
        for (Object m : more) {
            out.add(m instanceof Column c ? c : col((String) m));
        }
        return out.toArray(Column[]::new);
    }
}
