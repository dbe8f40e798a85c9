package fr.cpam.analytics.fraud.signals;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.fraud.FraudInputs;
import fr.cpam.analytics.fraud.FraudSignal;
import fr.cpam.analytics.fraud.Leads;
import fr.cpam.analytics.fraud.Motifs;
import fr.cpam.analytics.fraud.Peers;
import fr.cpam.analytics.fraud.SignalState;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.apache.spark.sql.functions.*;

/**
 * SAME_RX_MULTI_PHARMACY (BENEFICIAIRE): the same prescription — prescriber, prescription date
 * and drug (CIP13) — dispensed by {@code min-pharmacies} or more pharmacies (net of
 * regularisations). Value: such prescriptions in the year (of the prescription date). At
 * stake: what every pharmacy but the first one was paid. The pharmacies are named in the
 * motif. Peers: the fund's beneficiaries with a prescribed dispensing that year.
 */
public final class SameRxMultiPharmacy extends FraudSignal {

    /** The per-beneficiary state: {@code org, year, ben_id, value, amount, max_pharmacies, pharmacy_list}. */
    public static final String STATE = "same_rx_beneficiaries";

    private static final Logger LOG = LoggerFactory.getLogger(SameRxMultiPharmacy.class);

    @Override
    public String code() {
        return "SAME_RX_MULTI_PHARMACY";
    }

    @Override
    public String ruleVersion() {
        return "SAME_RX_MULTI_PHARMACY/1.0";
    }

    @Override
    public Optional<String> stateTable() {
        return Optional.of(STATE);
    }

    @Override
    public Judged judged() {
        return Judged.PRESCRIPTION_YEAR;
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        int minPrescriptions = config.getInt(key("min-prescriptions"));
        Dataset<Row> population = population(in, config);
        Dataset<Row> raised = Peers.of(population, List.of("org", "year"), "value").filter(col("value").geq(minPrescriptions));
        Column motif = concat(lit("Bénéficiaire : "), Motifs.count(col("value")), lit(" "),
                Motifs.plural(col("value"), "prescription délivrée", "prescriptions délivrées"),
                lit(" chacune par plusieurs pharmacies en "), col("year").cast("string"), lit(" (jusqu'à "),
                Motifs.count(col("max_pharmacies")), lit(" pharmacies pour la même ordonnance ; pharmacies concernées : "),
                col("pharmacy_list"), lit("), contre "), Motifs.num(col("peer_median"), 0), lit(" en médiane pour "), Motifs.count(col("peer_size")),
                lit(" bénéficiaires de la caisse ayant une ordonnance délivrée (seuil : " + minPrescriptions + ")"));
        return Leads.select(raised.select(lit(code()).as("signal"), lit(Leads.BENEFICIAIRE).as("entity_type"),
                col("ben_id").as("entity_id"), col("org"), Leads.yearStart(col("year")).as("period_start"),
                Leads.yearEnd(col("year")).as("period_end"), col("value"),
                concat(lit("bénéficiaires ayant une ordonnance délivrée, caisse "), col("org"), lit(", "), col("year").cast("string")).as("peer_group"),
                col("peer_size"), col("peer_median"), lit(minPrescriptions).as("threshold"),
                col("value").divide(lit(minPrescriptions)).as("score"), col("amount").as("amount_at_stake"), motif.as("motif")));
    }

    /**
     * One row per fund, prescription year and beneficiary with a prescribed dispensing: the
     * prescriptions dispensed by several pharmacies ({@code value}, 0 for most), what all but the
     * first pharmacy were paid, the most pharmacies for one prescription and the pharmacies
     * concerned. Kept in {@link #STATE}: a night re-aggregates only the beneficiaries with lines
     * in the changed months (now, or before a replaced file took them out) and keeps the others'
     * rows; the peers' median is taken again over the whole year.
     */
    private Dataset<Row> population(FraudInputs in, JobConfig config) {
        int minPharmacies = config.getInt(key("min-pharmacies"));
        SignalState state = new SignalState(in.warehouse(), STATE, stamp(config));
        long claimsVersion = in.claimsVersion();
        Optional<Set<Integer>> years = in.prescriptionYears();
        OptionalLong stored = in.changedMonths().isPresent() && years.isPresent() ? state.claimsVersion() : OptionalLong.empty();
        Optional<Dataset<Row>> touched = stored.isPresent() ? touched(in, stored.getAsLong(), claimsVersion) : Optional.empty();
        if (touched.isEmpty()) {
            // a whole computation, or a night without a state of this rule and settings: every year
            if (in.changedMonths().isPresent()) {
                LOG.info("{}: no usable state in {}: every prescription year aggregated", code(), STATE);
            }
            Dataset<Row> all = in.reused(aggregate(in, in.whole().claims(), null, minPharmacies));
            state.overwrite(all, claimsVersion);
            return all;
        }
        Column inYears = col("year").isin(years.get().toArray());
        Dataset<Row> only = in.reused(touched.get().filter(inYears).distinct());
        LOG.info("{}: {} beneficiary-years of {} with lines in the changed months re-aggregated, the others kept from {}",
                code(), only.count(), years.get(), STATE);
        Dataset<Row> kept = state.stored().filter(inYears).join(only, BENEFICIARY, "left_anti");
        Dataset<Row> population = in.reused(aggregate(in, in.claims(), only, minPharmacies).unionByName(kept));
        state.replaceYears(population, years.get(), claimsVersion);
        return population;
    }

