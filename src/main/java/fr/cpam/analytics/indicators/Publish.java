package fr.cpam.analytics.indicators;

import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

import static org.apache.spark.sql.functions.col;

/**
 * Writes an indicator table in one Delta transaction: the whole table, or (incremental runs)
 * only the rows a predicate selects, replaced atomically with {@code replaceWhere}, so readers
 * see either the previous version or the new one, never a half-written table.
 */
final class Publish {

    private Publish() {
    }

    /**
     * @param replaceWhere null to overwrite the table (schema included), else the SQL predicate of
     *                     the rows this result replaces
     * @param files        output files per write: indicator tables are small
     * @return the rows this run wrote, read back from the table
     */
    static long write(Warehouse warehouse, Dataset<Row> result, String table, String replaceWhere, int files, String runId) {
        var writer = result.coalesce(files).write().format("delta").mode(SaveMode.Overwrite);
        if (replaceWhere == null) {
            writer.option("overwriteSchema", "true").save(warehouse.path(table));
        } else {
            writer.option("replaceWhere", replaceWhere).save(warehouse.path(table));
        }
        return warehouse.read(table).filter(col("run_id").equalTo(runId)).count();
    }
}
