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
 * PEER_OUTLIER (PROFESSIONNEL): acts per patient and amount per patient of a professional (the
 * configured postes), within specialty x activity x fund x year, by modified z-score (median,
 * 1.4826 MAD) and exact percentile. The value is acts per patient; the z-score is the larger of
 * the two measures'. Raised at the {@code percentile} (with a z-score of at least {@code min-z},
 * so the largest of a small, even group is not a lead) or at {@code z-threshold} whatever the
 * percentile (several outliers in one small group), and in both cases at {@code min-ratio} x the
 * peer median at least (acts or amount per patient). Professionals with fewer than
 * {@code min-patients} patients, and groups smaller than {@code min-peers}, are not judged.
 * At stake: the amount beyond the peer median's acts per patient.
 */
public final class PeerOutlier extends FraudSignal {

    @Override
    public String code() {
        return "PEER_OUTLIER";
    }

    @Override
    public String ruleVersion() {
        return "PEER_OUTLIER/1.0";
    }

    @Override
    public Judged judged() {
        return Judged.CARE_YEAR;
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        List<String> postes = config.getStringList(key("postes"));
        int minPatients = config.getInt(key("min-patients"));
        int minPeers = config.getInt(key("min-peers"));
        double percentile = config.getDouble(key("percentile"));
        double minZ = config.getDouble(key("min-z"));
        double zThreshold = config.getDouble(key("z-threshold"));
        double minRatio = config.getDouble(key("min-ratio"));
        Dataset<Row> perPatient = in.claims().filter(col("poste").isin(postes.toArray()).and(col("exe").isNotNull()))
                .groupBy("org", "year", "exe", "ben_id")
                .agg(sum("qty").as("acts"), sum("amount").as("amount"), max("exe_spe").as("spe"), max("exe_act").as("act"));
        // two-level aggregation: per patient, then per professional (exact distinct patients). Kept
        // once: both peer comparisons (acts and amount per patient) read it, and each scanned and
        // aggregated the year's lines again
        Dataset<Row> population = in.reused(perPatient.groupBy("org", "year", "exe")
                .agg(count(lit(1)).as("patients"), sum("acts").as("acts"), sum("amount").as("amount"),
                        max("spe").as("spe"), max("act").as("act"))
                .filter(col("patients").geq(minPatients))
                .withColumn("value", col("acts").divide(col("patients")))
                .withColumn("amount_pp", col("amount").divide(col("patients"))));
        List<String> group = List.of("org", "year", "spe", "act");
        Dataset<Row> byAmount = Peers.of(population, group, "amount_pp")
                .select(col("org"), col("year"), col("exe"), col("robust_z").as("z_amount"), col("peer_median").as("median_amount_pp"));
        Dataset<Row> scored = Peers.of(population, group, "value", percentile)
                .join(byAmount, new String[]{"org", "year", "exe"})
                .withColumn("z", greatest(coalesce(col("robust_z"), lit(0.0)), coalesce(col("z_amount"), lit(0.0))))
                .withColumn("threshold", least(col("peer_quantile"),
                        coalesce(col("peer_median").plus(col("peer_scale").multiply(zThreshold)), col("peer_quantile"))));
        Column farAboveMedian = col("value").geq(col("peer_median").multiply(minRatio))
                .or(col("amount_pp").geq(col("median_amount_pp").multiply(minRatio)));
        Dataset<Row> raised = scored.filter(col("peer_size").geq(minPeers).and(farAboveMedian)
                .and(col("z").geq(zThreshold).or(col("value").geq(col("peer_quantile")).and(col("z").geq(minZ)))));
        Column motif = concat(Motifs.profession(col("spe"), col("act")), lit(" : "), Motifs.num(col("value"), 1),
                lit(" actes et "), Motifs.euros(col("amount_pp")), lit(" remboursés par patient en "), col("year").cast("string"),
                lit(" ("), Motifs.count(col("patients")), lit(" patients), contre "), Motifs.num(col("peer_median"), 1),
                lit(" actes et "), Motifs.euros(col("median_amount_pp")), lit(" en médiane pour "), Motifs.count(col("peer_size")),
                lit(" "), Motifs.professions(col("spe"), col("act")), lit(" de la caisse (score z robuste "), Motifs.num(col("z"), 1),
                lit(" ; seuil "), Motifs.num(col("threshold"), 1), lit(" actes par patient)"));
        Column excess = col("amount").multiply(col("value").minus(col("peer_median"))).divide(col("value"));
        return Leads.select(raised.select(lit(code()).as("signal"), lit(Leads.PROFESSIONNEL).as("entity_type"),
                col("exe").as("entity_id"), col("org"), Leads.yearStart(col("year")).as("period_start"),
                Leads.yearEnd(col("year")).as("period_end"), col("value"),
                concat(Motifs.professions(col("spe"), col("act")), lit(", caisse "), col("org"), lit(", "), col("year").cast("string")).as("peer_group"),
                col("peer_size"), col("peer_median"), col("threshold"), col("z").divide(lit(zThreshold)).as("score"),
                greatest(excess, lit(0)).as("amount_at_stake"), motif.as("motif")));
    }
}