    /**
     * The beneficiary-years with lines in the changed months, now or in the claims version the
     * state reflects (a replaced file may have taken their lines out); empty when that version
     * can no longer be read.
     */
    private static Optional<Dataset<Row>> touched(FraudInputs in, long stored, long claimsVersion) {
        Dataset<Row> now = beneficiaries(in.changedLines(in.warehouse().read("claims")));
        if (stored == claimsVersion) {
            return Optional.of(now);
        }
        return in.claimsAt(stored).map(before -> now.union(beneficiaries(in.changedLines(before))));
    }

    private static final String[] BENEFICIARY = {"org", "year", "ben_id"};

    /** The lines a prescription's dispensing is made of (the year: the prescription's). */
    private static Dataset<Row> prescribed(Dataset<Row> claims) {
        return claims.filter(col("cip13").isNotNull().and(col("pre").isNotNull()).and(col("rx_date").isNotNull()))
                .withColumn("year", year(col("rx_date")));
    }

    private static Dataset<Row> beneficiaries(Dataset<Row> claims) {
        return prescribed(claims).select(Leads.cols(BENEFICIARY));
    }

    /**
     * The population's rows of these lines' beneficiaries (only null: all; else only those
     * listed). Two passes: counting every beneficiary's prescriptions takes
     * aggregates of numbers only (Spark's hash aggregation), while the pharmacies concerned and
     * what all but the first were paid need sets and a struct ordering (object aggregation, which
     * sorts every dispensing: 2.6 times the whole count's time at 10 million lines). So these are
     * taken in a second pass over the lines of the few beneficiaries the count flagged.
     */
    private static Dataset<Row> aggregate(FraudInputs in, Dataset<Row> claims, Dataset<Row> only, int minPharmacies) {
        Dataset<Row> prescriptions = perPrescription(lines(claims, only), minPharmacies, count(lit(1)).as("pharmacies"));
        // every beneficiary with a dispensing is a peer: counted in the same pass (value 0 when none
        // of their prescriptions went to several pharmacies)
        Dataset<Row> counts = in.reused(prescriptions.groupBy(Leads.cols(BENEFICIARY)).agg(
                count_if(col("_multi")).as("value"), max(when(col("_multi"), col("pharmacies"))).as("max_pharmacies")));
        // the flagged beneficiaries are the signal's hits, few by construction: broadcast
        Dataset<Row> flagged = broadcast(counts.filter(col("value").gt(0)).select(Leads.cols(BENEFICIARY)));
        // what every pharmacy but the first one (first day, then id: a total order) was paid: the
        // total less the first's amount, an aggregate rather than a window sort of every dispensing
        Dataset<Row> details = perPrescription(lines(claims, flagged), minPharmacies, count(lit(1)).as("pharmacies"),
                        sum("amount").minus(min_by(col("amount"), struct(col("first_day"), col("exe")))).as("extra_amount"),
                        collect_set("exe").as("pharmacy_ids"))
                .filter(col("_multi"))
                .groupBy(Leads.cols(BENEFICIARY)).agg(sum("extra_amount").as("amount"),
                        concat_ws(", ", array_sort(array_distinct(flatten(collect_list("pharmacy_ids"))))).as("pharmacy_list"));
        // "" when none, as the one-pass aggregation wrote it (a night keeps rows it wrote)
        return counts.join(details, BENEFICIARY, "left")
                .select(col("org"), col("year"), col("ben_id"), col("value"), col("amount"), col("max_pharmacies"),
                        coalesce(col("pharmacy_list"), lit("")).as("pharmacy_list"));
    }

    /**
     * One row per prescription with these aggregates over its dispensings (one per pharmacy, net
     * of regularisations), and {@code _multi} when {@code minPharmacies} or more dispensed it.
     */
    private static Dataset<Row> perPrescription(Dataset<Row> lines, int minPharmacies, Column first, Column... more) {
        Dataset<Row> dispensed = lines.groupBy("org", "year", "ben_id", "pre", "rx_date", "cip13", "exe")
                .agg(sum("qty").as("qty"), sum("amount").as("amount"), min("care_date").as("first_day"))
                .filter(col("qty").gt(0));
        return dispensed.groupBy("org", "year", "ben_id", "pre", "rx_date", "cip13").agg(first, more)
                .withColumn("_multi", col("pharmacies").geq(minPharmacies));
    }

    /**
     * The prescribed lines of the listed beneficiaries (only null: all), partitioned by
     * beneficiary. One shuffle of the lines, by beneficiary: every step after it (dispensing,
     * prescription, beneficiary) is keyed by these columns or more, so none needs another
     * (grouping by dispensing first shuffled nearly every line twice and spilled at 100 million
     * lines). The list joins the lines before the shuffle, which carries their lines only (where
     * Spark's optimiser would put the join anyway); a list Spark finds small is broadcast.
     */
    private static Dataset<Row> lines(Dataset<Row> claims, Dataset<Row> only) {
        Dataset<Row> lines = prescribed(claims).select("org", "year", "ben_id", "pre", "rx_date", "cip13", "exe", "qty", "amount", "care_date");
        return (only == null ? lines : lines.join(only, BENEFICIARY, "left_semi")).repartition(Leads.cols(BENEFICIARY));
    }
}
