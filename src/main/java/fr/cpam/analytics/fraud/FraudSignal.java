package fr.cpam.analytics.fraud;

import fr.cpam.analytics.config.JobConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One targeting rule: its fixed code, the version of its rule (bumped whenever the definition
 * or a default changes, so a lead can be traced to the rule that raised it), and the leads it
 * raises, with the columns of {@link Leads#select}. Parameters live under
 * {@code cpam.fraud.<configKey>}.
 */
public abstract class FraudSignal {

    public abstract String code();

    public abstract String ruleVersion();

    /** The configuration block of the signal, e.g. {@code doctor-shopping}. */
    public String configKey() {
        return code().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * Raised leads only (never every entity): unranked, one row per entity and window. A signal
     * with a {@link #stateTable()} writes its state here, before returning.
     */
    public abstract Dataset<Row> leads(FraudInputs in, JobConfig config);

    /** Whether the tables the signal needs exist (a signal without its inputs is skipped, with a warning). */
    public boolean applicable(FraudInputs in) {
        return in.hasClaims();
    }

    /**
     * Whether every lead belongs to one calendar year and is judged on that year's data (give or
     * take a year across its boundaries): such a signal can be recomputed for the changed years
     * only. A signal whose lead spans any dates (care after death) has every lead recomputed on
     * every run (from a state kept by payment month, if it keeps one).
     */
    public boolean yearly() {
        return true;
    }

    /**
     * The year a lead belongs to, and which lines judge it: what an incremental run recomputes
     * after a month changed and what it reads to do so.
     */
    public enum Judged {
        /**
         * The year of the care; the lines of that year give or take a year (a treatment, an IJ
         * period or a stay crossing New Year): the care years of the changed lines are recomputed
         * from those years and their neighbours.
         */
        CARE_YEAR_AND_NEIGHBOURS,
        /**
         * The year of the care, on the lines with care in that year alone (the signal groups them
         * by fund and care year, and reads other tables whole if at all).
         */
        CARE_YEAR,
        /**
         * The year of the prescription, on the lines prescribed that year alone, whatever their
         * care date: the prescription years of the changed lines are recomputed from those lines.
         */
        PRESCRIPTION_YEAR
    }

    /** See {@link Judged}; meaningful only for a {@link #yearly()} signal. */
    public Judged judged() {
        return Judged.CARE_YEAR_AND_NEIGHBOURS;
    }

    /**
     * The table of the signal's state ({@link SignalState}), if it keeps one: by year for a
     * {@link #yearly()} signal, by payment month for the others.
     */
    public java.util.Optional<String> stateTable() {
        return java.util.Optional.empty();
    }

    /** What the signal's leads depend on besides the data: its rule version and its settings. */
    public String stamp(JobConfig config) {
        return ruleVersion() + "#" + config.hash("fraud." + configKey());
    }

    protected String key(String parameter) {
        return "fraud." + configKey() + "." + parameter;
    }
}
