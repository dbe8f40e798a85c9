package fr.cpam.analytics.spark;

import fr.cpam.analytics.config.JobConfig;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Builds the job's SparkSession from configuration: Delta enabled, master only when not submitted. */
public final class Sparks {

    private static final Logger LOG = LoggerFactory.getLogger(Sparks.class);

    private Sparks() {
    }

    public static SparkSession session(JobConfig config) {
        SparkSession.Builder builder = SparkSession.builder()
                .appName(config.getString("spark.app-name"))
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.shuffle.partitions", config.getInt("spark.shuffle-partitions"))
                // java.time types in Rows: LocalDate / Instant, no java.sql.Date conversions
                .config("spark.sql.datetime.java8API.enabled", "true");
        // spark-submit sets spark.master as a system property; never override it
        if (System.getProperty("spark.master") == null) {
            builder.master(config.getString("spark.master"));
        }
        if (config.getBoolean("spark.event-log.enabled")) {
            builder.config("spark.eventLog.enabled", "true")
                    .config("spark.eventLog.dir", config.getString("spark.event-log.dir"));
        }
        for (Map.Entry<String, String> e : config.getStringMap("spark.conf").entrySet()) {
            if (e.getKey().equals("spark.driver.memory") && System.getProperty("spark.master") == null) {
                continue; // the local launcher sets the heap with -Xmx; too late to change here
            }
            builder.config(e.getKey(), e.getValue());
        }
        SparkSession spark = builder.getOrCreate();
        LOG.info("Spark {} master={} defaultParallelism={}", spark.version(),
                spark.sparkContext().master(), spark.sparkContext().defaultParallelism());
        return spark;
    }
}
