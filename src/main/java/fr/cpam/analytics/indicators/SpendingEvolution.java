package fr.cpam.analytics.indicators;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.spark.Sparks;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.*;

/**
 * {@code spending_evolution}: per source, fund, period and category (sous-poste, poste, total),
 * the amount reimbursed and its evolution on the same period a year earlier, share of the total,
 * contribution to the total's evolution, consumers and amount per consumer, quantities.
 *
 * <p>Amounts: the lines aggregated to month x sous-poste, expanded into every period a month
 * belongs to and rolled up over the categories (grouping sets); the same small table gives
 * each period's coverage. Consumers: {@link Consumers}, exact, from the lines shuffled once by
 * beneficiary (by interval counting for every period, or, in a night, by summing per beneficiary
 * over the few periods it replaces). Everything is one plan, run by the write.
 *
 * <p>Incremental: given the payment months that changed, only the affected periods (their own
 * and the ones a year later that compare with them) are recomputed, from the partitions they
 * need, and replaced in the table.
 */
public final class SpendingEvolution {

    public static final String TABLE = "spending_evolution";

    /**
     * The state the amounts, quantities and coverage are computed from: per source, fund, payment
     * month and category (poste, sous-poste), the amount and the quantity, one partition per month.
     * A night replaces the months it changed and reads the 12 months its periods span from here;
     * only the consumers still need the lines of those months.
     */
    public static final String CATEGORY_MONTHS = "category_months";

    /**
     * Typed outcome: rows written, whether the run was incremental, the periods recomputed (null:
     * all), and rows written to {@link #CATEGORY_MONTHS} (-1 under the care basis, which keeps none).
     */
    public record Result(long rows, boolean incremental, Map<String, TreeSet<String>> periods, long categoryMonthRows) {
    }

    private final Warehouse warehouse;
    private final JobConfig config;
    private final RunContext run;
    private final List<YearMonth> changedMonths;

    private SpendingEvolution(Builder b) {
        this.warehouse = Objects.requireNonNull(b.warehouse);
        this.config = b.config == null ? JobConfig.defaults() : b.config;
        this.run = b.run == null ? new RunContext("compute") : b.run;
        this.changedMonths = b.changedMonths;
    }

    public static Builder builder(Warehouse warehouse) {
        return new Builder(warehouse);
    }

    public static final class Builder {
        private final Warehouse warehouse;
        private JobConfig config;
        private RunContext run;
        private List<YearMonth> changedMonths;

        private Builder(Warehouse warehouse) {
            this.warehouse = warehouse;
        }

        public Builder config(JobConfig config) {
            this.config = config;
            return this;
        }

        public Builder run(RunContext run) {
            this.run = run;
            return this;
        }

        /** Recompute only what these payment months change (null or empty: everything). */
        public Builder changedMonths(List<YearMonth> months) {
            this.changedMonths = months;
            return this;
        }

        public SpendingEvolution build() {
            return new SpendingEvolution(this);
        }
    }

