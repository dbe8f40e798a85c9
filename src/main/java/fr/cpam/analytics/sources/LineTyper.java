package fr.cpam.analytics.sources;

import org.apache.spark.sql.types.Decimal;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the raw fields of one line into typed values following the dataset's schema, and
 * says why when it cannot: every rejection reason of INPUTS.md has a code here.
 */
public final class LineTyper implements Serializable {

    /** Header problems reject a whole file. */
    public static final class HeaderException extends Exception {
        public HeaderException(String message) {
            super(message);
        }
    }

    /** How a file's header maps onto the schema. */
    public static final class Binding implements Serializable {
        final int[] index;          // schema column -> field position, -1 when absent
        final int fieldCount;       // fields in the header
        final int optionalTrailing; // trailing empty header names (Open DAMIR's final ';')

        Binding(int[] index, int fieldCount, int optionalTrailing) {
            this.index = index;
            this.fieldCount = fieldCount;
            this.optionalTrailing = optionalTrailing;
        }
    }

    /** Result of typing one line: values in schema order, and the reasons (empty when valid). */
    public record Typed(Object[] values, List<String> reasons, String nirValue) {
        public boolean valid() {
            return reasons.isEmpty();
        }
    }

    private final SourceDataset dataset;
    private final LocalDate dateMin;
    private final LocalDate dateMax;
    private final int nirIndex;
    private final int[] defaultFrom;
    private final int[] notBefore;
    // the schema's per-column facts resolved once: typing runs for every field of every line
    private final ColumnSpec[] specs;
    private final ColumnSpec.Kind[] kinds;
    private final int[] precisions;
    private final int[] scales;
    private final int[] amountIndex;

    public LineTyper(SourceDataset dataset, LocalDate dateMin, LocalDate dateMax) {
        this.dataset = dataset;
        this.specs = dataset.columns().toArray(new ColumnSpec[0]);
        this.dateMin = dateMin;
        this.dateMax = dateMax;
        this.nirIndex = dataset.nirColumn() == null ? -1 : indexOf(dataset.nirColumn());
        this.defaultFrom = new int[specs.length];
        this.notBefore = new int[specs.length];
        this.kinds = new ColumnSpec.Kind[specs.length];
        this.precisions = new int[specs.length];
        this.scales = new int[specs.length];
        for (int i = 0; i < specs.length; i++) {
            ColumnSpec c = specs[i];
            defaultFrom[i] = c.defaultFromColumn() == null ? -1 : indexOf(c.defaultFromColumn());
            notBefore[i] = c.notBefore() == null ? -1 : indexOf(c.notBefore());
            kinds[i] = c.kind();
            precisions[i] = kinds[i] == ColumnSpec.Kind.DECIMAL ? c.precision() : 0;
            scales[i] = kinds[i] == ColumnSpec.Kind.DECIMAL ? c.scale() : 0;
        }
        this.amountIndex = amountColumns(dataset).stream().mapToInt(this::indexOf).toArray();
    }

    public SourceDataset dataset() {
        return dataset;
    }

