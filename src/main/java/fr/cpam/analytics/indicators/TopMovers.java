package fr.cpam.analytics.indicators;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.*;

/**
 * {@code top_movers}: within each poste, the items whose reimbursements rose the most in euros
 * against the same period a year earlier: drugs (CIP13) for médicaments, biology acts (NABM),
 * technical acts (CCAM), and nature codes for every poste. Ties share a rank (SQL RANK); the
 * first {@code movers.top-n} ranks are kept.
 *
 * <p>One scan of the claims at item grain (every item type of a line at once, by exploding
 * them), then the same period expansion and coverage rules as {@link SpendingEvolution}.
 */
public final class TopMovers {

    public static final String TABLE = "top_movers";

    /**
     * The state the movers are computed from: the amount of every item per fund, payment month
     * and poste, one partition per month. A night replaces the months it changed and reads the
     * 24 months its periods need from here (a few hundred rows a month and fund) instead of the claims.
     */
    public static final String ITEM_MONTHS = "item_months";

    /** {@code itemMonthRows}: rows written to {@link #ITEM_MONTHS} (-1 under the care basis, which keeps none). */
    public record Result(long rows, boolean incremental, long itemMonthRows) {
    }

    private final Warehouse warehouse;
    private final JobConfig config;
    private final RunContext run;
    private final List<YearMonth> changedMonths;

    private TopMovers(Warehouse warehouse, JobConfig config, RunContext run, List<YearMonth> changedMonths) {
        this.warehouse = Objects.requireNonNull(warehouse);
        this.config = config == null ? JobConfig.defaults() : config;
        this.run = run == null ? new RunContext("compute") : run;
        this.changedMonths = changedMonths;
    }

    /** {@code TopMovers.of(warehouse, config, run).changedMonths(months).execute()}. */
    public static TopMovers of(Warehouse warehouse, JobConfig config, RunContext run) {
        return new TopMovers(warehouse, config, run, null);
    }

    public TopMovers changedMonths(List<YearMonth> months) {
        return new TopMovers(warehouse, config, run, months);
    }

    public Result execute() {
        if (!warehouse.exists("claims")) {
            throw new IllegalStateException("no claims table in " + warehouse.root() + ": run ingest first");
        }
        boolean care = IndicatorInputs.careBasis(config);
        // the item months are kept by payment month: under the care basis a changed payment month
        // can touch any care month, so that computation is always full
        boolean incremental = changedMonths != null && !changedMonths.isEmpty() && warehouse.exists(TABLE)
                && warehouse.exists(ITEM_MONTHS) && !care;
        Map<String, TreeSet<String>> affected = incremental ? Periods.affected(changedMonths) : null;
        YearMonth[] range = incremental ? Periods.neededMonths(changedMonths) : null;
        int topN = config.getInt("movers.top-n");

        Dataset<Row> claims = warehouse.read("claims").filter(col("in_scope"));
        Dataset<Row> monthly;
        long itemMonthRows = -1;
        if (care) {
            // the stored item months would no longer follow the claims: a later payment-basis run rebuilds them
            warehouse.drop(ITEM_MONTHS);
            monthly = itemMonths(claims, col("care_month"));
        } else {
            itemMonthRows = run.stage("movers: item months", () -> refreshItemMonths(claims, incremental ? changedMonths : null));
            monthly = Publish.readMonths(warehouse, ITEM_MONTHS, range);
        }

        // every in-scope line has an item (its nature, a required column), so the item months
        // are also the months with data
        Dataset<Row> coverage = Periods.coverage(monthly.select("org", "month_date").distinct(), List.of("org"));
        Dataset<Row> comparable = coverage.filter(col("published").and(col("comparable")));
        if (affected != null) {
            comparable = comparable.filter(expr(Periods.predicate(affected)));
        }
        comparable = broadcast(comparable.select("org", "period_type", "period"));

        // an item's amount in each period, and in the same period a year earlier
        Dataset<Row> expanded = Periods.expand(monthly, "month_date");
        if (affected != null) {
            // only the affected periods and the ones they compare with (a month feeds ~26 periods)
            expanded = expanded.filter(expr(Periods.predicate(Periods.withYearBefore(affected))));
        }
        Dataset<Row> byPeriod = expanded
                .groupBy("org", "period_type", "period", "poste", "item_type", "item_code")
                .agg(sum("amount").as("amount"));
        Dataset<Row> current = byPeriod.join(comparable, new String[]{"org", "period_type", "period"});
        Dataset<Row> previous = byPeriod.select(col("org").as("_o"), col("period_type").as("_t"), col("period").as("_p"),
                col("poste").as("_po"), col("item_type").as("_it"), col("item_code").as("_ic"), col("amount").as("amount_prev"));
        Column sameItemYearBefore = col("org").equalTo(col("_o")).and(col("period_type").equalTo(col("_t")))
                .and(col("poste").equalTo(col("_po"))).and(col("item_type").equalTo(col("_it")))
                .and(col("item_code").equalTo(col("_ic")));
        // items present only last year moved too (down): keep them with a current amount of 0
        Dataset<Row> prevOnly = previous.join(comparable.select(col("org").as("_co"), col("period_type").as("_ct"),
                        col("period").as("_cp")),
                col("_o").equalTo(col("_co")).and(col("_t").equalTo(col("_ct"))).and(col("_p").equalTo(Periods.previous(col("_cp")))))
                .select(col("_o").as("org"), col("_t").as("period_type"), col("_cp").as("period"), col("_po").as("poste"),
                        col("_it").as("item_type"), col("_ic").as("item_code"), lit(0).cast("decimal(28,2)").as("amount"));
        Dataset<Row> items2 = current.unionByName(prevOnly).groupBy("org", "period_type", "period", "poste", "item_type", "item_code")
                .agg(sum("amount").as("amount"));
        Dataset<Row> withPrev = items2.join(previous, sameItemYearBefore.and(Periods.previous(col("period")).equalTo(col("_p"))), "left")
                .drop("_o", "_t", "_p", "_po", "_it", "_ic")
                .withColumn("amount_prev", coalesce(col("amount_prev"), lit(0)))
                .withColumn("evolution_eur", col("amount").minus(col("amount_prev")));

        WindowSpec byPoste = Window.partitionBy("org", "period_type", "period", "poste", "item_type");
        WindowSpec ranking = byPoste.orderBy(col("evolution_eur").desc());
        Dataset<Row> ranked = withPrev
                .withColumn("poste_amount", sum("amount").over(byPoste))
                .withColumn("rank", rank().over(ranking))
                .filter(col("rank").leq(topN))
                .select(col("org"), col("period_type"), col("period"), col("poste"), col("item_type"), col("item_code"),
                        Evolution.eur(col("amount")).as("amount"), Evolution.eur(col("amount_prev")).as("amount_prev"),
                        Evolution.eur(col("evolution_eur")).as("evolution_eur"), col("rank"),
                        Evolution.share(col("amount"), col("poste_amount")).as("share_of_poste_pct"),
                        Evolution.pct(col("amount"), col("amount_prev")).as("evolution_pct"),
                        lit(run.runId()).as("run_id"));

        long rows = run.stage("movers: write", () -> Publish.write(warehouse, ranked, TABLE,
                affected == null ? null : Periods.predicate(affected), 2));
        return new Result(rows, incremental, itemMonthRows);
    }

