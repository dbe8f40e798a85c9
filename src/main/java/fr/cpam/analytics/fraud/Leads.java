package fr.cpam.analytics.fraud;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.*;

/**
 * The columns every signal produces for a raised lead (OUTPUTS.md {@code fraud_signals}, before
 * the rank, rule version, review status and run id the job adds), and helpers to build them.
 */
public final class Leads {

    public static final String BENEFICIAIRE = "BENEFICIAIRE";
    public static final String PROFESSIONNEL = "PROFESSIONNEL";
    public static final String PRESCRIPTEUR = "PRESCRIPTEUR";
    public static final String ETABLISSEMENT = "ETABLISSEMENT";

    private Leads() {
    }

    /** The beneficiary as the tables name it: BEN_NIR_PSA, with ":rank" for a birth rank other than 1 (twins). */
    public static Column beneficiary() {
        return when(coalesce(col("BEN_RNG_GEM"), lit(1)).equalTo(1), col("BEN_NIR_PSA"))
                .otherwise(concat(col("BEN_NIR_PSA"), lit(":"), col("BEN_RNG_GEM").cast("string")));
    }

    /** Columns by name, for the varargs of groupBy and partitionBy. */
    public static Column[] cols(String... names) {
        return java.util.Arrays.stream(names).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    }

    public static Column yearStart(Column year) {
        return make_date(year, lit(1), lit(1));
    }

    public static Column yearEnd(Column year) {
        return make_date(year, lit(12), lit(31));
    }

    /**
     * Selects and types the lead columns from a frame holding them by name: {@code signal},
     * {@code entity_type}, {@code entity_id}, {@code org}, {@code period_start}, {@code period_end},
     * {@code value}, {@code peer_group}, {@code peer_size}, {@code peer_median}, {@code threshold},
     * {@code score}, {@code amount_at_stake}, {@code motif}.
     */
    public static Dataset<Row> select(Dataset<Row> df) {
        return df.select(
                col("signal"), col("entity_type"), col("entity_id").cast("string").as("entity_id"), col("org"),
                col("period_start").cast("date").as("period_start"), col("period_end").cast("date").as("period_end"),
                round(col("value"), 2).cast("decimal(18,2)").as("value"),
                col("peer_group"), col("peer_size").cast("long").as("peer_size"),
                round(col("peer_median"), 2).cast("decimal(18,2)").as("peer_median"),
                round(col("threshold"), 2).cast("decimal(18,2)").as("threshold"),
                round(col("score"), 3).cast("decimal(12,3)").as("score"),
                round(col("amount_at_stake"), 2).cast("decimal(14,2)").as("amount_at_stake"),
                col("motif"));
    }
}
