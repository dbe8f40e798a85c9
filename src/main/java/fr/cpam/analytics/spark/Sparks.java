package fr.cpam.analytics.spark;

import fr.cpam.analytics.config.JobConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the job's SparkSession from configuration (Delta enabled, master only when not
 * submitted), and runs a SQL query over one Dataset without a view shared in the session
 * ({@link #sqlOver}).
 */
public final class Sparks {

    private static final Logger LOG = LoggerFactory.getLogger(Sparks.class);
    static final String WAREHOUSE_DIR = "spark.sql.warehouse.dir";
    private static final AtomicLong VIEWS = new AtomicLong();

    private Sparks() {
    }

    /**
     * A SQL query over one Dataset, named {@code {input}} in the query (for what only SQL says
     * plainly, such as GROUPING SETS). The Dataset is a temporary view under a name of its own for
     * the query's analysis only: a fixed name would let two computations planned at the same time
     * in one session read each other's rows.
     */
    public static Dataset<Row> sqlOver(Dataset<Row> input, String query) {
        String view = "_input_" + VIEWS.incrementAndGet();
        input.createOrReplaceTempView(view);
        try {
            // analysed here, so the view's plan is in the result and the name can go
            return input.sparkSession().sql(query.replace("{input}", view));
        } finally {
            input.sparkSession().catalog().dropTempView(view);
        }
    }

    public static SparkSession session(JobConfig config) {
        SparkSession.Builder builder = SparkSession.builder().appName(config.getString("spark.app-name"));
        // spark-submit sets spark.master as a system property; never override it
        boolean submitted = System.getProperty("spark.master") != null;
        if (!submitted) {
            builder.master(config.getString("spark.master"));
        }
        settings(config, submitted, System.getProperty(WAREHOUSE_DIR) != null).forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        LOG.info("Spark {} master={} defaultParallelism={}", spark.version(),
                spark.sparkContext().master(), spark.sparkContext().defaultParallelism());
        return spark;
    }

    /**
     * The session's settings, in the order they are applied.
     *
     * @param submitted       launched by spark-submit (its --driver-memory is the one that counts)
     * @param warehouseDirSet spark.sql.warehouse.dir already given to spark-submit
     */
    public static Map<String, String> settings(JobConfig config, boolean submitted, boolean warehouseDirSet) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        s.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        s.put("spark.sql.shuffle.partitions", String.valueOf(config.getInt("spark.shuffle-partitions")));
        // java.time types in Rows: LocalDate / Instant, no java.sql.Date conversions
        s.put("spark.sql.datetime.java8API.enabled", "true");
        // Spark creates its catalog's folder the first time a query needs the catalog, by default
        // an empty spark-warehouse/ where the command runs; the job's tables are paths under the
        // warehouse, so the catalog's folder is the warehouse too
        if (!warehouseDirSet) {
            s.put(WAREHOUSE_DIR, config.getString("warehouse"));
        }
        if (config.getBoolean("spark.event-log.enabled")) {
            s.put("spark.eventLog.enabled", "true");
            s.put("spark.eventLog.dir", config.getString("spark.event-log.dir"));
        }
        for (Map.Entry<String, String> e : config.getStringMap("spark.conf").entrySet()) {
            if (e.getKey().equals("spark.driver.memory") && !submitted) {
                continue; // the local launcher sets the heap with -Xmx; too late to change here
            }
            s.put(e.getKey(), e.getValue());
        }
        return s;
    }
}
