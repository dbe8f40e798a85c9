package fr.cpam.analytics.fraud;

import fr.cpam.analytics.indicators.IjPayments;
import fr.cpam.analytics.indicators.IndicatorInputs;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.apache.spark.sql.functions.*;

/**
 * What the signals read: the in-scope claim lines (DPN 71 information copies excluded) with
 * short column names, and the optional sick-leave, beneficiary and hospital-stay tables.
 * Signals select the few columns they need, so each scan reads only those (Parquet).
 */
public final class FraudInputs {

    private static final Logger LOG = LoggerFactory.getLogger(FraudInputs.class);

    private final Warehouse warehouse;
    private final Set<Integer> careYears;
    private final Set<Integer> prescriptionYears;
    private final List<YearMonth> changedMonths;
    /** The claims version the changed months are counted from (-1: not known). */
    private final long changedSince;
    /** The claims table's version, once read (-1: not read). */
    private final long claimsVersion;
    /** Whether {@code ij_payments} was written in this run from the same claims and notices. */
    private final boolean linkedPayments;
    private final List<Dataset<Row>> reused = new ArrayList<>();

    public FraudInputs(Warehouse warehouse) {
        this(warehouse, null, null, null, -1, -1, false);
    }

    private FraudInputs(Warehouse warehouse, Set<Integer> careYears, Set<Integer> prescriptionYears, List<YearMonth> changedMonths,
                        long changedSince, long claimsVersion, boolean linkedPayments) {
        this.warehouse = warehouse;
        this.careYears = careYears;
        this.prescriptionYears = prescriptionYears;
        this.changedMonths = changedMonths;
        this.changedSince = changedSince;
        this.claimsVersion = claimsVersion;
        this.linkedPayments = linkedPayments;
    }

    /**
     * The same inputs carrying the claims table's current version, read once here for every
     * signal and every derived input (nothing writes the table while they run: the warehouse lock).
     */
    public FraudInputs withClaimsVersion() {
        return new FraudInputs(warehouse, careYears, prescriptionYears, changedMonths, changedSince, warehouse.lastCommit("claims").version(),
                linkedPayments);
    }

    /**
     * The same inputs reading the IJ payments from {@code ij_payments} instead of linking them to
     * their notices again ({@link #ijPayments()}): for a caller whose IJ family has just written
     * that table in this run, from the same claims and notices. Never for a table a past run left.
     */
    public FraudInputs fromLinkedPayments(boolean justWritten) {
        return new FraudInputs(warehouse, careYears, prescriptionYears, changedMonths, changedSince, claimsVersion, justWritten);
    }

    /** The same inputs with {@link #claims()} limited to these care years (incremental runs). */
    public FraudInputs careYears(Set<Integer> years) {
        return new FraudInputs(warehouse, Set.copyOf(years), null, changedMonths, changedSince, claimsVersion, linkedPayments);
    }

    /** The same inputs with {@link #claims()} limited to the lines prescribed in these years (incremental runs). */
    public FraudInputs prescriptionYears(Set<Integer> years) {
        return new FraudInputs(warehouse, null, Set.copyOf(years), changedMonths, changedSince, claimsVersion, linkedPayments);
    }

    /**
     * The same inputs in a night that changed these payment months since the leads were last
     * computed, from claims version {@code since}: a signal keeping state re-aggregates only
     * what lines in them touch (see {@link SignalState}).
     */
    public FraudInputs changedMonths(List<YearMonth> months, long since) {
        return new FraudInputs(warehouse, careYears, prescriptionYears, List.copyOf(months), since, claimsVersion, linkedPayments);
    }

    /**
     * The same inputs with their own {@link #reused} intermediates: one per signal, so that
     * signals computed at once each release only what they kept.
     */
    public FraudInputs copy() {
        return new FraudInputs(warehouse, careYears, prescriptionYears, changedMonths, changedSince, claimsVersion, linkedPayments);
    }

