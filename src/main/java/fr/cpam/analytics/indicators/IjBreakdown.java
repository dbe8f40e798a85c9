package fr.cpam.analytics.indicators;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.spark.Sparks;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.time.YearMonth;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.*;

/**
 * {@code ij_breakdown}: IJ (indemnités journalières) per fund and period, by risk (MALADIE,
 * AT_MP, MATERNITE, PATERNITE, AUTRE, TOUS) and duration (COURT &lt; 3 months, LONG, INCONNUE,
 * TOUS): amount, days paid, beneficiaries, evolutions, average daily amount, Covid amount
 * and share, and the payments no notice could be linked to. Also writes {@code ij_payments}:
 * every IJ payment line with its notice, risk and duration, for analysts.
 */
public final class IjBreakdown {

    public static final String TABLE = "ij_breakdown";

    public record Result(long rows, long payments, long unlinked) {
    }

    private final Warehouse warehouse;
    private final JobConfig config;
    private final RunContext run;
    private final List<YearMonth> changedMonths;
    private final boolean fromCategoryMonths;

    private IjBreakdown(Warehouse warehouse, JobConfig config, RunContext run, List<YearMonth> changedMonths,
                        boolean fromCategoryMonths) {
        this.warehouse = Objects.requireNonNull(warehouse);
        this.config = config == null ? JobConfig.defaults() : config;
        this.run = run == null ? new RunContext("compute") : run;
        this.changedMonths = changedMonths;
        this.fromCategoryMonths = fromCategoryMonths;
    }

    /** {@code IjBreakdown.of(warehouse, config, run).changedMonths(months).execute()}. */
    public static IjBreakdown of(Warehouse warehouse, JobConfig config, RunContext run) {
        return new IjBreakdown(warehouse, config, run, null, false);
    }

    /**
     * Relink the payments of these payment months only and recompute the periods they affect
     * (null or empty: everything). The caller passes null when sick-leave notices changed.
     */
    public IjBreakdown changedMonths(List<YearMonth> months) {
        return new IjBreakdown(warehouse, config, run, months, fromCategoryMonths);
    }

    /**
     * Whether the months with data may be read from spending's {@code category_months} rather than
     * from the claims: only for a caller whose spending family has just written it in this run from
     * the same claims. Never for a state a past run left.
     */
    public IjBreakdown fromCategoryMonths(boolean justWritten) {
        return new IjBreakdown(warehouse, config, run, changedMonths, justWritten);
    }

