package fr.cpam.analytics.fraud.signals;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.fraud.FraudInputs;
import fr.cpam.analytics.fraud.FraudSignal;
import fr.cpam.analytics.fraud.Leads;
import fr.cpam.analytics.fraud.Motifs;
import fr.cpam.analytics.fraud.Peers;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * NURSE_CAPACITY (PROFESSIONNEL): a nurse's yearly sum of AMI / AIS coefficients (coefficient x
 * quantity, so regularisations net out) against the nursing convention's alert level (18,000)
 * and excess level (23,000), and the days on which more than {@code max-ais3-per-patient-day}
 * AIS 3 were billed for one patient. Raised at the alert level, or with
 * {@code min-heavy-days} such days. Score: the larger of coefficients / alert level and heavy
 * days / min-heavy-days. At stake: the amount billed beyond the alert level (pro rata), or on
 * the heavy days when larger. Peers: the fund's nurses billing AMI / AIS that year.
 */
public final class NurseCapacity extends FraudSignal {

    @Override
    public String code() {
        return "NURSE_CAPACITY";
    }

    @Override
    public String ruleVersion() {
        return "NURSE_CAPACITY/1.0";
    }

    @Override
    public Judged judged() {
        return Judged.CARE_YEAR;
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        List<Integer> natures = config.getStringList(key("natures")).stream().map(Integer::valueOf).toList();
        List<Integer> ais = config.getStringList(key("ais-natures")).stream().map(Integer::valueOf).toList();
        double alert = config.getDouble(key("alert-level"));
        double excess = config.getDouble(key("excess-level"));
        int maxPerDay = config.getInt(key("max-ais3-per-patient-day"));
        int minHeavyDays = config.getInt(key("min-heavy-days"));
        Dataset<Row> acts = in.claims().filter(col("nature").isin(natures.toArray()).and(col("exe").isNotNull()));
        Dataset<Row> yearly = acts.groupBy("org", "year", "exe")
                .agg(sum(col("qty").multiply(coalesce(col("coef"), lit(0)))).as("value"), sum("amount").as("amount"),
                        max("exe_spe").as("spe"), max("exe_act").as("act"));
        Dataset<Row> heavy = acts.filter(col("nature").isin(ais.toArray()).and(col("coef").equalTo(3)))
                .groupBy("org", "year", "exe", "ben_id", "care_date").agg(sum("qty").as("n"), sum("amount").as("amount"))
                .filter(col("n").gt(maxPerDay))
                .groupBy("org", "year", "exe").agg(countDistinct("care_date").as("heavy_days"), sum("amount").as("heavy_amount"),
                        max("n").as("max_per_day"));
        Dataset<Row> population = yearly.join(heavy, new String[]{"org", "year", "exe"}, "left")
                .na().fill(0, new String[]{"heavy_days", "heavy_amount", "max_per_day"});
        Dataset<Row> raised = Peers.of(population, List.of("org", "year"), "value")
                .filter(col("value").geq(alert).or(col("heavy_days").geq(minHeavyDays)));
        Column level = when(col("value").geq(excess), lit(" ; au-delà du seuil de dépassement"))
                .when(col("value").geq(alert), lit(" ; au-delà du seuil d'alerte")).otherwise(lit(""));
        Column heavyText = when(col("heavy_days").gt(0), concat(lit(" ; "), Motifs.count(col("heavy_days")), lit(" "),
                Motifs.plural(col("heavy_days"), "jour", "jours"), lit(" avec plus de " + maxPerDay + " AIS 3 pour un même patient (jusqu'à "),
                Motifs.count(col("max_per_day")), lit(")"))).otherwise(lit(""));
        Column motif = concat(lit("Infirmier : "), Motifs.count(col("value")), lit(" coefficients AMI/AIS facturés en "),
                col("year").cast("string"), lit(", contre "), Motifs.count(col("peer_median")), lit(" en médiane pour "),
                Motifs.count(col("peer_size")), lit(" infirmiers de la caisse (seuil conventionnel "), Motifs.count(lit(alert)),
                lit(", dépassement à "), Motifs.count(lit(excess)), lit(")"), level, heavyText);
        Column overAlert = when(col("value").gt(alert), col("amount").multiply(col("value").minus(alert)).divide(col("value")))
                .otherwise(lit(0));
        return Leads.select(raised.select(lit(code()).as("signal"), lit(Leads.PROFESSIONNEL).as("entity_type"),
                col("exe").as("entity_id"), col("org"), Leads.yearStart(col("year")).as("period_start"),
                Leads.yearEnd(col("year")).as("period_end"), col("value"),
                concat(lit("infirmiers, caisse "), col("org"), lit(", "), col("year").cast("string")).as("peer_group"),
                col("peer_size"), col("peer_median"), lit(alert).as("threshold"),
                greatest(col("value").divide(lit(alert)), col("heavy_days").divide(lit(minHeavyDays))).as("score"),
                greatest(overAlert, col("heavy_amount")).as("amount_at_stake"), motif.as("motif")));
    }
}