    /** The same inputs, every line (no year limit, no changed months): a whole computation. */
    public FraudInputs whole() {
        return new FraudInputs(warehouse, null, null, null, -1, claimsVersion, linkedPayments);
    }

    /** The payment months a night changed (empty in a whole computation). */
    public Optional<List<YearMonth>> changedMonths() {
        return Optional.ofNullable(changedMonths);
    }

    /**
     * The claims version the {@link #changedMonths()} are counted from: the claims differ from
     * that version in those months only (empty in a whole computation).
     */
    public OptionalLong changedSince() {
        return changedMonths == null || changedSince < 0 ? OptionalLong.empty() : OptionalLong.of(changedSince);
    }

    /** The prescription years {@link #claims()} is limited to (empty: every year). */
    public Optional<Set<Integer>> prescriptionYears() {
        return Optional.ofNullable(prescriptionYears);
    }

    /**
     * A signal's intermediate read by several branches of its plan (the lines it keeps, the
     * population of its peers): kept once (memory, then disk) instead of scanned and aggregated
     * again by each branch, which Spark does whenever the branches keep different columns.
     * Released by {@link #releaseReused()} once the signal's leads are computed.
     */
    public Dataset<Row> reused(Dataset<Row> intermediate) {
        Dataset<Row> kept = intermediate.persist(StorageLevel.MEMORY_AND_DISK());
        reused.add(kept);
        return kept;
    }