    public Result execute() {
        if (!warehouse.exists("claims")) {
            throw new IllegalStateException("no claims table in " + warehouse.root() + ": run ingest first");
        }
        boolean care = IndicatorInputs.careBasis(config);
        boolean incremental = changedMonths != null && !changedMonths.isEmpty() && !care && warehouse.exists(TABLE)
                && warehouse.exists(IjPayments.TABLE);
        String affected = incremental ? Periods.predicate(Periods.affected(changedMonths)) : null;
        YearMonth[] range = incremental ? Periods.neededMonths(changedMonths) : null;
        // payments keep their link unless their own month changed (notices are unchanged, see changedMonths)
        String changedPayMonths = incremental ? "pay_month IN (" + changedMonths.stream().map(m -> "'" + m + "'")
                .collect(Collectors.joining(", ")) + ")" : null;
        Dataset<Row> claims = warehouse.read("claims");
        Dataset<Row> ij = IjPayments.link(warehouse, changedPayMonths == null ? claims : claims.filter(expr(changedPayMonths)))
                .withColumn("run_id", lit(run.runId()));
        run.stage("ij: link payments to notices", () -> Publish.write(warehouse, ij, IjPayments.TABLE, changedPayMonths, 4));
        Dataset<Row> all = warehouse.read(IjPayments.TABLE);
        // all payments and the unlinked ones in one pass
        Row counts = all.agg(count(lit(1)), count_if(not(col("linked")))).first();
        long payments = counts.getLong(0);
        long unlinked = counts.getLong(1);
        Dataset<Row> linked = IndicatorInputs.limit(all, range)
                .withColumn("month_date", IndicatorInputs.monthDate(care ? col("care_month") : col("pay_month")));

        // with a range, the affected periods and the year-earlier ones they compare with are whole in
        // it; periods cut by its edges come out wrong here but are filtered out before writing.
        // Read twice (coverage, and a night's periods for the beneficiaries): kept, a few hundred rows
        Dataset<Row> months = monthsWithData(care, range).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return write(linked, months, affected, payments, unlinked);
        } finally {
            months.unpersist();
        }
    }

    /** The periods of the payments read, with the months that have data, written to {@link #TABLE}. */
    private Result write(Dataset<Row> linked, Dataset<Row> months, String affected, long payments, long unlinked) {
        SparkSession spark = warehouse.spark();
        Dataset<Row> coverage = Periods.coverage(months, List.of("org"))
                .filter(col("published")).select("org", "period_type", "period", "complete");

        // amounts per fund, month, risk and duration (a few thousand rows), expanded to the periods,
        // risk and duration rolled up to TOUS
        Dataset<Row> monthly = linked.groupBy("org", "month_date", "risk", "duration")
                .agg(sum("amount").as("amount"), sum("days").as("days"),
                        sum(when(col("is_covid_ij"), col("amount")).otherwise(lit(0))).as("covid_amount"),
                        sum(when(not(col("linked")), 1).otherwise(0)).as("unlinked_payments"),
                        sum(when(not(col("linked")), col("amount")).otherwise(lit(0))).as("unlinked_amount"));
        Dataset<Row> amounts = Sparks.sqlOver(Periods.expand(monthly, "month_date"), "SELECT org, period_type, period, coalesce(risk, 'TOUS') AS risk, "
                + "coalesce(duration, 'TOUS') AS duration, sum(amount) AS amount, sum(days) AS days, "
                + "sum(covid_amount) AS covid_amount, sum(unlinked_payments) AS unlinked_payments, "
                + "sum(unlinked_amount) AS unlinked_amount FROM {input} "
                + "GROUP BY GROUPING SETS ((org, period_type, period, risk, duration), (org, period_type, period, risk), "
                + "(org, period_type, period, duration), (org, period_type, period))");

        // beneficiaries: those whose days over the period sum to more than zero (regularisations
        // cancel), counted as spending counts its consumers; a night counts its affected periods only
        Dataset<Row> days = linked.select(col("org"), col("month_date"), col("risk"), col("duration"),
                IndicatorInputs.beneficiary().as("ben"), col("days").as("quantity"));
        int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
        Dataset<Row> beneficiaries = affected == null
                ? Consumers.RISKS_AND_DURATIONS.count(days, partitions)
                : Consumers.RISKS_AND_DURATIONS.countFor(days, Periods.expand(months, "month_date").filter(expr(affected)), partitions);
        Dataset<Row> rows = amounts.join(broadcast(coverage), new String[]{"org", "period_type", "period"})
                .join(beneficiaries.withColumnRenamed("consumers", "beneficiaries"),
                        new String[]{"org", "period_type", "period", "risk", "duration"}, "left")
                .withColumn("beneficiaries", coalesce(col("beneficiaries"), lit(0L)));
        Dataset<Row> result = Periods.withPrevious(rows, List.of("org", "risk", "duration"), List.of("amount", "days"))
                .select(col("org"), col("period_type"), col("period"), col("risk"), col("duration"),
                        Evolution.eur(col("amount")).as("amount"), col("days").cast("decimal(18,3)").as("days"),
                        col("beneficiaries"), Evolution.eur(col("amount_prev")).as("amount_prev"),
                        Evolution.pct(col("amount"), col("amount_prev")).as("evolution_pct"),
                        col("days_prev").cast("decimal(18,3)").as("days_prev"),
                        Evolution.pct(col("days"), col("days_prev")).as("days_evolution_pct"),
                        round(try_divide(col("amount"), col("days")), 2).cast("decimal(18,2)").as("avg_daily_amount"),
                        Evolution.eur(col("covid_amount")).as("covid_amount"),
                        Evolution.share(col("covid_amount"), col("amount")).as("covid_share_pct"),
                        col("unlinked_payments"), Evolution.eur(col("unlinked_amount")).as("unlinked_amount"),
                        col("complete"), lit(run.runId()).as("run_id"));
        Dataset<Row> published = affected == null ? result : result.filter(expr(affected));
        long n = run.stage("ij: write", () -> Publish.write(warehouse, published, TABLE, affected, 2));
        return new Result(n, payments, unlinked);
    }

    /**
     * The DCIR months with data per fund, of the range read: from spending's monthly state when
     * spending has just written it in this run, else from a scan of the claims' fund column.
     */
    private Dataset<Row> monthsWithData(boolean care, YearMonth[] range) {
        Dataset<Row> months = fromCategoryMonths && !care && warehouse.exists(SpendingEvolution.CATEGORY_MONTHS)
                ? Publish.readMonths(warehouse, SpendingEvolution.CATEGORY_MONTHS, range)
                : IndicatorInputs.lines(warehouse, config, range);
        return months.filter(col("source").equalTo(IndicatorInputs.DCIR)).select("org", "month_date").distinct();
    }
}
