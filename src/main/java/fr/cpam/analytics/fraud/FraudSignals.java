package fr.cpam.analytics.fraud;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.fraud.signals.CareAfterDeath;
import fr.cpam.analytics.fraud.signals.CareDuringHospitalStay;
import fr.cpam.analytics.fraud.signals.DoctorShopping;
import fr.cpam.analytics.fraud.signals.IjOverlap;
import fr.cpam.analytics.fraud.signals.IjPrescriberOutlier;
import fr.cpam.analytics.fraud.signals.ImpossibleDay;
import fr.cpam.analytics.fraud.signals.NurseCapacity;
import fr.cpam.analytics.fraud.signals.OffLabelCovid;
import fr.cpam.analytics.fraud.signals.PeerOutlier;
import fr.cpam.analytics.fraud.signals.SameRxMultiPharmacy;
import fr.cpam.analytics.fraud.signals.TaxiTripsPerDay;
import fr.cpam.analytics.indicators.IndicatorInputs;
import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.spark.DriverThreads;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.apache.spark.sql.functions.*;

/**
 * Computes the configured fraud signals and writes {@code fraud_signals} (one row per raised
 * lead, ranked within its signal, fund and entity type) and {@code fraud_targets} (one row per
 * entity, its signals combined). Every lead starts at {@code review_status = A_REVOIR}: a signal
 * is a lead for a human controller, never a decision.
 *
 * <pre>{@code
 * FraudSignals.Result r = FraudSignals.builder(warehouse).config(config).run(run).build().execute();
 * }</pre>
 */
public final class FraudSignals {

    public static final String SIGNALS = "fraud_signals";
    public static final String TARGETS = "fraud_targets";
    public static final String TO_REVIEW = "A_REVOIR";
    /**
     * The stage that times the signals' computation as a whole (run_log): with
     * {@code fraud.parallelism} above 1 the signals' own stages ({@code fraud: CODE}) overlap.
     */
    public static final String STAGE = "fraud signals";

    /** Every signal this version knows, in the order of the issue. */
    public static final List<FraudSignal> ALL = List.of(new DoctorShopping(), new SameRxMultiPharmacy(),
            new IjPrescriberOutlier(), new IjOverlap(), new NurseCapacity(), new ImpossibleDay(), new TaxiTripsPerDay(),
            new CareAfterDeath(), new CareDuringHospitalStay(), new OffLabelCovid(), new PeerOutlier());

    private static final Logger LOG = LoggerFactory.getLogger(FraudSignals.class);

    /**
     * Leads per signal (0 for a signal that raised none, absent for one skipped), rows written and
     * target rows, and the rows each signal state table's write held (the whole state, or a
     * night's recomputed years or months).
     */
    public record Result(Map<String, Long> leadsBySignal, long rows, long targets, Map<String, Long> stateRows) {
    }

    private final Warehouse warehouse;
    private final JobConfig config;
    private final RunContext run;
    private final List<FraudSignal> signals;
    private final List<YearMonth> changedMonths;
    private final boolean linkedPayments;

    private FraudSignals(Builder b) {
        this.warehouse = Objects.requireNonNull(b.warehouse);
        this.config = b.config == null ? JobConfig.defaults() : b.config;
        this.run = b.run == null ? new RunContext("compute") : b.run;
        List<String> codes = b.signals != null ? b.signals : config.getStringList("fraud.signals");
        List<FraudSignal> chosen = new ArrayList<>();
        for (String code : codes) {
            chosen.add(byCode(code));
        }
        this.signals = chosen;
        this.changedMonths = b.changedMonths;
        this.linkedPayments = b.linkedPayments;
    }

