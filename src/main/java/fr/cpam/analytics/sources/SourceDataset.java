package fr.cpam.analytics.sources;

import fr.cpam.analytics.reference.ResourceCsv;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The input datasets of the contract (INPUTS.md): where their files live under the input
 * root, which silver table they load, and their column schema (a data file, {@code schemas/}).
 */
public enum SourceDataset {
    CLAIMS("claims", "claims", "BEN_NIR_PSA", true),
    SICK_LEAVE("sick_leave", "sick_leave", "BEN_NIR_PSA", false),
    OPENDAMIR("opendamir", "opendamir", null, true),
    BENEFICIARIES("reference/beneficiaries", "beneficiaries", "BEN_NIR_PSA", false),
    HOSPITAL_STAYS("reference/hospital_stays", "hospital_stays", "BEN_NIR_PSA", false);

    private final String folder;
    private final String table;
    private final String nirColumn;
    private final boolean partitionedByMonth;
    private volatile List<ColumnSpec> columns;

    SourceDataset(String folder, String table, String nirColumn, boolean partitionedByMonth) {
        this.folder = folder;
        this.table = table;
        this.nirColumn = nirColumn;
        this.partitionedByMonth = partitionedByMonth;
    }

    /** Folder under the input root. */
    public String folder() {
        return folder;
    }

    /** Silver table name in the warehouse. */
    public String table() {
        return table;
    }

    /** Column checked by the privacy rule, or null. */
    public String nirColumn() {
        return nirColumn;
    }

    /** Claims and Open DAMIR are partitioned by payment month ({@code pay_month}). */
    public boolean partitionedByMonth() {
        return partitionedByMonth;
    }

    public List<ColumnSpec> columns() {
        if (columns == null) {
            columns = Collections.unmodifiableList(loadSchema(table));
        }
        return columns;
    }

    public ColumnSpec column(String name) {
        for (ColumnSpec c : columns()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /** Typed input columns, in schema order. */
    public StructType inputSchema() {
        List<StructField> fields = new ArrayList<>();
        for (ColumnSpec c : columns()) {
            fields.add(DataTypes.createStructField(c.name(), c.sparkType(), true));
        }
        return DataTypes.createStructType(fields);
    }

    public static SourceDataset byTable(String table) {
        for (SourceDataset d : values()) {
            if (d.table.equals(table.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset " + table);
    }

    static List<ColumnSpec> loadSchema(String table) {
        List<ColumnSpec> out = new ArrayList<>();
        for (String[] f : ResourceCsv.read("schemas/" + table + ".csv")) {
            out.add(new ColumnSpec(f[0], f[1], "yes".equals(f[2]), f[3].isEmpty() ? null : f[3],
                    f[4].isEmpty() ? 0 : Integer.parseInt(f[4]), f[5].isEmpty() ? null : f[5], f[6]));
        }
        return out;
    }
}
