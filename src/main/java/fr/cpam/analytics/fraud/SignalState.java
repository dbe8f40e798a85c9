package fr.cpam.analytics.fraud;

import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A signal's per-entity state: one row per entity and year (column {@code year}, the table's
 * partition), what its leads and its peers are computed from. A whole computation rewrites it;
 * a night re-aggregates only the entities with lines in the changed months and replaces the
 * changed years' rows ({@code replaceWhere}).
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
    private long storedVersion = -1;

    public SignalState(Warehouse warehouse, String table, String stamp) {
        this.warehouse = warehouse;
        this.table = table;
        this.stamp = stamp;
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
        write(rows, new TreeSet<>(years), claimsVersion);
    }

    private void write(Dataset<Row> rows, Set<Integer> years, long claimsVersion) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(STAMP, stamp);
        metadata.put(CLAIMS, String.valueOf(claimsVersion));
        var writer = rows.write().format("delta").mode(SaveMode.Overwrite).partitionBy("year")
                .option("userMetadata", Warehouse.metadata(metadata));
        if (years == null) {
            writer = writer.option("overwriteSchema", "true");
        } else {
            writer = writer.option("replaceWhere", "year IN (" + years.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
        }
        writer.save(warehouse.path(table));
    }
}