    public static FraudSignal byCode(String code) {
        for (FraudSignal s : ALL) {
            if (s.code().equals(code)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown fraud signal '" + code + "'; known: "
                + String.join(", ", ALL.stream().map(FraudSignal::code).toList()));
    }

    public static Builder builder(Warehouse warehouse) {
        return new Builder(warehouse);
    }

    public static final class Builder {
        private final Warehouse warehouse;
        private JobConfig config;
        private RunContext run;
        private List<String> signals;
        private List<YearMonth> changedMonths;
        private boolean linkedPayments;

        private Builder(Warehouse warehouse) {
            this.warehouse = warehouse;
        }

        public Builder config(JobConfig config) {
            this.config = config;
            return this;
        }

        public Builder run(RunContext run) {
            this.run = run;
            return this;
        }

        /** Only these signal codes (default: {@code cpam.fraud.signals}). */
        public Builder signals(List<String> codes) {
            this.signals = codes;
            return this;
        }

        /**
         * Recompute only the leads of the care years these payment months hold (null or empty:
         * everything). The caller passes null when notices, deaths or hospital stays changed.
         */
        public Builder changedMonths(List<YearMonth> months) {
            this.changedMonths = months;
            return this;
        }

        /**
         * Whether the IJ family has just written {@code ij_payments} in this run, from the same
         * claims and notices: the signals then read the linked payments from it
         * ({@link FraudInputs#fromLinkedPayments}). Never for a table a past run left.
         */
        public Builder fromLinkedPayments(boolean justWritten) {
            this.linkedPayments = justWritten;
            return this;
        }

        public FraudSignals build() {
            return new FraudSignals(this);
        }
    }

    public Result execute() {
        if (!warehouse.exists("claims")) {
            throw new IllegalStateException("no claims table in " + warehouse.root() + ": the fraud signals need claim lines");
        }
        FraudInputs in = new FraudInputs(warehouse).fromLinkedPayments(linkedPayments).withClaimsVersion();
        Map<String, String> stamps = new LinkedHashMap<>();
        signals.forEach(s -> stamps.put(s.code(), s.stamp(config)));
        long claimsVersion = in.claimsVersion();
        Map<String, String> previous = changedMonths == null || changedMonths.isEmpty() ? Map.of() : previousStamps();
        AffectedYears affected = previous.isEmpty() ? null : affectedYears(in, claimsVersion, previous.get(CLAIMS_VERSION));
        if (affected != null) {
            LOG.info("fraud signals: leads of care years {} (prescription years {} for the signals judged on them) "
                    + "recomputed, the others kept", affected.care(), affected.prescription());
        }
        // in a night, the claims version the stored leads were computed from
        OptionalLong since = affected == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(previous.get(CLAIMS_VERSION)));
        List<Supplier<Computed>> tasks = new ArrayList<>();
        for (FraudSignal s : signals) {
            if (!s.applicable(in)) {
                LOG.warn("fraud signal {} skipped: a table it needs is missing", s.code());
                continue;
            }
            boolean keep = affected != null && s.yearly() && stamps.get(s.code()).equals(previous.get(s.code()));
            tasks.add(() -> compute(s, in, keep ? affected.of(s.judged()) : null, since));
        }
        // the signals, fraud.parallelism at a time: most are a few small jobs, and between a
        // signal's jobs the driver works alone while the cores wait
        List<Computed> done = run.stage(STAGE, () -> DriverThreads.run(warehouse.spark().sparkContext(), "cpam-fraud-" + run.runId(),
                config.getInt("fraud.parallelism"), tasks));
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Long> stateRows = new LinkedHashMap<>();
        List<Dataset<Row>> computed = new ArrayList<>();
        for (Computed c : done) {
            computed.add(c.leads());
            counts.put(c.code(), c.count());
            stateRows.putAll(c.stateRows());
        }
        if (computed.isEmpty()) {
            throw new IllegalStateException("no fraud signal could be computed (see the warnings)");
        }
        Dataset<Row> all = computed.get(0);
        for (int i = 1; i < computed.size(); i++) {
            all = all.unionByName(computed.get(i));
        }
        Dataset<Row> ranked = rank(all);
        Map<String, String> computedStamps = new LinkedHashMap<>();
        counts.keySet().forEach(c -> computedStamps.put(c, stamps.get(c)));
        computedStamps.put(CLAIMS_VERSION, String.valueOf(claimsVersion));
        long rows = run.stage("fraud: write " + SIGNALS, () -> overwrite(ranked, SIGNALS, Warehouse.metadata(computedStamps)));
        long targets = run.stage("fraud: write " + TARGETS, () -> overwrite(targets(warehouse.read(SIGNALS)
                .filter(col("run_id").equalTo(run.runId()))), TARGETS, null));
        return new Result(counts, rows, targets, stateRows);
    }

    /** One signal's outcome: its leads (checkpointed), how many, and its state table's written rows (if it keeps one). */
    private record Computed(String code, Dataset<Row> leads, long count, Map<String, Long> stateRows) {
    }

