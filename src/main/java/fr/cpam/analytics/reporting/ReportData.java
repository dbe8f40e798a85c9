package fr.cpam.analytics.reporting;

import fr.cpam.analytics.indicators.Categories;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.*;

/**
 * The figures of one fund's year, read from the indicator tables: a few hundred aggregate rows
 * (postes, sous-postes, months, domains, risks, signals), never claim lines. Everything the
 * narrative and the charts say comes from here.
 */
public record ReportData(String source, String org, int year, boolean complete,
                         Category total, List<Category> postes, Map<String, List<Category>> sousPostes,
                         List<BigDecimal> months, List<BigDecimal> monthsPrev,
                         Map<String, Covid> covid, Map<Integer, Map<String, BigDecimal>> covidShareByYear,
                         List<Risk> risks, Map<String, List<Mover>> movers,
                         List<SignalSummary> fraud, List<FileSummary> files, List<QuarantineReason> quarantine) {

    /** One row of spending_evolution (YEAR period). Nullable fields are null when not meaningful. */
    public record Category(String poste, String sousPoste, String label, BigDecimal amount, BigDecimal amountPrev,
                           BigDecimal evolutionEur, BigDecimal evolutionPct, BigDecimal sharePct, BigDecimal contributionPct,
                           Long consumers, BigDecimal consumersEvolutionPct, BigDecimal amountPerConsumer,
                           BigDecimal amountPerConsumerEvolutionPct) {
    }

    /** One domain of covid_share (YEAR period). */
    public record Covid(String domain, BigDecimal total, BigDecimal covid, BigDecimal sharePct, BigDecimal covidPrev,
                        BigDecimal sharePctPrev) {
    }

    /** One risk of ij_breakdown (YEAR period, all durations). */
    public record Risk(String risk, BigDecimal amount, BigDecimal amountPrev, BigDecimal evolutionPct, Long beneficiaries) {
    }

    /** One item of top_movers (YEAR period). */
    public record Mover(String poste, String itemType, String itemCode, BigDecimal amount, BigDecimal amountPrev,
                        BigDecimal evolutionEur, int rank) {
    }

    /** Leads of one signal for the fund and year: counts and amounts only, no identifier. */
    public record SignalSummary(String signal, long leads, long entities, BigDecimal amountAtStake) {
    }

    /** Files loaded per dataset (the whole warehouse: files are not per fund). */
    public record FileSummary(String dataset, long files, long rejected, long linesRead, long linesLoaded,
                              long linesQuarantined, BigDecimal amountLoaded) {
    }

    public record QuarantineReason(String dataset, String reason, long lines) {
    }

    /** The funds the report can be written for, per source: DCIR funds first, else Open DAMIR regions. */
    public static List<String[]> funds(Warehouse wh) {
        List<String[]> out = new ArrayList<>();
        for (Row r : wh.read("spending_evolution").select("source", "org").distinct().orderBy("source", "org").collectAsList()) {
            out.add(new String[]{r.getString(0), r.getString(1)});
        }
        return out;
    }

    /** The latest year of the fund with a YEAR row, preferring complete years. */
    public static Integer latestYear(Warehouse wh, String source, String org) {
        Row r = wh.read("spending_evolution")
                .filter(col("source").equalTo(source).and(col("org").equalTo(org)).and(col("period_type").equalTo("YEAR")))
                .agg(max(when(col("complete"), col("period"))), max(col("period"))).first();
        String year = !r.isNullAt(0) ? r.getString(0) : r.isNullAt(1) ? null : r.getString(1);
        return year == null ? null : Integer.valueOf(year);
    }

    public static ReportData load(Warehouse wh, String source, String org, int year) {
        Column fund = col("source").equalTo(source).and(col("org").equalTo(org));
        Dataset<Row> se = wh.read("spending_evolution").filter(fund);
        Column thisYear = col("period_type").equalTo("YEAR").and(col("period").equalTo(String.valueOf(year)));
        List<Category> postes = new ArrayList<>();
        Map<String, List<Category>> sous = new TreeMap<>();
        Category total = null;
        boolean complete = false;
        for (Row r : se.filter(thisYear).orderBy("ordre").collectAsList()) {
            Category c = category(r);
            if (c.poste().equals(Categories.TOTAL)) {
                total = c;
                complete = r.getAs("complete");
            } else if (c.sousPoste().equals(Categories.TOTAL)) {
                postes.add(c);
            } else {
                sous.computeIfAbsent(c.poste(), k -> new ArrayList<>()).add(c);
            }
        }
        if (total == null) {
            throw new IllegalArgumentException("no " + year + " figures for " + source + " fund " + org
                    + " in spending_evolution (compute first, or choose another --year / --org)");
        }
        postes.sort((a, b) -> b.amount().compareTo(a.amount()));

        List<BigDecimal> months = new ArrayList<>();
        List<BigDecimal> monthsPrev = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            months.add(null);
            monthsPrev.add(null);
        }
        for (Row r : se.filter(col("period_type").equalTo("MONTH").and(col("poste").equalTo(Categories.TOTAL))
                .and(col("period").startsWith(year + "-").or(col("period").startsWith((year - 1) + "-"))))
                .select("period", "amount").collectAsList()) {
            String p = r.getString(0);
            int m = Integer.parseInt(p.substring(5, 7));
            (p.startsWith(String.valueOf(year)) ? months : monthsPrev).set(m - 1, r.getDecimal(1));
        }

        Map<String, Covid> covid = new TreeMap<>();
        Map<Integer, Map<String, BigDecimal>> covidByYear = new TreeMap<>();
        if (wh.exists("covid_share")) {
            Dataset<Row> cs = wh.read("covid_share").filter(fund.and(col("period_type").equalTo("YEAR")));
            for (Row r : cs.filter(col("period").equalTo(String.valueOf(year))).collectAsList()) {
                covid.put(r.getAs("domain"), new Covid(r.getAs("domain"), r.getAs("total_amount"), r.getAs("covid_amount"),
                        r.getAs("covid_share_pct"), r.getAs("covid_amount_prev"), r.getAs("covid_share_pct_prev")));
            }
            for (Row r : cs.filter(col("domain").isin("INDEMNITES_JOURNALIERES", "BIOLOGIE")
                    .and(col("period").cast("int").leq(year))).select("period", "domain", "covid_share_pct").collectAsList()) {
                covidByYear.computeIfAbsent(Integer.valueOf(r.getString(0)), k -> new TreeMap<>())
                        .put(r.getString(1), r.getDecimal(2));
            }
        }

        List<Risk> risks = new ArrayList<>();
        if (source.equals("DCIR") && wh.exists("ij_breakdown")) {
            for (Row r : wh.read("ij_breakdown").filter(col("org").equalTo(org).and(thisYear).and(col("duration").equalTo("TOUS")))
                    .orderBy(col("amount").desc()).collectAsList()) {
                risks.add(new Risk(r.getAs("risk"), r.getAs("amount"), r.getAs("amount_prev"), r.getAs("evolution_pct"),
                        r.getAs("beneficiaries")));
            }
        }

        Map<String, List<Mover>> movers = new TreeMap<>();
        if (source.equals("DCIR") && wh.exists("top_movers")) {
            for (Row r : wh.read("top_movers").filter(col("org").equalTo(org).and(thisYear).and(col("rank").leq(3)))
                    .orderBy(col("poste"), col("evolution_eur").desc()).collectAsList()) {
                movers.computeIfAbsent(r.getAs("poste"), k -> new ArrayList<>()).add(new Mover(r.getAs("poste"),
                        r.getAs("item_type"), r.getAs("item_code"), r.getAs("amount"), r.getAs("amount_prev"),
                        r.getAs("evolution_eur"), r.<Integer>getAs("rank")));
            }
        }

        List<SignalSummary> fraud = new ArrayList<>();
        if (source.equals("DCIR") && wh.exists("fraud_signals")) {
            // leads whose window starts in the year; identifiers stay in the table
            for (Row r : wh.read("fraud_signals").filter(col("org").equalTo(org).and(functions.year(col("period_start")).equalTo(year)))
                    .groupBy("signal").agg(count(lit(1)), countDistinct("entity_type", "entity_id"), sum("amount_at_stake"))
                    .orderBy("signal").collectAsList()) {
                fraud.add(new SignalSummary(r.getString(0), r.getLong(1), r.getLong(2),
                        r.isNullAt(3) ? BigDecimal.ZERO : r.getDecimal(3)));
            }
        }

        List<FileSummary> files = new ArrayList<>();
        if (wh.exists("ingested_files")) {
            for (Row r : wh.read("ingested_files").groupBy("dataset")
                    .agg(count(lit(1)), sum(when(col("status").equalTo("REJECTED"), 1).otherwise(0)), sum("lines_read"),
                            sum("lines_loaded"), sum("lines_quarantined"), sum("amount_loaded"))
                    .orderBy("dataset").collectAsList()) {
                files.add(new FileSummary(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5),
                        r.isNullAt(6) ? BigDecimal.ZERO : r.getDecimal(6)));
            }
        }
        List<QuarantineReason> quarantine = new ArrayList<>();
        if (wh.exists("quarantine")) {
            for (Row r : wh.read("quarantine").select(col("dataset"), explode(split(col("reasons"), ",")).as("reason"))
                    .withColumn("reason", regexp_extract(col("reason"), "^([A-Z_]+)", 1))
                    .groupBy("dataset", "reason").count().orderBy(col("count").desc()).limit(20).collectAsList()) {
                quarantine.add(new QuarantineReason(r.getString(0), r.getString(1), r.getLong(2)));
            }
        }
        return new ReportData(source, org, year, complete, total, postes, sous, months, monthsPrev, covid, covidByYear,
                risks, movers, fraud, files, quarantine);
    }

    private static Category category(Row r) {
        String sous = r.getAs("sous_poste");
        String label = Categories.TOTAL.equals(sous) ? r.getAs("libelle_poste") : r.getAs("libelle_sous_poste");
        return new Category(r.getAs("poste"), sous, label, r.getAs("amount"), r.getAs("amount_prev"), r.getAs("evolution_eur"),
                r.getAs("evolution_pct"), r.getAs("share_pct"), r.getAs("contribution_pct"), r.getAs("consumers"),
                r.getAs("consumers_evolution_pct"), r.getAs("amount_per_consumer"), r.getAs("amount_per_consumer_evolution_pct"));
    }
}
