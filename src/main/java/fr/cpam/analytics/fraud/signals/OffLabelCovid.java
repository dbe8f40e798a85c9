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
 * OFF_LABEL_COVID (PRESCRIPTEUR): ivermectin (P02CF01) co-prescribed with azithromycin
 * (J01FA10) or hydroxychloroquine (P01BA02) for the same patient by the same prescriber,
 * prescriptions at most {@code max-days-apart} days apart — the "protocole" promoted against
 * Covid-19 without evidence, outside the drugs' marketing authorisations. Value: patients with
 * such a co-prescription in the year. Raised at {@code min-patients}. Peers: the prescribers of
 * the same specialty whose prescriptions were dispensed in the fund that year.
 */
public final class OffLabelCovid extends FraudSignal {

    @Override
    public String code() {
        return "OFF_LABEL_COVID";
    }

    @Override
    public String ruleVersion() {
        return "OFF_LABEL_COVID/1.0";
    }

    /** The French name of the partner drugs of the configuration's default list, else the ATC code. */
    private static Column drugName(Column atc) {
        return when(atc.equalTo("J01FA10"), lit("azithromycine")).when(atc.equalTo("P01BA02"), lit("hydroxychloroquine"))
                .otherwise(atc);
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        List<String> ivermectin = config.getStringList(key("ivermectin"));
        List<String> partners = config.getStringList(key("partners"));
        int maxDays = config.getInt(key("max-days-apart"));
        double minPatients = config.getDouble(key("min-patients"));
        Dataset<Row> prescribed = in.claims().filter(col("pre").isNotNull().and(col("atc").isNotNull()))
                .withColumn("rx", coalesce(col("rx_date"), col("care_date")));
        Dataset<Row> iv = prescribed.filter(col("atc").isin(ivermectin.toArray()))
                .groupBy("org", "pre", "ben_id", "rx").agg(sum("qty").as("q"), sum("amount").as("iv_amount"))
                .filter(col("q").gt(0)).drop("q");
        Dataset<Row> partner = prescribed.filter(col("atc").isin(partners.toArray()))
                .groupBy(col("org").as("p_org"), col("pre").as("p_pre"), col("ben_id").as("p_ben"), col("rx").as("p_rx"))
                .agg(sum("qty").as("q"), sum("amount").as("p_amount"), collect_set(drugName(col("atc"))).as("p_drugs"))
                .filter(col("q").gt(0)).drop("q");
        Column together = col("org").equalTo(col("p_org")).and(col("pre").equalTo(col("p_pre")))
                .and(col("ben_id").equalTo(col("p_ben"))).and(abs(datediff(col("rx"), col("p_rx"))).leq(maxDays));
        Dataset<Row> pairs = iv.join(partner, together).withColumn("year", year(col("rx")));
        Dataset<Row> perPrescriber = pairs.groupBy("org", "year", "pre")
                .agg(countDistinct("ben_id").as("value"), sum(col("iv_amount").plus(col("p_amount"))).as("amount"),
                        concat_ws(" ou ", array_sort(array_distinct(flatten(collect_list("p_drugs"))))).as("with_drugs"));
        Dataset<Row> population = prescribed.groupBy("org", "year", "pre").agg(max("pre_spe").as("spe"))
                .join(perPrescriber, new String[]{"org", "year", "pre"}, "left").na().fill(0, new String[]{"value"});
        Dataset<Row> raised = Peers.of(population, List.of("org", "year", "spe"), "value").filter(col("value").geq(minPatients));
        Column motif = concat(Motifs.profession(col("spe"), lit(0)), lit(" prescripteur : ivermectine co-prescrite avec "),
                col("with_drugs"), lit(" pour "), Motifs.count(col("value")), lit(" "),
                Motifs.plural(col("value"), "patient", "patients"), lit(" en "), col("year").cast("string"), lit(" ("),
                Motifs.euros(col("amount")), lit(" délivrés), hors indications de l'AMM, contre "), Motifs.num(col("peer_median"), 0),
                lit(" en médiane pour "), Motifs.count(col("peer_size")), lit(" prescripteurs de la même spécialité de la caisse (seuil : "),
                Motifs.num(lit(minPatients), 0), lit(" patients)"));
        return Leads.select(raised.select(lit(code()).as("signal"), lit(Leads.PRESCRIPTEUR).as("entity_type"),
                col("pre").as("entity_id"), col("org"), Leads.yearStart(col("year")).as("period_start"),
                Leads.yearEnd(col("year")).as("period_end"), col("value"),
                concat(lit("prescripteurs de spécialité "), coalesce(col("spe").cast("string"), lit("inconnue")), lit(", caisse "), col("org"),
                        lit(", "), col("year").cast("string")).as("peer_group"),
                col("peer_size"), col("peer_median"), lit(minPatients).as("threshold"), col("value").divide(lit(minPatients)).as("score"),
                col("amount").as("amount_at_stake"), motif.as("motif")));
    }
}