    /**
     * One signal's leads. {@code years}: the years a night recomputes (null: every year, a whole
     * computation or a signal whose stored leads cannot be kept); {@code since}: in a night, the
     * claims version the stored leads reflect (a signal with a state kept by payment month is
     * then told the night's months too).
     */
    private Computed compute(FraudSignal s, FraudInputs in, Set<Integer> years, OptionalLong since) {
        boolean keep = years != null;
        // the signal reads the lines that judge the affected years (see FraudSignal.Judged) and
        // keeps the stored leads of the other years; its own copy of the inputs in any case, so
        // that it releases only the intermediates it kept itself (signals run at once)
        FraudInputs source = !keep ? in.copy() : switch (s.judged()) {
            case CARE_YEAR_AND_NEIGHBOURS -> in.careYears(withNeighbours(years));
            case CARE_YEAR -> in.careYears(years);
            case PRESCRIPTION_YEAR -> in.prescriptionYears(years);
        };
        // a signal whose leads span any dates recomputes them whole, but one with a state kept by
        // payment month is told the night's months too: it replaces those months' partial sums only
        boolean monthly = since.isPresent() && !s.yearly() && s.stateTable().isPresent();
        FraudInputs inputs = keep || monthly ? source.changedMonths(changedMonths, since.getAsLong()) : source;
        Column changed = keep ? year(col("period_start")).isin(years.toArray()) : null;
        // each signal's leads are few: checkpointed (computed once, kept in memory, timed per
        // signal in run_log), then written together in one transaction. A checkpoint, not a
        // cache: the union below flattens a signal's own union (new years + kept leads) into
        // itself, so a cached plan was no longer recognised and that signal ran a second time.
        // The checkpoint lives on the executors: one lost before the write fails the run, which
        // a re-run repeats (the leads are a few thousand rows, recomputed in seconds)
        Dataset<Row> checkpointed = run.stage("fraud: " + s.code(), () -> {
            try {
                // inside the stage: a signal with per-entity state writes it here
                Dataset<Row> fresh = s.leads(inputs, config).withColumn("rule_version", lit(s.ruleVersion()));
                Dataset<Row> leads = keep ? fresh.filter(changed).unionByName(storedLeads(s.code()).filter(not(changed))) : fresh;
                return leads.localCheckpoint(true, StorageLevel.MEMORY_AND_DISK());
            } finally {
                inputs.releaseReused();
            }
        });
        return new Computed(s.code(), checkpointed, checkpointed.count(),
                s.stateTable().map(t -> Map.of(t, warehouse.writtenRows(t))).orElse(Map.of()));
    }

    /**
     * The stamps of the signals the last write of {@code fraud_signals} computed, from its Delta
     * commit metadata: a signal's stored leads are reused only if computed by the same rule with
     * the same settings (a signal added since, or retuned, is recomputed whole).
     */
    private Map<String, String> previousStamps() {
        if (!warehouse.exists(SIGNALS)) {
            return Map.of();
        }
        Warehouse.Commit last = warehouse.lastCommit(SIGNALS);
        storedVersion = last.version();
        return last.metadata();
    }

    /** The years whose leads a night recomputes, by the date a lead's year is taken from. */
    private record AffectedYears(Set<Integer> care, Set<Integer> prescription) {
        Set<Integer> of(FraudSignal.Judged judged) {
            return judged == FraudSignal.Judged.PRESCRIPTION_YEAR ? prescription : care;
        }
    }

    /** The entry of the commit metadata that holds the claims version the leads were computed from. */
    private static final String CLAIMS_VERSION = "@claims";

    /**
     * The care years and the prescription years of the lines in the changed payment months, each
     * with those months' own years. A line paid this month can have been prescribed last year (a
     * renewal): that year's leads of a signal judged on the prescription change too. The lines
     * are those now in the months and those the claims held when the stored leads were computed:
     * a replaced file can take out the only line of a year. Null (recompute everything) when
     * that version is not recorded or can no longer be read.
     */
    private AffectedYears affectedYears(FraudInputs in, long claimsVersion, String previousVersion) {
        if (previousVersion == null) {
            LOG.info("fraud signals: the claims version of the stored leads is not recorded: every year recomputed");
            return null;
        }
        List<Dataset<Row>> tables = new ArrayList<>(List.of(warehouse.read("claims")));
        if (Long.parseLong(previousVersion) != claimsVersion) {
            var before = in.claimsAt(Long.parseLong(previousVersion));
            if (before.isEmpty()) {
                return null;
            }
            tables.add(before.get());
        }
        Set<Integer> care = new TreeSet<>();
        Set<Integer> prescription = new TreeSet<>();
        changedMonths.forEach(m -> care.add(m.getYear()));
        prescription.addAll(care);
        for (Dataset<Row> claims : tables) {
            // a handful of pairs: pay_month prunes the partitions, the result is a few integers
            for (Row r : claims.filter(IndicatorInputs.inPayMonths(changedMonths))
                    .select(year(col("EXE_SOI_DTD")), year(col("PRE_PRE_DTD"))).distinct().collectAsList()) {
                if (!r.isNullAt(0)) {
                    care.add(r.getInt(0));
                }
                if (!r.isNullAt(1)) {
                    prescription.add(r.getInt(1));
                }
            }
        }
        return new AffectedYears(care, prescription);
    }

