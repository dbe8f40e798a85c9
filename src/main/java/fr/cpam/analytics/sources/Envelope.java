package fr.cpam.analytics.sources;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * What the parse pass emits for a dataset, in one stream: valid lines (kind {@code D}),
 * quarantined lines ({@code Q}), and one statistics row per file ({@code F}). One stream means
 * one read of every file: the split into silver, quarantine and reconciliation happens on it.
 */
public final class Envelope {

    public static final String KIND = "_kind";
    public static final String SOURCE_FILE = "source_file";
    public static final String LINE_NUMBER = "line_number";
    public static final String REASONS = "_reasons";
    public static final String RAW_LINE = "_raw_line";
    public static final String LINES_READ = "_lines_read";
    public static final String LINES_BLANK = "_lines_blank";
    public static final String BYTES = "_bytes";
    public static final String CHECKSUM = "_checksum";
    public static final String STATUS = "_status";
    public static final String MESSAGE = "_message";
    public static final String AMOUNT = "_amount";
    public static final String QUARANTINED = "_quarantined";

    public static final List<String> TRAILER = List.of(SOURCE_FILE, LINE_NUMBER, KIND, REASONS, RAW_LINE,
            LINES_READ, LINES_BLANK, BYTES, CHECKSUM, STATUS, MESSAGE, AMOUNT, QUARANTINED);

    private Envelope() {
    }

    public static StructType schema(SourceDataset d) {
        List<StructField> fields = new ArrayList<>(List.of(d.inputSchema().fields()));
        fields.add(DataTypes.createStructField(SOURCE_FILE, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(LINE_NUMBER, DataTypes.LongType, true));
        fields.add(DataTypes.createStructField(KIND, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(REASONS, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(RAW_LINE, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(LINES_READ, DataTypes.LongType, true));
        fields.add(DataTypes.createStructField(LINES_BLANK, DataTypes.LongType, true));
        fields.add(DataTypes.createStructField(BYTES, DataTypes.LongType, true));
        fields.add(DataTypes.createStructField(CHECKSUM, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(STATUS, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(MESSAGE, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(AMOUNT, DataTypes.createDecimalType(22, 2), true));
        fields.add(DataTypes.createStructField(QUARANTINED, DataTypes.LongType, true));
        return DataTypes.createStructType(fields);
    }
}