    public Result execute() {
        SparkSession spark = warehouse.spark();
        run.attach(spark);
        boolean care = IndicatorInputs.careBasis(config);
        // under the care basis a changed payment month can touch any care month: recompute all
        boolean incremental = changedMonths != null && !changedMonths.isEmpty() && warehouse.exists(TABLE)
                && warehouse.exists(CATEGORY_MONTHS) && !care;
        Map<String, TreeSet<String>> affected = incremental ? Periods.affected(changedMonths) : null;
        // the year-earlier figures of the affected periods are read from the table, so only the
        // months the affected periods span are read (12 fewer than their comparison needs)
        YearMonth[] range = incremental ? Periods.spannedMonths(changedMonths) : null;

        Dataset<Row> lines = IndicatorInputs.lines(warehouse, config, range);
        Dataset<Row> monthly;
        long categoryMonthRows = -1;
        if (care) {
            // the stored category months would no longer follow the claims: a later payment-basis run rebuilds them.
            // Kept once computed (a few thousand rows): the coverage and the amounts read them, and
            // would otherwise each scan the lines (no job of their own: the write's job fills them)
            warehouse.drop(CATEGORY_MONTHS);
            monthly = categoryMonths(lines).persist(StorageLevel.MEMORY_AND_DISK());
        } else {
            // a night aggregates its changed months alone; its other months come from the state, so
            // the lines of the months read are scanned once, by the consumers
            Dataset<Row> changed = incremental ? IndicatorInputs.lines(warehouse, config, changedMonths) : lines;
            categoryMonthRows = run.stage("spending: category months", () -> Publish.writeMonths(warehouse,
                    categoryMonths(changed), CATEGORY_MONTHS, incremental ? changedMonths : null));
            monthly = Publish.readMonths(warehouse, CATEGORY_MONTHS, range);
        }
        try {
            // coverage from the months read: an affected period lies whole among them, and its
            // year-earlier twin's completeness comes from the table with its figures (a scan of the
            // whole table's fund and month columns for it cost two scans of every claim line)
            Dataset<Row> months = monthly.select("source", "org", "month_date").distinct();
            Dataset<Row> result = compute(spark, lines, monthly, months, affected);
            long rows = run.stage("spending: aggregate and write", () -> write(result, affected));
            return new Result(rows, incremental, affected, categoryMonthRows);
        } finally {
            monthly.unpersist();
        }
    }

    /** Amount and quantity per source, fund, month and category: every in-scope line has one, so these are also the months with data. */
    private static Dataset<Row> categoryMonths(Dataset<Row> lines) {
        return lines.groupBy("source", "org", "month_date", "poste", "sous_poste")
                .agg(sum("amount").as("amount"), sum("quantity").as("quantity"));
    }