    /** Frees what {@link #reused} kept. */
    public void releaseReused() {
        reused.forEach(Dataset::unpersist);
        reused.clear();
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    /**
     * Claim lines: {@code org, ben_id, birth_year, exe, exe_spe, exe_act, pre, pre_spe, rx_date,
     * care_date, care_end, nature, qty, coef, amount, atc, cip13, poste, sous_poste, year,
     * pay_month} (year of the care date: fraud is judged on when care was given, not paid;
     * {@code pay_month}, {@code yyyy-MM}, the table's partition, for state kept by payment month).
     */
    public Dataset<Row> claims() {
        Dataset<Row> claims = warehouse.read("claims");
        if (careYears != null) {
            claims = claims.filter(inYears(col("EXE_SOI_DTD"), careYears));
        }
        if (prescriptionYears != null) {
            claims = claims.filter(inYears(col("PRE_PRE_DTD"), prescriptionYears));
        }
        return named(claims);
    }

    /**
     * The lines of the changed payment months in this claims table (the current one, or one from
     * {@link #claimsAt}), as {@link #claims()} names them. pay_month prunes the partitions: a
     * month or two are read.
     */
    public Dataset<Row> changedLines(Dataset<Row> storedClaims) {
        if (changedMonths == null) {
            throw new IllegalStateException("no changed months: a whole computation");
        }
        return named(storedClaims.filter(IndicatorInputs.inPayMonths(changedMonths)));
    }

    /**
     * The claims table as it was at this version (Delta's time travel): the lines a replaced file
     * has since taken out. Empty when Delta can no longer read that version (its log cleaned up).
     */
    public Optional<Dataset<Row>> claimsAt(long version) {
        try {
            Dataset<Row> then = warehouse.readAt("claims", version);
            then.schema(); // resolves the version now, not in the middle of a job
            return Optional.of(then);
        } catch (RuntimeException e) {
            LOG.warn("claims version {} can no longer be read ({}): what it held is not known", version, e.getMessage());
            return Optional.empty();
        }
    }

    /** The version of the claims table the signals read: the one carried ({@link #withClaimsVersion}), else read now. */
    public long claimsVersion() {
        return claimsVersion >= 0 ? claimsVersion : warehouse.lastCommit("claims").version();
    }

    private static Dataset<Row> named(Dataset<Row> stored) {
        return stored.filter(col("in_scope"))
                .select(col("ORG_AFF_BEN").as("org"), Leads.beneficiary().as("ben_id"), col("BEN_NAI_ANN").as("birth_year"),
                        col("PFS_EXE_NUM").as("exe"), col("PSE_SPE_COD").as("exe_spe"), col("PSE_ACT_NAT").as("exe_act"),
                        col("PFS_PRE_NUM").as("pre"), col("PSP_SPE_COD").as("pre_spe"), col("PRE_PRE_DTD").as("rx_date"),
                        col("EXE_SOI_DTD").as("care_date"), col("EXE_SOI_DTF").as("care_end"), col("PRS_NAT_REF").as("nature"),
                        col("PRS_ACT_QTE").as("qty"), col("PRS_ACT_CFT").as("coef"), col("amount"),
                        col("PHA_ATC_CLA").as("atc"), col("PHA_PRS_C13").as("cip13"), col("poste"), col("sous_poste"),
                        year(col("EXE_SOI_DTD")).as("year"), col("pay_month"));
    }

    /**
     * A date in one of these years. The date range lets Delta skip the month files whose dates all
     * lie outside (file statistics on EXE_SOI_DTD and PRE_PRE_DTD): year() is opaque to data
     * skipping, so alone it read every month; the year list keeps the exact set when it has gaps.
     */
    private static Column inYears(Column date, Set<Integer> years) {
        return date.geq(lit(LocalDate.of(Collections.min(years), 1, 1))).and(date.lt(lit(LocalDate.of(Collections.max(years) + 1, 1, 1))))
                .and(year(date).isin(years.toArray()));
    }

    /**
     * The claims table as stored (its own column names, all lines), limited in an incremental
     * run to care from January 1st of the first care year on: every payment of what started in
     * those years (an IJ payment's care lies inside its notice, so after the notice's start),
     * read from the month files holding such care only (statistics on EXE_SOI_DTD).
     */
    public Dataset<Row> storedClaimsSinceFirstCareYear() {
        return sinceFirstCareYear(warehouse.read("claims"));
    }

    /**
     * The in-scope IJ payment lines linked to their notice ({@link IjPayments#link}'s columns), of
     * care from January 1st of the first care year on in an incremental run: read from
     * {@code ij_payments} when {@link #fromLinkedPayments} says it was just written (a few hundred
     * thousand rows at 50 million lines), else linked here from the claims, which scans every
     * line of those months and joins the notices.
     */
    public Dataset<Row> ijPayments() {
        if (linkedPayments && warehouse.exists(IjPayments.TABLE)) {
            return sinceFirstCareYear(warehouse.read(IjPayments.TABLE));
        }
        return IjPayments.link(warehouse, storedClaimsSinceFirstCareYear());
    }

    /** These lines (with the claims' {@code EXE_SOI_DTD}) of care from January 1st of the first care year on; all without care years. */
    private Dataset<Row> sinceFirstCareYear(Dataset<Row> lines) {
        return careYears == null ? lines : lines.filter(col("EXE_SOI_DTD").geq(lit(LocalDate.of(Collections.min(careYears), 1, 1))));
    }

    public boolean hasClaims() {
        return warehouse.exists("claims");
    }

    public Optional<Dataset<Row>> sickLeave() {
        return warehouse.readIfExists("sick_leave");
    }

    /** Beneficiaries: {@code ben_id, death_date}. */
    public Optional<Dataset<Row>> beneficiaries() {
        return warehouse.readIfExists("beneficiaries")
                .map(b -> b.select(Leads.beneficiary().as("ben_id"), col("BEN_DCD_DTE").as("death_date")));
    }

    /** Hospital stays: {@code ben_id, establishment, entry, exit}. */
    public Optional<Dataset<Row>> hospitalStays() {
        return warehouse.readIfExists("hospital_stays")
                .map(s -> s.select(Leads.beneficiary().as("ben_id"), col("ETA_NUM").as("establishment"),
                        col("SEJ_ENT_DTE").as("entry"), col("SEJ_SOR_DTE").as("exit")));
    }
}