    private static Set<Integer> withNeighbours(Set<Integer> years) {
        Set<Integer> out = new TreeSet<>();
        years.forEach(y -> out.addAll(List.of(y - 1, y, y + 1)));
        return out;
    }

    /** The version of {@code fraud_signals} the kept leads come from (this run overwrites the table). */
    private long storedVersion = -1;

    /** A signal's published leads, unranked, in the shape {@link FraudSignal#leads} returns. */
    private Dataset<Row> storedLeads(String code) {
        // pinned to the version read: recomputed after this run's write, it must not see its own leads
        return warehouse.readAt(SIGNALS, storedVersion).filter(col("signal").equalTo(code))
                .select("signal", "entity_type", "entity_id", "org", "period_start", "period_end", "value", "peer_group",
                        "peer_size", "peer_median", "threshold", "score", "amount_at_stake", "motif", "rule_version");
    }

    /**
     * Rank 1 = most suspicious within (signal, org, entity type): score, then amount at stake, then
     * id, then the most recent window first (an entity raised twice alike): a total order, so
     * the ranks are the same on every run.
     */
    private Dataset<Row> rank(Dataset<Row> leads) {
        WindowSpec w = Window.partitionBy("signal", "org", "entity_type")
                .orderBy(col("score").desc(), col("amount_at_stake").desc_nulls_last(), col("entity_id"), col("period_start").desc());
        return leads.withColumn("rank", row_number().over(w))
                .select(lit(run.runId()).as("run_id"), col("signal"), col("entity_type"), col("entity_id"), col("org"),
                        col("period_start"), col("period_end"), col("value"), col("peer_group"), col("peer_size"),
                        col("peer_median"), col("threshold"), col("score"), col("rank"), col("amount_at_stake"), col("motif"),
                        col("rule_version"), lit(TO_REVIEW).as("review_status"));
    }

    /**
     * One row per entity: its signals, a combined score and a rank within the fund. Each signal
     * adds between 0 and 1 — 1 for its rank 1, down to 1/n for its last of n leads of that kind
     * in the fund — so signals with different units combine, and an entity raised by several
     * signals comes first.
     */
    static Dataset<Row> targets(Dataset<Row> signals) {
        WindowSpec sameList = Window.partitionBy("signal", "org", "entity_type");
        Column position = lit(1.0).minus(col("rank").minus(1).divide(count(lit(1)).over(sameList)));
        // one contribution per signal: an entity raised in several years counts its best year
        Dataset<Row> perSignal = signals.withColumn("_points", position)
                .groupBy("org", "entity_type", "entity_id", "signal")
                .agg(max("_points").as("_points"), min("rank").as("_best_rank"), sum("amount_at_stake").as("_amount"),
                        min("period_start").as("_start"), max("period_end").as("_end"), first("run_id").as("run_id"));
        Dataset<Row> combined = perSignal.groupBy("org", "entity_type", "entity_id")
                .agg(array_sort(collect_list("signal")).as("signals"), count(lit(1)).as("signal_count"),
                        round(sum("_points"), 3).cast("decimal(10,3)").as("combined_score"),
                        sum("_amount").cast("decimal(16,2)").as("amount_at_stake"), min("_best_rank").as("best_signal_rank"),
                        min("_start").as("period_start"), max("_end").as("period_end"), first("run_id").as("run_id"));
        WindowSpec w = Window.partitionBy("org").orderBy(col("combined_score").desc(), col("amount_at_stake").desc(), col("entity_id"), col("entity_type"));
        return combined.withColumn("rank", row_number().over(w))
                .select(col("run_id"), col("org"), col("entity_type"), col("entity_id"), col("signals"), col("signal_count"),
                        col("combined_score"), col("rank"), col("amount_at_stake"), col("best_signal_rank"), col("period_start"),
                        col("period_end"), lit(TO_REVIEW).as("review_status"));
    }

    private long overwrite(Dataset<Row> df, String table, String commitMetadata) {
        var writer = df.coalesce(1).write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true");
        if (commitMetadata != null) {
            writer = writer.option("userMetadata", commitMetadata);
        }
        writer.save(warehouse.path(table));
        // what the commit wrote: every row is this run's (an overwrite)
        return warehouse.writtenRows(table);
    }
}
