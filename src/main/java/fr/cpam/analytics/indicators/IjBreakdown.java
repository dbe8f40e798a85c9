package fr.cpam.analytics.indicators;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.List;
import java.util.Objects;

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

    private IjBreakdown(Warehouse warehouse, JobConfig config, RunContext run) {
        this.warehouse = Objects.requireNonNull(warehouse);
        this.config = config == null ? JobConfig.defaults() : config;
        this.run = run == null ? new RunContext("compute") : run;
    }

    public static IjBreakdown of(Warehouse warehouse, JobConfig config, RunContext run) {
        return new IjBreakdown(warehouse, config, run);
    }

    public Result execute() {
        if (!warehouse.exists("claims")) {
            throw new IllegalStateException("no claims table in " + warehouse.root() + ": run ingest first");
        }
        SparkSession spark = warehouse.spark();
        boolean care = IndicatorInputs.careBasis(config);
        Dataset<Row> ij = IjPayments.link(warehouse, warehouse.read("claims"))
                .withColumn("month_date", IndicatorInputs.monthDate(care ? col("care_month") : col("pay_month")))
                .withColumn("run_id", lit(run.runId()));
        long payments = run.stage("ij: link payments to notices", () -> {
            ij.drop("month_date").coalesce(4).write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true")
                    .save(warehouse.path(IjPayments.TABLE));
            return warehouse.read(IjPayments.TABLE).count();
        });
        Dataset<Row> linked = warehouse.read(IjPayments.TABLE)
                .withColumn("month_date", IndicatorInputs.monthDate(care ? col("care_month") : col("pay_month")))
                .withColumn("ben", concat_ws("#", col("BEN_NIR_PSA"), col("BEN_RNG_GEM").cast("string")));
        long unlinked = linked.filter(not(col("linked"))).count();

        Dataset<Row> coverage = Periods.coverage(IndicatorInputs.lines(warehouse, config, null)
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
            long n = run.stage("ij: write", () -> {
                result.coalesce(2).write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true")
                        .save(warehouse.path(TABLE));
                return warehouse.read(TABLE).filter(col("run_id").equalTo(run.runId())).count();
            });
            return new Result(n, payments, unlinked);
        } finally {
            byBen.unpersist();
        }
    }
}
