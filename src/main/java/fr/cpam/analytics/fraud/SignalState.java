package fr.cpam.analytics.fraud;

import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

import java.time.YearMonth;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * A signal's stored state: what its leads and its peers are computed from, by year or by payment
 * month. A whole computation rewrites it; a night replaces only some years or months
 * ({@code replaceWhere}):
 * <ul>
 * <li>by year ({@link #SignalState(Warehouse, String, String)}): one row per entity and year; a
 * night re-aggregates only the entities with lines in the changed months and replaces the
 * changed years' rows;</li>
 * <li>by payment month ({@link #byPayMonth}): partial sums of each payment month's lines, a
 * function of that month's lines alone; a night replaces the changed months' rows. Not
 * partitioned: such a state is small (1.8 MB for 10 million claim lines), and a file per month
 * made a whole computation's write take 5 s at 10 million lines. The rows are
 * written in month order, so Delta's file statistics on {@code pay_month} limit a night's
 * replacement to the files holding its months.</li>
 * </ul>
 *
 * <p>Each write records in its commit the signal's stamp (rule version and settings) and the
 * version of the claims table it reflects. A state written by another rule or with other
 * settings is not used (the night computes the signal whole and rewrites it); the claims
 * version lets a night find the entities a replaced file took lines away from.
 */
public final class SignalState {

    /** The commit metadata's entries: the signal's stamp, the claims version the rows reflect. */
    private static final String STAMP = "stamp";
    private static final String CLAIMS = "claims";

    private final Warehouse warehouse;
    private final String table;
    private final String stamp;
    /**
     * The column a night's replacement selects on: {@code year} (an integer, the partition) or
     * {@code pay_month} ({@code yyyy-MM}, a data column).
     */
    private final String column;
    private long storedVersion = -1;

    /** A state by year (column {@code year}). */
    public SignalState(Warehouse warehouse, String table, String stamp) {
        this(warehouse, table, stamp, "year");
    }

    private SignalState(Warehouse warehouse, String table, String stamp, String column) {
        this.warehouse = warehouse;
        this.table = table;
        this.stamp = stamp;
        this.column = column;
    }

    /** A state by payment month (column {@code pay_month}, as the claims table holds it: {@code yyyy-MM}). */
    public static SignalState byPayMonth(Warehouse warehouse, String table, String stamp) {
        return new SignalState(warehouse, table, stamp, "pay_month");
    }

    public String table() {
        return table;
    }

    /**
     * The claims version the stored state reflects, when it was written with this stamp (empty:
     * no state, or one from another rule or other settings).
     */
    public OptionalLong claimsVersion() {
        if (!warehouse.exists(table)) {
            return OptionalLong.empty();
        }
        Warehouse.Commit last = warehouse.lastCommit(table);
        String claims = last.metadata().get(CLAIMS);
        if (!stamp.equals(last.metadata().get(STAMP)) || claims == null) {
            return OptionalLong.empty();
        }
        storedVersion = last.version();
        return OptionalLong.of(Long.parseLong(claims));
    }

    /** The stored rows, pinned to the version {@link #claimsVersion()} validated (this run overwrites them). */
    public Dataset<Row> stored() {
        if (storedVersion < 0) {
            throw new IllegalStateException(table + ": no valid state read (call claimsVersion() first)");
        }
        return warehouse.readAt(table, storedVersion);
    }

    /** Writes the whole state, computed from this claims version. */
    public void overwrite(Dataset<Row> rows, long claimsVersion) {
        write(rows, null, claimsVersion);
    }

    /** Replaces these years' rows (the others stay), the state now reflecting this claims version. */
    public void replaceYears(Dataset<Row> rows, Set<Integer> years, long claimsVersion) {
        requireColumn("year");
        write(rows, years.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)), claimsVersion);
    }

    /** Replaces these payment months' rows (the others stay), the state now reflecting this claims version. */
    public void replacePayMonths(Dataset<Row> rows, Collection<YearMonth> months, long claimsVersion) {
        requireColumn("pay_month");
        write(rows, months.stream().map(m -> "'" + m + "'").collect(Collectors.toCollection(TreeSet::new)), claimsVersion);
    }

    private void requireColumn(String expected) {
        if (!column.equals(expected)) {
            throw new IllegalStateException(table + " is kept by " + column + ", not " + expected);
        }
    }

    /** values: the years or months to replace, as SQL literals (null: the whole table). */
    private void write(Dataset<Row> rows, Set<String> values, long claimsVersion) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(STAMP, stamp);
        metadata.put(CLAIMS, String.valueOf(claimsVersion));
        // by year: the table's partitions; by month: one table, written in month order
        var writer = column.equals("year") ? rows.write().partitionBy(column)
                : rows.repartitionByRange(col(column)).sortWithinPartitions(column).write();
        writer = writer.format("delta").mode(SaveMode.Overwrite).option("userMetadata", Warehouse.metadata(metadata));
        if (values == null) {
            writer = writer.option("overwriteSchema", "true");
        } else {
            writer = writer.option("replaceWhere", column + " IN (" + String.join(", ", values) + ")");
        }
        writer.save(warehouse.path(table));
    }
}
