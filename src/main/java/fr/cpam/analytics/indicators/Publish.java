package fr.cpam.analytics.indicators;

import fr.cpam.analytics.spark.Warehouse;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

import java.util.Map;

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
     * @return the rows this run wrote: the {@code numOutputRows} Delta recorded in the commit
     *         (read from the log, no scan of the table)
     */
    static long write(Warehouse warehouse, Dataset<Row> result, String table, String replaceWhere, int files) {
        var writer = result.coalesce(files).write().format("delta").mode(SaveMode.Overwrite);
        if (replaceWhere == null) {
            writer.option("overwriteSchema", "true").save(warehouse.path(table));
        } else {
            writer.option("replaceWhere", replaceWhere).save(warehouse.path(table));
        }
        return writtenRows(warehouse, table);
    }

    /** Rows the table's last commit wrote, from its operation metrics. */
    static long writtenRows(Warehouse warehouse, String table) {
        Row last = DeltaTable.forPath(warehouse.spark(), warehouse.path(table)).history(1)
                .select("operationMetrics").first();
        Map<String, String> metrics = last.getJavaMap(0);
        String n = metrics == null ? null : metrics.get("numOutputRows");
        if (n == null) {
            throw new IllegalStateException("no numOutputRows in the last commit of " + table + ": " + metrics);
        }
        return Long.parseLong(n);
    }
}
