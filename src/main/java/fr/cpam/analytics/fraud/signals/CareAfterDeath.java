package fr.cpam.analytics.fraud.signals;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.fraud.FraudInputs;
import fr.cpam.analytics.fraud.FraudSignal;
import fr.cpam.analytics.fraud.Leads;
import fr.cpam.analytics.fraud.Motifs;
import fr.cpam.analytics.fraud.Peers;
import fr.cpam.analytics.fraud.SignalState;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.apache.spark.sql.functions.*;

/**
 * CARE_AFTER_DEATH (PROFESSIONNEL and BENEFICIAIRE): care dated (first day of care, not payment:
 * a visit paid after the death is normal) more than {@code grace-days} after the beneficiary's
 * date of death ({@code beneficiaries.BEN_DCD_DTE}), net of regularisations. One lead per
 * deceased beneficiary and one per professional who billed such care; the period is the span
 * of that care. Peers: the fund's deceased beneficiaries with claims, and the professionals
 * who treated them.
 *
 * <p>A lead spans any dates, so every lead is recomputed on every run, but from {@link #STATE}:
 * the deceased's care summed by payment month, where a night replaces the months it changed
 * instead of reading every month's lines again.
 */
public final class CareAfterDeath extends FraudSignal {

    /**
     * The deceased beneficiaries' care, summed by payment month: {@code pay_month, org, ben_id,
     * exe, care_date, nature, acts, amount, spe, act}.
     */
    public static final String STATE = "care_after_death_months";

    private static final Logger LOG = LoggerFactory.getLogger(CareAfterDeath.class);

    @Override
    public String code() {
        return "CARE_AFTER_DEATH";
    }

    @Override
    public String ruleVersion() {
        return "CARE_AFTER_DEATH/1.0";
    }

    /** A lead covers every act after the death, whatever its year. */
    @Override
    public boolean yearly() {
        return false;
    }

    @Override
    public Optional<String> stateTable() {
        return Optional.of(STATE);
    }

