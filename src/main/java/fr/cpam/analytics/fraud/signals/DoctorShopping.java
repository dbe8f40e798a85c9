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
 * DOCTOR_SHOPPING (BENEFICIAIRE): drugs of abuse interest obtained through prescriptions whose
 * treatment periods overlap those of another prescriber — the "doctor-shopping quantity" of
 * the French addictovigilance method (Pauly et al.). A dispensing covers {@code boxes x
 * days-per-box} days from its date; the value is the number of boxes of the dispensings that
 * overlap a dispensing of another prescriber, in a calendar year. Raised with at least
 * {@code min-prescribers} prescribers and {@code min-pharmacies} pharmacies among them.
 * Peers: the fund's beneficiaries receiving these drugs that year.
 */
public final class DoctorShopping extends FraudSignal {

    @Override
    public String code() {
        return "DOCTOR_SHOPPING";
    }

    @Override
    public String ruleVersion() {
        return "DOCTOR_SHOPPING/1.0";
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        List<String> prefixes = config.getStringList(key("atc-prefixes"));
        int daysPerBox = config.getInt(key("days-per-box"));
        int minPrescribers = config.getInt(key("min-prescribers"));
        int minPharmacies = config.getInt(key("min-pharmacies"));
        double minQuantity = config.getDouble(key("min-quantity"));
        Column abuse = lit(false);
        for (String p : prefixes) {
            abuse = abuse.or(col("atc").startsWith(p));
        }
        // one row per dispensing, net of +/- regularisations (read by the overlap join's two sides
        // and the population: kept once)
        Dataset<Row> dispensings = in.reused(in.claims().filter(abuse.and(col("pre").isNotNull()))
                .groupBy("org", "year", "ben_id", "exe", "pre", "care_date", "cip13", "atc")
                .agg(sum("qty").as("boxes"), sum("amount").as("amount"))
                .filter(col("boxes").gt(0))
                .withColumn("until", expr("date_add(care_date, cast(boxes * " + daysPerBox + " as int) - 1)")));
        Dataset<Row> other = dispensings.select(col("ben_id").as("o_ben"), col("pre").as("o_pre"),
                col("care_date").as("o_from"), col("until").as("o_until"));
        // equi-join on the beneficiary, range condition on the treatment periods
        Column overlaps = col("ben_id").equalTo(col("o_ben")).and(col("pre").notEqual(col("o_pre")))
                .and(col("care_date").leq(col("o_until"))).and(col("o_from").leq(col("until")));
        Dataset<Row> overlapping = dispensings.join(other, overlaps, "left_semi");
        Dataset<Row> perBeneficiary = overlapping.groupBy("org", "year", "ben_id").agg(
                sum("boxes").as("value"), sum("amount").as("amount"),
                countDistinct("pre").as("prescribers"), countDistinct("exe").as("pharmacies"),
                concat_ws(", ", array_sort(collect_set("atc"))).as("atcs"));
        Dataset<Row> population = dispensings.select("org", "year", "ben_id").distinct()
                .join(perBeneficiary, new String[]{"org", "year", "ben_id"}, "left")
                .na().fill(0, new String[]{"value", "prescribers", "pharmacies"});
        Dataset<Row> raised = Peers.of(population, List.of("org", "year"), "value")
                .filter(col("value").geq(minQuantity).and(col("prescribers").geq(minPrescribers))
                        .and(col("pharmacies").geq(minPharmacies)));
        Column motif = concat(lit("Bénéficiaire : "), Motifs.num(col("value"), 0), lit(" "),
                Motifs.plural(col("value"), "boîte", "boîtes"), lit(" de médicaments à risque d'abus ("), col("atcs"),
                lit(") obtenues en "), col("year").cast("string"), lit(" par des prescriptions qui se chevauchent, de "),
                Motifs.count(col("prescribers")), lit(" prescripteurs et "), Motifs.count(col("pharmacies")),
                lit(" pharmacies, contre "), Motifs.num(col("peer_median"), 0), lit(" en médiane pour "),
                Motifs.count(col("peer_size")), lit(" bénéficiaires de ces médicaments de la caisse (seuil : "),
                lit(minPrescribers + " prescripteurs et " + minPharmacies + " pharmacies)"));
        return Leads.select(raised.select(lit(code()).as("signal"), lit(Leads.BENEFICIAIRE).as("entity_type"),
                col("ben_id").as("entity_id"), col("org"), Leads.yearStart(col("year")).as("period_start"),
                Leads.yearEnd(col("year")).as("period_end"), col("value"),
                concat(lit("bénéficiaires de médicaments à risque d'abus, caisse "), col("org"), lit(", "), col("year").cast("string")).as("peer_group"),
                col("peer_size"), col("peer_median"), lit(minQuantity).as("threshold"),
                col("value").divide(lit(minQuantity)).as("score"), col("amount").as("amount_at_stake"), motif.as("motif")));
    }
}