    /**
     * Amount per fund, month, poste and item, in two levels: the lines summed per combination of
     * their item codes first (about as many combinations as items, since a drug, a biology act or
     * a technical act comes with one or two natures), then those few rows exploded into their
     * items and summed again. Exploding every line instead doubled the rows the hash aggregate took.
     * The first sum keeps the lines' amount type, so {@code item_months} keeps its schema.
     */
    private static Dataset<Row> itemMonths(Dataset<Row> claims, Column yyyyMm) {
        Dataset<Row> combinations = claims
                .groupBy(col("ORG_AFF_BEN").as("org"), IndicatorInputs.monthDate(yyyyMm).as("month_date"), col("poste"),
                        col("PRS_NAT_REF"), col("PHA_PRS_C13"), col("BIO_PRS_IDE"), col("CAM_PRS_IDE"))
                .agg(sum("amount").cast(claims.schema().apply("amount").dataType()).as("amount"));
        Column items = filter(array(
                item("NATURE", col("PRS_NAT_REF").cast("string")),
                item("CIP13", col("PHA_PRS_C13")),
                item("NABM", col("BIO_PRS_IDE").cast("string")),
                item("CCAM", col("CAM_PRS_IDE"))), i -> i.getField("code").isNotNull());
        return combinations.select(col("org"), col("month_date"), col("poste"), col("amount"), explode(items).as("item"))
                .groupBy(col("org"), col("month_date"), col("poste"), col("item.type").as("item_type"),
                        col("item.code").as("item_code"))
                .agg(sum("amount").as("amount"));
    }

    /**
     * Brings {@link #ITEM_MONTHS} up to date with the claims: the changed payment months
     * replaced from their partitions of the claims ({@code replaceWhere}), or (null) the whole
     * table rewritten ({@link Publish#writeMonths}).
     */
    private long refreshItemMonths(Dataset<Row> claims, List<YearMonth> months) {
        Dataset<Row> changed = months == null ? claims
                : claims.filter(IndicatorInputs.inPayMonths(months));
        return Publish.writeMonths(warehouse, itemMonths(changed, col("pay_month")), ITEM_MONTHS, months);
    }

    private static Column item(String type, Column code) {
        return struct(lit(type).as("type"), code.as("code"));
    }
}
