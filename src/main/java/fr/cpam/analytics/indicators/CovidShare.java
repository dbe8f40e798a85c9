package fr.cpam.analytics.indicators;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.reference.ReferenceData;
import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.*;

/**
 * {@code covid_share}: the part of a domain's reimbursements due to Covid-19, per source, fund
 * and period, against the same period a year earlier; and {@code covid_ij_motives}: Covid IJ by
 * derogatory motive.
 *
 * <p>Domains: {@code INDEMNITES_JOURNALIERES} (IJ payments linked to a notice with a Covid
 * motive, see {@link IjPayments}), {@code IJ_MALADIE_COURT} (the same within maladie &lt; 3
 * months), {@code BIOLOGIE} (lines whose NABM code is a Covid test on the care date), every
 * other poste where the reference data marks Covid natures (vaccination acts by doctors,
 * nurses, pharmacists), and {@code TOTAL} (all soins de ville). Open DAMIR has neither NABM
 * codes nor notices: only its nature-marked postes are computed.
 */
public final class CovidShare {

    public static final String TABLE = "covid_share";
    public static final String MOTIVES = "covid_ij_motives";

    /**
     * The state {@code covid_share} is computed from: total and Covid amounts per source, fund,
     * payment month and domain, one partition per month. A night replaces the months it changed
     * and reads the 24 months its periods need from here instead of the claims.
     */
    public static final String DOMAIN_MONTHS = "covid_domain_months";

    /** {@code domainMonthRows}: rows written to {@link #DOMAIN_MONTHS} (-1 under the care basis, which keeps none). */
    public record Result(long rows, long motiveRows, long domainMonthRows) {
    }

    private final Warehouse warehouse;
    private final JobConfig config;
    private final RunContext run;
    private final List<YearMonth> changedMonths;
    private final boolean linkedTable;

    private CovidShare(Warehouse warehouse, JobConfig config, RunContext run, List<YearMonth> changedMonths, boolean linkedTable) {
        this.warehouse = Objects.requireNonNull(warehouse);
        this.config = config == null ? JobConfig.defaults() : config;
        this.run = run == null ? new RunContext("compute") : run;
        this.changedMonths = changedMonths;
        this.linkedTable = linkedTable;
    }

    /** {@code CovidShare.of(warehouse, config, run).changedMonths(months).execute()}. */
    public static CovidShare of(Warehouse warehouse, JobConfig config, RunContext run) {
        return new CovidShare(warehouse, config, run, null, false);
    }

    /**
     * Recompute only the periods these payment months affect (null or empty: everything). The
     * caller passes null when sick-leave notices changed: a notice can relink payments of any month.
     */
    public CovidShare changedMonths(List<YearMonth> months) {
        return new CovidShare(warehouse, config, run, months, linkedTable);
    }

    /**
     * Read the IJ payments from {@code ij_payments} instead of linking them to their notices
     * again: for a caller that has just written that table from the same claims and notices
     * (the IJ family, earlier in the same run). Never for a table a past run left.
     */
    public CovidShare fromLinkedPayments(boolean linkedTable) {
        return new CovidShare(warehouse, config, run, changedMonths, linkedTable);
    }

    /** Postes with Covid natures in the reference data (plus BIOLOGIE through its NABM list). */
    static List<String> markedPostes() {
        TreeSet<String> postes = new TreeSet<>();
        for (ReferenceData.NatureMapping m : ReferenceData.natureMappings()) {
            if (m.covid()) {
                postes.add(m.poste());
            }
        }
        return new ArrayList<>(postes);
    }