    private int indexOf(String name) {
        for (int i = 0; i < specs.length; i++) {
            if (specs[i].name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("schema of " + dataset + " has no column " + name);
    }

    /** Matches header names to the schema, case-insensitive, any order; extra columns ignored. */
    public Binding bind(String[] header) throws HeaderException {
        int[] index = new int[specs.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            index[i] = -1;
            String want = specs[i].name();
            for (int h = 0; h < header.length; h++) {
                if (header[h] != null && header[h].trim().equalsIgnoreCase(want)) {
                    if (index[i] >= 0) {
                        throw new HeaderException("column " + want + " appears twice in the header");
                    }
                    index[i] = h;
                }
            }
            if (index[i] < 0 && specs[i].required()) {
                missing.add(want);
            }
        }
        if (!missing.isEmpty()) {
            throw new HeaderException("missing required column(s) " + String.join(", ", missing));
        }
        int trailing = 0;
        for (int h = header.length - 1; h >= 0 && (header[h] == null || header[h].isBlank()); h--) {
            trailing++;
        }
        return new Binding(index, header.length, trailing);
    }

    public Typed type(Binding b, String[] fields) {
        int width = kinds.length;
        Object[] values = new Object[width];
        List<String> reasons = new ArrayList<>(0);
        int n = fields.length;
        if (n > b.fieldCount || n < b.fieldCount - b.optionalTrailing) {
            reasons.add("WRONG_FIELD_COUNT:" + n + "/" + b.fieldCount);
            return new Typed(values, reasons, nirOf(b, fields));
        }
        for (int i = 0; i < width; i++) {
            int at = b.index[i];
            String raw = at >= 0 && at < n ? fields[at] : null;
            String s = raw == null ? "" : raw.trim();
            ColumnSpec c = specs[i];
            if (s.isEmpty()) {
                if (c.defaultValue() != null && defaultFrom[i] < 0) {
                    s = c.defaultValue();
                } else {
                    continue; // null; required and column-defaults checked below
                }
            }
            ColumnSpec.Kind kind = kinds[i];
            Object v = switch (kind) {
                case STRING -> s;
                case INT -> FieldParsers.parseInt(s);
                case YYYYMM -> FieldParsers.parseYearMonth(s);
                case DECIMAL -> FieldParsers.parseDecimal(s, precisions[i], scales[i]);
                case DATE -> FieldParsers.parseDate(s);
            };
            if (v == null) {
                reasons.add((kind == ColumnSpec.Kind.DATE || kind == ColumnSpec.Kind.YYYYMM
                        ? "BAD_DATE:" : "BAD_NUMBER:") + c.name());
                continue;
            }
            if (kind == ColumnSpec.Kind.STRING && c.maxLength() > 0 && s.length() > c.maxLength()) {
                reasons.add("TOO_LONG:" + c.name());
            }
            if (v instanceof LocalDate d && (d.isBefore(dateMin) || d.isAfter(dateMax))) {
                reasons.add("DATE_OUT_OF_RANGE:" + c.name());
            }
            values[i] = v;
        }
        for (int i = 0; i < width; i++) {
            if (values[i] == null && defaultFrom[i] >= 0) {
                values[i] = values[defaultFrom[i]];
            }
        }
        for (int i = 0; i < width; i++) {
            ColumnSpec c = specs[i];
            if (values[i] == null && c.required() && !hasReasonFor(reasons, c.name())) {
                reasons.add("MISSING_REQUIRED:" + c.name());
            }
            if (notBefore[i] >= 0 && values[i] instanceof LocalDate end
                    && values[notBefore[i]] instanceof LocalDate start && end.isBefore(start)) {
                reasons.add("END_BEFORE_START:" + c.name());
            }
        }
        String nir = nirOf(b, fields);
        if (nir != null) {
            reasons.add("RAW_NIR:" + dataset.nirColumn());
            values[nirIndex] = null; // never carried further, even in memory rows
        }
        return new Typed(values, reasons, nir);
    }

    /** The raw NIR found in the line's identifier column, or null. */
    private String nirOf(Binding b, String[] fields) {
        if (nirIndex < 0) {
            return null;
        }
        int at = b.index[nirIndex];
        if (at < 0 || at >= fields.length || fields[at] == null) {
            return null;
        }
        String v = fields[at].trim();
        return Nir.looksLikeRawNir(v) ? v : null;
    }

    private static boolean hasReasonFor(List<String> reasons, String column) {
        for (String r : reasons) {
            if (r.endsWith(":" + column)) {
                return true;
            }
        }
        return false;
    }

    /** Sum of the dataset's amount columns for a typed line (reconciliation to the cent). */
    public BigDecimal amountOf(Object[] values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (int i : amountIndex) {
            Object v = values[i];
            if (v instanceof Decimal d) {
                sum = sum.add(d.toJavaBigDecimal());
            }
        }
        return sum;
    }

    public static List<String> amountColumns(SourceDataset d) {
        return switch (d) {
            case CLAIMS -> List.of("BSE_REM_MNT", "CPL_REM_MNT");
            case OPENDAMIR -> List.of("PRS_REM_MNT");
            default -> List.of();
        };
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