    private Dataset<Row> compute(SparkSession spark, Dataset<Row> lines, Dataset<Row> monthly, Dataset<Row> months,
                                 Map<String, TreeSet<String>> affected) {
        Dataset<Row> coverage = Periods.coverage(months, List.of("source", "org"));
        Dataset<Row> published = coverage.filter(col("published"));
        if (affected != null) {
            published = published.filter(expr(Periods.predicate(affected)));
        }
        published = published.select("source", "org", "period_type", "period", "months_covered", "complete");
        // periods to compute: all (unpublished ones fall out at the skeleton join), or the affected ones.
        // A plain filter, not a join on these few keys: such a join would be skewed onto one task.
        Column wanted = affected == null ? lit(true) : expr(Periods.predicate(affected));

        // amounts and quantities: monthly totals expanded to periods, categories rolled up
        Dataset<Row> amounts = Sparks.sqlOver(Periods.expand(monthly, "month_date").filter(wanted), "SELECT source, org, period_type, period, "
                + "coalesce(poste, 'TOTAL') AS poste, coalesce(sous_poste, 'TOTAL') AS sous_poste, "
                + "sum(amount) AS amount, sum(quantity) AS quantity FROM {input} "
                + "GROUP BY GROUPING SETS ((source, org, period_type, period, poste, sous_poste), "
                + "(source, org, period_type, period, poste), (source, org, period_type, period))");

        // consumers: exact, per beneficiary then counted (Consumers); DCIR only, Open DAMIR has no beneficiary
        int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
        Dataset<Row> consumers;
        if (affected == null) {
            consumers = Consumers.POSTES.count(lines, partitions);
        } else {
            // a night: the few published periods it replaces, each from the months it spans
            Column dcir = col("source").equalTo(IndicatorInputs.DCIR);
            Dataset<Row> periodMonths = Periods.expand(monthly.filter(dcir).select("org", "month_date").distinct(), "month_date")
                    .join(published.filter(dcir).select("org", "period_type", "period"), new String[]{"org", "period_type", "period"});
            consumers = Consumers.POSTES.countFor(lines, periodMonths, partitions);
        }
        consumers = consumers.filter(wanted).withColumn("source", lit(IndicatorInputs.DCIR));
        String[] key = {"source", "org", "period_type", "period", "poste", "sous_poste"};
        // every category of the contract in every published period, at 0 when absent
        Dataset<Row> skeleton = broadcast(published).crossJoin(broadcast(Categories.table(spark)));
        Dataset<Row> cur = skeleton.join(amounts, key, "left").join(consumers, key, "left")
                .withColumn("amount", coalesce(col("amount"), lit(0)).cast("decimal(18,2)"))
                .withColumn("quantity", coalesce(col("quantity"), lit(0)).cast("decimal(18,3)"))
                .withColumn("consumers", when(col("source").equalTo(IndicatorInputs.DCIR), coalesce(col("consumers"), lit(0L))));

        // the same period one year earlier, by a window over the years of each (category, month of
        // year) rather than a self-join; periods not recomputed now come from the table
        Dataset<Row> rows = cur.withColumn("_recomputed", lit(true));
        if (affected != null && warehouse.exists(TABLE)) {
            Dataset<Row> stored = warehouse.read(TABLE).select("source", "org", "period_type", "period", "poste",
                    "sous_poste", "amount", "quantity", "consumers", "complete");
            // the periods recomputed are the published ones: the stored rows of all others are kept
            // (not cur's keys: that would plan the whole computation a second time for them)
            rows = rows.unionByName(stored.join(published.select("source", "org", "period_type", "period"),
                            new String[]{"source", "org", "period_type", "period"}, "left_anti")
                    .withColumn("_recomputed", lit(false)), true);
        }
        WindowSpec samePeriod = Window.partitionBy("source", "org", "period_type", "period");
        Column isTotal = col("poste").equalTo(Categories.TOTAL).and(col("sous_poste").equalTo(Categories.TOTAL));
        Dataset<Row> withPrev = Periods.withPrevious(rows, List.of("source", "org", "poste", "sous_poste"),
                        List.of("amount", "quantity", "consumers"))
                .filter(col("_recomputed"))
                .withColumn("evolution_eur", col("amount").minus(col("amount_prev")).cast("decimal(18,2)"))
                .withColumn("_total", max(when(isTotal, col("amount"))).over(samePeriod))
                .withColumn("_total_evolution", max(when(isTotal, col("evolution_eur"))).over(samePeriod));
        return withPrev
                .select(col("source"), col("org"), col("period_type"), col("period"), col("poste"), col("sous_poste"),
                        col("libelle_poste"), col("libelle_sous_poste"),
                        col("amount"), col("amount_prev"), col("evolution_eur"),
                        Evolution.pct(col("amount"), col("amount_prev")).as("evolution_pct"),
                        Evolution.share(col("amount"), col("_total")).as("share_pct"),
                        Evolution.share(col("evolution_eur"), col("_total_evolution")).as("contribution_pct"),
                        col("consumers"), col("consumers_prev"),
                        Evolution.pct(col("consumers").cast("decimal(20,0)"), col("consumers_prev").cast("decimal(20,0)"))
                                .as("consumers_evolution_pct"),
                        round(try_divide(col("amount"), col("consumers").cast("decimal(20,0)")), 2).cast("decimal(18,2)")
                                .as("amount_per_consumer"),
                        // (a / c) / (a' / c') - 1 from the exact amounts and counts
                        round(try_divide(col("amount").multiply(col("consumers_prev").cast("decimal(20,0)")).multiply(lit(100)),
                                col("amount_prev").multiply(col("consumers").cast("decimal(20,0)"))).minus(lit(100)), 2)
                                .cast("decimal(12,2)").as("amount_per_consumer_evolution_pct"),
                        col("quantity"), col("quantity_prev"),
                        Evolution.pct(col("quantity"), col("quantity_prev")).as("quantity_evolution_pct"),
                        col("months_covered").cast("int").as("months_covered"), col("complete"), col("ordre"),
                        lit(run.runId()).as("run_id"));
    }

    private long write(Dataset<Row> result, Map<String, TreeSet<String>> affected) {
        return Publish.write(warehouse, result, TABLE, affected == null ? null : Periods.predicate(affected), 4);
    }
}