    public Result execute() {
        boolean care = IndicatorInputs.careBasis(config);
        // under the care basis a changed payment month can touch any care month: recompute all
        boolean incremental = changedMonths != null && !changedMonths.isEmpty() && !care && warehouse.exists(TABLE)
                && warehouse.exists(DOMAIN_MONTHS) && (!warehouse.exists("claims") || warehouse.exists(MOTIVES));
        String affected = incremental ? Periods.predicate(Periods.affected(changedMonths)) : null;
        YearMonth[] range = incremental ? Periods.neededMonths(changedMonths) : null;
        if (!warehouse.exists("claims") && !warehouse.exists("opendamir")) {
            throw new IllegalStateException("no claims or opendamir table in " + warehouse.root() + ": run ingest first");
        }
        // the IJ payments linked to their notices, of the months read: the IJ domains and the motives
        Dataset<Row> ij = warehouse.exists("claims")
                ? payments(range).withColumn("month_date", claimMonth(care)).persist(StorageLevel.MEMORY_AND_DISK()) : null;
        try {
            Dataset<Row> monthly;
            long domainMonthRows = -1;
            if (care) {
                // the stored domain months would no longer follow the claims: a later payment-basis run rebuilds them
                warehouse.drop(DOMAIN_MONTHS);
                monthly = domainMonths(null, true, ij);
            } else {
                domainMonthRows = run.stage("covid: domain months",
                        () -> Publish.writeMonths(warehouse, domainMonths(incremental ? changedMonths : null, false, ij),
                                DOMAIN_MONTHS, incremental ? changedMonths : null));
                monthly = Publish.readMonths(warehouse, DOMAIN_MONTHS, range);
            }
            // every in-scope line has a month row (a TOTAL or, in Open DAMIR, a null domain), so the
            // domain months are also the months with data. With a range, the affected periods and the
            // year-earlier ones they compare with are whole in it; periods cut by its edges come out
            // wrong here but are filtered out before writing
            Dataset<Row> coverage = Periods.coverage(monthly.select("source", "org", "month_date").distinct(),
                            List.of("source", "org"))
                    .filter(col("published")).select("source", "org", "period_type", "period", "complete");
            Dataset<Row> byPeriod = Periods.expand(monthly.filter(col("domain").isNotNull()), "month_date")
                    .groupBy("source", "org", "period_type", "period", "domain")
                    .agg(sum("total_amount").as("total_amount"), sum("covid_amount").as("covid_amount"))
                    .join(broadcast(coverage), new String[]{"source", "org", "period_type", "period"});
            Dataset<Row> result = Periods.withPrevious(byPeriod, List.of("source", "org", "domain"),
                            List.of("total_amount", "covid_amount"))
                    .select(col("source"), col("org"), col("period_type"), col("period"), col("domain"),
                            Evolution.eur(col("total_amount")).as("total_amount"), Evolution.eur(col("covid_amount")).as("covid_amount"),
                            Evolution.share(col("covid_amount"), col("total_amount")).as("covid_share_pct"),
                            Evolution.eur(col("total_amount_prev")).as("total_amount_prev"),
                            Evolution.eur(col("covid_amount_prev")).as("covid_amount_prev"),
                            Evolution.share(col("covid_amount_prev"), col("total_amount_prev")).as("covid_share_pct_prev"),
                            Evolution.pct(col("covid_amount"), col("covid_amount_prev")).as("covid_evolution_pct"),
                            Evolution.pct(col("total_amount"), col("total_amount_prev")).as("total_evolution_pct"),
                            col("complete"), lit(run.runId()).as("run_id"));
            long rows = run.stage("covid: write", () -> Publish.write(warehouse, only(result, affected), TABLE, affected, 2));
            Dataset<Row> linked = ij;
            long motiveRows = linked == null ? 0 : run.stage("covid motives: write",
                    () -> Publish.write(warehouse, only(motives(linked, coverage), affected), MOTIVES, affected, 2));
            return new Result(rows, motiveRows, domainMonthRows);
        } finally {
            if (ij != null) {
                ij.unpersist();
            }
        }
    }

    private static Column claimMonth(boolean care) {
        return IndicatorInputs.monthDate(care ? col("care_month") : col("pay_month"));
    }

    /** In-scope IJ payments linked to their notices, of these payment months (null: all). */
    private Dataset<Row> payments(YearMonth[] range) {
        return linkedTable ? IndicatorInputs.limit(warehouse.read(IjPayments.TABLE), range)
                : IjPayments.link(warehouse, IndicatorInputs.limit(warehouse.read("claims"), range));
    }

