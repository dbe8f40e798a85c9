package fr.cpam.analytics.fraud;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * Peer statistics of a measure within groups (fund x year x specialty ...), added to every
 * member: {@code peer_size}, {@code peer_median}, {@code peer_quantile} (a chosen percentile),
 * {@code peer_mad}, {@code peer_scale} (the z-score's denominator) and {@code robust_z}.
 *
 * <p>Percentiles are exact: Spark's {@code percentile} aggregate counts each distinct value,
 * then interpolates linearly between the closest ranks (like numpy's default), so memory
 * grows with the number of distinct values, not rows. The robust z-score is the modified
 * z-score of Iglewicz and Hoaglin, (x - median) / (1.4826 MAD); when more than half the peers
 * share the median (MAD = 0) it falls back to 1.2533 x the mean absolute deviation, the
 * usual convention, and is null when every peer has the same value.
 */
public final class Peers {

    private Peers() {
    }

    /** Adds the peer columns to {@code population} (one row per member, {@code value} numeric); quantile 0.99. */
    public static Dataset<Row> of(Dataset<Row> population, List<String> groupKeys, String value) {
        return of(population, groupKeys, value, 0.99);
    }

    /** Same, with {@code peer_quantile} the given percentile (0..1) of the peers' values. */
    public static Dataset<Row> of(Dataset<Row> population, List<String> groupKeys, String value, double quantile) {
        Column x = col(value).cast("double");
        Column[] keys = groupKeys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        // windows over the peer group rather than group-by + join: a null key (no specialty) is a
        // group like any other, and the members stay where they are
        WindowSpec group = Window.partitionBy(keys);
        Column deviation = abs(x.minus(col("peer_median")));
        return population
                .withColumn("peer_size", count(lit(1)).over(group))
                .withColumn("peer_median", percentile(x, lit(0.5)).over(group))
                .withColumn("peer_quantile", percentile(x, lit(quantile)).over(group))
                .withColumn("_mad", percentile(deviation, lit(0.5)).over(group))
                .withColumn("_mean_ad", avg(deviation).over(group))
                .withColumn("peer_mad", col("_mad"))
                .withColumn("peer_scale", when(col("_mad").gt(0), col("_mad").multiply(1.4826))
                        .when(col("_mean_ad").gt(0), col("_mean_ad").multiply(1.2533)))
                .withColumn("robust_z", x.minus(col("peer_median")).divide(col("peer_scale")))
                .drop("_mad", "_mean_ad");
    }
}
