package fr.cpam.analytics.indicators;

import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

import java.time.YearMonth;
import java.util.Collection;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * Writes an indicator table in one Delta transaction: the whole table, or (incremental runs)
 * only the rows a predicate selects, replaced atomically with {@code replaceWhere}, so readers
 * see either the previous version or the new one, never a half-written table. The same for the
 * monthly state tables some indicators are computed from (replaced by month partition).
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
        return warehouse.writtenRows(table);
    }

    /**
     * Writes a monthly state table (one partition per {@code month_date}, one file each): the
     * whole table, or (incremental runs) only these months replaced with {@code replaceWhere}.
     * Replacing a month twice gives the same rows, so a night stopped after this and before
     * publishing is made good by the next one.
     *
     * @param months null to overwrite the table, else the months {@code rows} replace
     * @return the rows written (the commit's {@code numOutputRows})
     */
    static long writeMonths(Warehouse warehouse, Dataset<Row> rows, String table, Collection<YearMonth> months) {
        var writer = rows.repartition(col("month_date"))
                .write().format("delta").mode(SaveMode.Overwrite).partitionBy("month_date");
        if (months == null) {
            writer.option("overwriteSchema", "true").save(warehouse.path(table));
        } else {
            writer.option("replaceWhere", "month_date IN (" + months.stream().map(m -> "DATE'" + m.atDay(1) + "'")
                    .collect(Collectors.joining(", ")) + ")").save(warehouse.path(table));
        }
        return warehouse.writtenRows(table);
    }

    /** A monthly state table's rows of the months from {@code range[0]} to {@code range[1]} (null: all). */
    static Dataset<Row> readMonths(Warehouse warehouse, String table, YearMonth[] range) {
        Dataset<Row> rows = warehouse.read(table);
        return range == null ? rows : rows.filter(col("month_date").between(range[0].atDay(1), range[1].atDay(1)));
    }
}