    /**
     * Total and Covid amounts per source, fund, month and domain, from the lines of the given
     * payment months (null: all): one pass over the claims, where each line feeds its poste's
     * domain (if Covid-marked) and TOTAL, IJ lines through their linked payments; Open DAMIR's
     * marked postes, and a row with a null domain for its other in-scope rows, which only says
     * the month has data. {@code ij}: the linked IJ payments of (at least) those months, with
     * their {@code month_date}.
     */
    private Dataset<Row> domainMonths(List<YearMonth> months, boolean care, Dataset<Row> ij) {
        List<String> marked = markedPostes();
        List<Dataset<Row>> parts = new ArrayList<>();
        if (warehouse.exists("claims")) {
            Dataset<Row> claims = warehouse.read("claims");
            Dataset<Row> pay = ij;
            if (months != null) {
                claims = claims.filter(IndicatorInputs.inPayMonths(months));
                pay = pay.filter(IndicatorInputs.inPayMonths(months));
            }
            List<String> postes = new ArrayList<>(marked);
            postes.add("BIOLOGIE");
            Column domains = array(when(col("poste").isin(postes.toArray()), col("poste")),
                    when(col("poste").notEqual("INDEMNITES_JOURNALIERES"), lit("TOTAL")));
            // summed per poste and Covid mark before a row is made per domain: a few hundred rows
            // a month go through the explode instead of every line. Cast back to the lines' amount
            // type so the state table keeps its schema (a night replaces months of a table an older
            // version wrote); a fund's month of one poste is far below its 10^12 EUR.
            Dataset<Row> perPoste = claims.filter(col("in_scope"))
                    .groupBy(col("ORG_AFF_BEN").as("org"), claimMonth(care).as("month_date"), col("poste"), col("is_covid"))
                    .agg(sum("amount").cast(claims.schema().apply("amount").dataType()).as("amount"));
            parts.add(amounts(perPoste, IndicatorInputs.DCIR, col("org"), col("month_date"),
                    explode(domains), col("is_covid")).filter(col("domain").isNotNull()));
            Column ijDomains = array(lit("INDEMNITES_JOURNALIERES"), lit("TOTAL"),
                    when(col("sous_poste").equalTo("MALADIE_COURT"), lit("IJ_MALADIE_COURT")));
            parts.add(amounts(pay, IndicatorInputs.DCIR, col("org"), col("month_date"), explode(ijDomains), col("is_covid_ij"))
                    .filter(col("domain").isNotNull()));
        }
        if (warehouse.exists("opendamir")) {
            Dataset<Row> od = warehouse.read("opendamir");
            if (months != null) {
                od = od.filter(IndicatorInputs.inPayMonths(months));
            }
            Column month = IndicatorInputs.monthDate(care ? coalesce(col("care_month"), col("pay_month")) : col("pay_month"));
            parts.add(amounts(od.filter(col("in_scope")), IndicatorInputs.OPENDAMIR, col("ORG_CLE_REG"), month,
                    when(col("poste").isin(marked.toArray()), col("poste")), col("is_covid")));
        }
        Dataset<Row> lines = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            lines = lines.unionByName(parts.get(i));
        }
        return lines.groupBy("source", "org", "month_date", "domain")
                .agg(sum("total").as("total_amount"), sum("covid").as("covid_amount"));
    }

    /** One source's lines as source, org, month_date, domain, total (the amount) and covid (the amount if flagged). */
    private static Dataset<Row> amounts(Dataset<Row> lines, String source, Column org, Column month, Column domain, Column covid) {
        return lines.select(lit(source).as("source"), org.as("org"), month.as("month_date"), domain.as("domain"),
                col("amount").as("total"), when(covid, col("amount")).otherwise(lit(0)).as("covid"));
    }

    /** Covid IJ by derogatory motive, with its share of all IJ and of Covid IJ. */
    private Dataset<Row> motives(Dataset<Row> ij, Dataset<Row> coverage) {
        Dataset<Row> dcirCoverage = coverage.filter(col("source").equalTo(IndicatorInputs.DCIR)).drop("source");
        Dataset<Row> monthly = ij.groupBy(col("org"), col("month_date"), coalesce(col("ARR_DRG_MTF"), lit("NON_COVID")).as("motive"))
                .agg(sum("amount").as("amount"), sum("days").as("days"), count(lit(1)).as("payments"));
        Dataset<Row> byPeriod = Periods.expand(monthly, "month_date")
                .groupBy("org", "period_type", "period", "motive")
                .agg(sum("amount").as("amount"), sum("days").as("days"), sum("payments").as("payments"))
                .join(broadcast(dcirCoverage), new String[]{"org", "period_type", "period"});
        org.apache.spark.sql.expressions.WindowSpec samePeriod =
                org.apache.spark.sql.expressions.Window.partitionBy("org", "period_type", "period");
        Column covid = col("motive").notEqual("NON_COVID");
        return Periods.withPrevious(byPeriod, List.of("org", "motive"), List.of("amount"))
                .withColumn("_ij", sum("amount").over(samePeriod))
                .withColumn("_covid", sum(when(covid, col("amount"))).over(samePeriod))
                .select(col("org"), col("period_type"), col("period"), col("motive"), Evolution.eur(col("amount")).as("amount"),
                        col("days").cast("decimal(18,3)").as("days"), col("payments"),
                        Evolution.share(col("amount"), col("_ij")).as("share_of_ij_pct"),
                        when(covid, Evolution.share(col("amount"), col("_covid"))).as("share_of_covid_ij_pct"),
                        Evolution.eur(col("amount_prev")).as("amount_prev"),
                        Evolution.pct(col("amount"), col("amount_prev")).as("evolution_pct"),
                        col("complete"), lit(run.runId()).as("run_id"));
    }

    private static Dataset<Row> only(Dataset<Row> rows, String affected) {
        return affected == null ? rows : rows.filter(expr(affected));
    }
}
