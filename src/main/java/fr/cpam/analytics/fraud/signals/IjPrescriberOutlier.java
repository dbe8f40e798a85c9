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
 * IJ_PRESCRIBER_OUTLIER (PRESCRIPTEUR): sick-leave days prescribed (notices starting in the
 * year, prolongations included) per working-age patient ({@code min-age}..{@code max-age} in
 * the year) the prescriber saw that year, against the prescribers of the same specialty in the
 * same fund — the targeting of the MSO / MSAP procedures (mise sous objectif / sous accord
 * préalable). Raised at {@code median-multiple} x the peer median and within the top decile.
 * Age only delimits who is counted; it is never a scoring feature. At stake: the IJ paid on
 * the prescriber's notices beyond the peer median rate.
 */
public final class IjPrescriberOutlier extends FraudSignal {

    @Override
    public String code() {
        return "IJ_PRESCRIBER_OUTLIER";
    }

    @Override
    public String ruleVersion() {
        return "IJ_PRESCRIBER_OUTLIER/1.0";
    }

    @Override
    public boolean applicable(FraudInputs in) {
        return in.hasClaims() && in.sickLeave().isPresent();
    }

    @Override
    public Judged judged() {
        return Judged.CARE_YEAR;
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        int minAge = config.getInt(key("min-age"));
        int maxAge = config.getInt(key("max-age"));
        int minPatients = config.getInt(key("min-patients"));
        double multiple = config.getDouble(key("median-multiple"));
        double top = config.getDouble(key("top-percentile"));
        Column workingAge = col("year").minus(col("birth_year")).between(minAge, maxAge);
        // one scan of the lines for both: per professional and patient first, then the working-age
        // patients counted exactly (two-level aggregation) and the specialty from all of them
        Dataset<Row> professionals = in.claims().filter(col("exe").isNotNull())
                .groupBy("org", "year", "exe", "ben_id")
                .agg(bool_or(workingAge).as("working_age"), max("exe_spe").as("spe"), max("exe_act").as("act"))
                .groupBy("org", "year", "exe")
                .agg(count_if(col("working_age")).as("patients"), max("spe").as("spe"), max("act").as("act"))
                .filter(col("patients").geq(minPatients));
        Dataset<Row> days = in.sickLeave().orElseThrow()
                .groupBy(col("ORG_AFF_BEN").as("org"), year(col("ARR_DEB_DTE")).as("year"), col("PFS_PRE_NUM").as("exe"))
                .agg(sum("days_prescribed").as("days"), count(lit(1)).as("notices"));
        // the IJ paid on notices starting in the years judged: paid for care from their start on
        Dataset<Row> paid = in.ijPayments()
                .filter(col("ARR_PRESCRIBER").isNotNull())
                .groupBy(col("org"), year(col("ARR_DEB_DTE")).as("year"), col("ARR_PRESCRIBER").as("exe"))
                .agg(sum("amount").as("ij_paid"));
        String[] k = {"org", "year", "exe"};
        Dataset<Row> population = professionals
                .join(days, k, "left").join(paid, k, "left")
                .na().fill(0, new String[]{"days", "notices", "ij_paid"})
                .withColumn("value", col("days").divide(col("patients")));
        Dataset<Row> withPeers = Peers.of(population, List.of("org", "year", "spe", "act"), "value", top)
                .withColumn("threshold", greatest(col("peer_median").multiply(multiple), col("peer_quantile")));
        Dataset<Row> raised = withPeers.filter(col("value").gt(0).and(col("value").geq(col("threshold"))));
        Column motif = concat(Motifs.profession(col("spe"), col("act")), lit(" : "), Motifs.num(col("value"), 1),
                lit(" jours d'arrêt de travail prescrits par patient de " + minAge + " à " + maxAge + " ans en "),
                col("year").cast("string"), lit(" ("), Motifs.count(col("days")), lit(" jours, "), Motifs.count(col("notices")),
                lit(" arrêts, "), Motifs.count(col("patients")), lit(" patients), contre "), Motifs.num(col("peer_median"), 1),
                lit(" en médiane pour "), Motifs.count(col("peer_size")), lit(" "), Motifs.professions(col("spe"), col("act")),
                lit(" de la caisse (seuil : " + String.valueOf(multiple).replace('.', ',') + " fois la médiane et "
                        + Math.round(top * 100) + "e centile, "),
                Motifs.num(col("threshold"), 1), lit(")"));
        Column excessShare = col("value").minus(col("peer_median")).divide(col("value"));
        return Leads.select(raised.select(lit(code()).as("signal"), lit(Leads.PRESCRIPTEUR).as("entity_type"),
                col("exe").as("entity_id"), col("org"), Leads.yearStart(col("year")).as("period_start"),
                Leads.yearEnd(col("year")).as("period_end"), col("value"),
                concat(Motifs.professions(col("spe"), col("act")), lit(", caisse "), col("org"), lit(", "), col("year").cast("string")).as("peer_group"),
                col("peer_size"), col("peer_median"), col("threshold"), col("value").divide(col("threshold")).as("score"),
                col("ij_paid").multiply(excessShare).as("amount_at_stake"), motif.as("motif")));
    }
}