    @Override
    public boolean applicable(FraudInputs in) {
        return in.hasClaims() && in.beneficiaries().isPresent();
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        int grace = config.getInt(key("grace-days"));
        double minActs = config.getDouble(key("min-acts"));
        Dataset<Row> deceased = broadcast(in.beneficiaries().orElseThrow().filter(col("death_date").isNotNull()));
        // read by the beneficiaries' and the professionals' branches: kept once
        Dataset<Row> care = in.reused(months(in, config, deceased)
                .groupBy("org", "ben_id", "exe", "care_date", "nature")
                .agg(sum("acts").as("acts"), sum("amount").as("amount"), max("spe").as("spe"), max("act").as("act"))
                .filter(col("acts").gt(0))
                .join(deceased, "ben_id")
                .withColumn("after", col("care_date").gt(date_add(col("death_date"), grace))));
        Column actsAfter = sum(when(col("after"), col("acts")).otherwise(lit(0)));
        Column amountAfter = sum(when(col("after"), col("amount")).otherwise(lit(0)));
        Column firstAfter = min(when(col("after"), col("care_date")));
        Column lastAfter = max(when(col("after"), col("care_date")));
        Dataset<Row> beneficiaries = Peers.of(care.groupBy("org", "ben_id", "death_date")
                        .agg(actsAfter.as("value"), amountAfter.as("amount"), firstAfter.as("first"), lastAfter.as("last"),
                                countDistinct(when(col("after"), col("exe"))).as("others")), List.of("org"), "value")
                .filter(col("value").geq(minActs))
                .select(lit(Leads.BENEFICIAIRE).as("entity_type"), col("ben_id").as("entity_id"), col("org"), col("value"),
                        col("amount"), col("first"), col("last"), col("peer_size"), col("peer_median"),
                        concat(lit("bénéficiaires décédés, caisse "), col("org")).as("peer_group"),
                        concat(lit("Bénéficiaire décédé le "), date_format(col("death_date"), "dd/MM/yyyy"), lit(" : "),
                                Motifs.count(col("value")), lit(" "), Motifs.plural(col("value"), "acte", "actes"),
                                lit(" de soins datés après le décès, du "), date_format(col("first"), "dd/MM/yyyy"), lit(" au "),
                                date_format(col("last"), "dd/MM/yyyy"), lit(", par "), Motifs.count(col("others")), lit(" "),
                                Motifs.plural(col("others"), "professionnel", "professionnels"), lit(" ("), Motifs.euros(col("amount")),
                                lit("), contre "), Motifs.num(col("peer_median"), 0), lit(" en médiane pour "),
                                Motifs.count(col("peer_size")), lit(" bénéficiaires décédés de la caisse")).as("motif"));
        Dataset<Row> professionals = Peers.of(care.filter(col("exe").isNotNull()).groupBy("org", "exe")
                        .agg(actsAfter.as("value"), amountAfter.as("amount"), firstAfter.as("first"), lastAfter.as("last"),
                                countDistinct(when(col("after"), col("ben_id"))).as("others"),
                                max("spe").as("spe"), max("act").as("act")), List.of("org"), "value")
                .filter(col("value").geq(minActs))
                .select(lit(Leads.PROFESSIONNEL).as("entity_type"), col("exe").as("entity_id"), col("org"), col("value"),
                        col("amount"), col("first"), col("last"), col("peer_size"), col("peer_median"),
                        concat(lit("professionnels ayant soigné un bénéficiaire décédé, caisse "), col("org")).as("peer_group"),
                        concat(Motifs.profession(col("spe"), col("act")), lit(" : "), Motifs.count(col("value")), lit(" "),
                                Motifs.plural(col("value"), "acte facturé", "actes facturés"), lit(" pour "), Motifs.count(col("others")),
                                lit(" "), Motifs.plural(col("others"), "patient", "patients"),
                                lit(" après la date de leur décès, du "), date_format(col("first"), "dd/MM/yyyy"), lit(" au "),
                                date_format(col("last"), "dd/MM/yyyy"), lit(" ("), Motifs.euros(col("amount")), lit("), contre "),
                                Motifs.num(col("peer_median"), 0), lit(" en médiane pour "), Motifs.count(col("peer_size")),
                                lit(" professionnels ayant soigné un bénéficiaire décédé de la caisse")).as("motif"));
        return Leads.select(beneficiaries.unionByName(professionals)
                .select(lit(code()).as("signal"), col("entity_type"), col("entity_id"), col("org"), col("first").as("period_start"),
                        col("last").as("period_end"), col("value"), col("peer_group"), col("peer_size"), col("peer_median"),
                        lit(minActs).as("threshold"), col("value").divide(lit(minActs)).as("score"),
                        col("amount").as("amount_at_stake"), col("motif")));
    }

    /**
     * {@link #STATE} brought up to date and read: a night replaces the months it changed when the
     * state reflects the claims it changed them from; otherwise every month is summed again. The
     * state holds the deceased's lines only, so it is valid for one version of the beneficiaries
     * (part of its stamp): a new death makes a night sum every month again.
     */
    private Dataset<Row> months(FraudInputs in, JobConfig config, Dataset<Row> deceased) {
        Warehouse wh = in.warehouse();
        SignalState state = SignalState.byPayMonth(wh, STATE,
                stamp(config) + "/beneficiaries@" + wh.lastCommit("beneficiaries").version());
        long claimsVersion = in.claimsVersion();
        OptionalLong stored = in.changedMonths().isPresent() ? state.claimsVersion() : OptionalLong.empty();
        if (stored.isPresent() && stored.equals(in.changedSince())) {
            List<YearMonth> months = in.changedMonths().orElseThrow();
            LOG.info("{}: payment months {} summed again, the others kept from {}", code(), months, STATE);
            state.replacePayMonths(partials(in.changedLines(wh.read("claims")), deceased), months, claimsVersion);
        } else {
            if (in.changedMonths().isPresent()) {
                LOG.info("{}: no usable state in {}: every payment month summed", code(), STATE);
            }
            state.overwrite(partials(in.whole().claims(), deceased), claimsVersion);
        }
        return wh.read(STATE);
    }

    /** The deceased's lines summed by payment month. */
    private static Dataset<Row> partials(Dataset<Row> claims, Dataset<Row> deceased) {
        return claims.join(deceased.select("ben_id"), "ben_id", "left_semi")
                .groupBy("pay_month", "org", "ben_id", "exe", "care_date", "nature")
                .agg(sum("qty").as("acts"), sum("amount").as("amount"), max("exe_spe").as("spe"), max("exe_act").as("act"));
    }
}
