package fr.cpam.analytics.indicators;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.runlog.RunContext;
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

    private IjBreakdown(Warehouse warehouse, JobConfig config, RunContext run, List<YearMonth> changedMonths) {
        this.warehouse = Objects.requireNonNull(warehouse);
        this.config = config == null ? JobConfig.defaults() : config;
        this.run = run == null ? new RunContext("compute") : run;
        this.changedMonths = changedMonths;
    }

    /** {@code IjBreakdown.of(warehouse, config, run).changedMonths(months).execute()}. */
    public static IjBreakdown of(Warehouse warehouse, JobConfig config, RunContext run) {
        return new IjBreakdown(warehouse, config, run, null);
    }

    /**
     * Relink the payments of these payment months only and recompute the periods they affect
     * (null or empty: everything). The caller passes null when sick-leave notices changed.
     */
    public IjBreakdown changedMonths(List<YearMonth> months) {
        return new IjBreakdown(warehouse, config, run, months);
    }

    public Result execute() {
        if (!warehouse.exists("claims")) {
            throw new IllegalStateException("no claims table in " + warehouse.root() + ": run ingest first");
        }
        SparkSession spark = warehouse.spark();
        boolean care = IndicatorInputs.careBasis(config);
        boolean incremental = changedMonths != null && !changedMonths.isEmpty() && !care && warehouse.exists(TABLE)
                && warehouse.exists(IjPayments.TABLE);
        String affected = incremental ? Periods.predicate(Periods.affected(changedMonths)) : null;
        YearMonth[] range = incremental ? Periods.neededMonths(changedMonths) : null;
        // payments keep their link unless their own month changed (notices are unchanged, see changedMonths)
        String months = incremental ? "pay_month IN (" + changedMonths.stream().map(m -> "'" + m + "'")
                .collect(Collectors.joining(", ")) + ")" : null;
        Dataset<Row> claims = warehouse.read("claims");
        Dataset<Row> ij = IjPayments.link(warehouse, months == null ? claims : claims.filter(expr(months)))
                .withColumn("run_id", lit(run.runId()));
        run.stage("ij: link payments to notices", () -> Publish.write(warehouse, ij, IjPayments.TABLE, months, 4));
        Dataset<Row> all = warehouse.read(IjPayments.TABLE);
        // all payments and the unlinked ones in one pass
        Row counts = all.agg(count(lit(1)), count_if(not(col("linked")))).first();
        long payments = counts.getLong(0);
        long unlinked = counts.getLong(1);
        Dataset<Row> linked = IndicatorInputs.limit(all, range)
                .withColumn("month_date", IndicatorInputs.monthDate(care ? col("care_month") : col("pay_month")))
                .withColumn("ben", concat_ws("#", col("BEN_NIR_PSA"), col("BEN_RNG_GEM").cast("string")));

        // with a range, the affected periods and the year-earlier ones they compare with are whole in
        // it; periods cut by its edges come out wrong here but are filtered out before writing
        Dataset<Row> coverage = Periods.coverage(IndicatorInputs.lines(warehouse, config, range)
                        .filter(col("source").equalTo(IndicatorInputs.DCIR)).select("org", "month_date").distinct(), List.of("org"))
                .filter(col("published")).select("org", "period_type", "period", "complete");

        // beneficiary x month x risk x duration, then the same expansion and grouping sets as spending
        Dataset<Row> byBen = linked.groupBy("org", "month_date", "risk", "duration", "ben")
                .agg(sum("amount").as("amount"), sum("days").as("days"),
                        sum(when(col("is_covid_ij"), col("amount")).otherwise(lit(0))).as("covid_amount"),
                        sum(when(not(col("linked")), 1).otherwise(0)).as("unlinked_payments"),
                        sum(when(not(col("linked")), col("amount")).otherwise(lit(0))).as("unlinked_amount"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Periods.expand(byBen, "month_date").createOrReplaceTempView("_ij_ben");
            Dataset<Row> rows = spark.sql("SELECT org, period_type, period, coalesce(risk, 'TOUS') AS risk, "
                    + "coalesce(duration, 'TOUS') AS duration, sum(amount) AS amount, sum(days) AS days, "
                    + "count_if(ben_days > 0) AS beneficiaries, sum(covid_amount) AS covid_amount, "
                    + "sum(unlinked_payments) AS unlinked_payments, sum(unlinked_amount) AS unlinked_amount FROM ("
                    + "  SELECT org, period_type, period, risk, duration, ben, sum(amount) AS amount, sum(days) AS days, "
                    + "  sum(days) AS ben_days, sum(covid_amount) AS covid_amount, sum(unlinked_payments) AS unlinked_payments, "
                    + "  sum(unlinked_amount) AS unlinked_amount FROM _ij_ben "
                    + "  GROUP BY GROUPING SETS ((org, period_type, period, ben, risk, duration), (org, period_type, period, ben, risk), "
                    + "  (org, period_type, period, ben, duration), (org, period_type, period, ben))) "
                    + "GROUP BY org, period_type, period, risk, duration")
                    .join(broadcast(coverage), new String[]{"org", "period_type", "period"});
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
        } finally {
            byBen.unpersist();
        }
    }
}
