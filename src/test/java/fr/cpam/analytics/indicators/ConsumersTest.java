package fr.cpam.analytics.indicators;

import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The interval counting of {@link Consumers} against counts worked out by hand, on lines placed
 * to exercise each way it could go wrong: a regularisation that cancels a month, a gap of
 * several months with no line at all (the count must hold through it), a window that loses a
 * month as it rolls, a year boundary for YTD, and two sous-postes of one poste.
 */
class ConsumersTest extends SparkTestBase {

    private static final StructType LINES = new StructType()
            .add("org", DataTypes.StringType)
            .add("month_date", DataTypes.DateType)
            .add("poste", DataTypes.StringType)
            .add("sous_poste", DataTypes.StringType)
            .add("ben", DataTypes.StringType)
            .add("quantity", DataTypes.createDecimalType(18, 3));

    /** period_type|period|poste|sous_poste -> consumers */
    private static Map<String, Long> counts;

    /** The same from {@link Consumers#countFor}, for the periods of {@link #FEW} alone. */
    private static Map<String, Long> direct;

    /** A night's few periods: type, period, first and last month it spans. */
    private static final String[][] FEW = {
            {"R12", "2022-03", "2021-04", "2022-03"}, {"YTD", "2021-04", "2021-01", "2021-04"},
            {"YEAR", "2021", "2021-01", "2021-12"}, {"MONTH", "2021-05", "2021-05", "2021-05"},
            // December's YTD and R12 hold the same months as the YEAR: one span, counted once, given to all three
            {"YTD", "2021-12", "2021-01", "2021-12"}, {"R12", "2021-12", "2021-01", "2021-12"}};

    private static Row line(String month, String poste, String sous, String ben, String qty) {
        return RowFactory.create("092", LocalDate.parse(month + "-01"), poste, sous, ben, new BigDecimal(qty));
    }

    @BeforeAll
    static void compute() {
        List<Row> rows = List.of(
                // A: one consultation in 2021-01, then nothing for 14 months
                line("2021-01", "HON", "CONSULT", "A", "1"),
                // B: a consultation in 2021-03 cancelled in 2021-04 (regularisation), a new one in 2021-06
                line("2021-03", "HON", "CONSULT", "B", "1"),
                line("2021-04", "HON", "CONSULT", "B", "-1"),
                line("2021-06", "HON", "CONSULT", "B", "1"),
                // C: a visit in 2021-12 and a consultation in 2022-02 (two sous-postes of HON)
                line("2021-12", "HON", "VISITE", "C", "1"),
                line("2022-02", "HON", "CONSULT", "C", "1"),
                // D: a line with ben null (Open DAMIR-like): never a consumer
                line("2021-01", "HON", "CONSULT", null, "5"));
        counts = new HashMap<>();
        for (Row r : Consumers.POSTES.count(spark().createDataFrame(rows, LINES), 2).collectAsList()) {
            counts.put(r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3) + "|" + r.getString(4), r.getLong(5));
        }
        List<Row> periodMonths = new java.util.ArrayList<>();
        for (String[] p : FEW) {
            for (var m = java.time.YearMonth.parse(p[2]); !m.isAfter(java.time.YearMonth.parse(p[3])); m = m.plusMonths(1)) {
                periodMonths.add(RowFactory.create("092", m.atDay(1), p[0], p[1]));
            }
        }
        StructType pm = new StructType().add("org", DataTypes.StringType).add("month_date", DataTypes.DateType)
                .add("period_type", DataTypes.StringType).add("period", DataTypes.StringType);
        direct = new HashMap<>();
        for (Row r : Consumers.POSTES.countFor(spark().createDataFrame(rows, LINES), spark().createDataFrame(periodMonths, pm), 2)
                .collectAsList()) {
            direct.put(r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3) + "|" + r.getString(4), r.getLong(5));
        }
    }

    private static Long n(String type, String period, String poste, String sous) {
        return counts.get(type + "|" + period + "|" + poste + "|" + sous);
    }

    @Test
    void months() {
        assertEquals(1L, n("MONTH", "2021-01", "HON", "CONSULT"));  // A (the null ben is not counted)
        assertEquals(1L, n("MONTH", "2021-03", "HON", "CONSULT"));  // B
        assertEquals(0L, n("MONTH", "2021-04", "HON", "CONSULT"));  // B's -1 is not consumption
        assertEquals(0L, n("MONTH", "2021-05", "HON", "CONSULT"));  // nothing: 0, not missing
        assertEquals(1L, n("MONTH", "2021-12", "HON", "TOTAL"));    // C's visit rolls up to HON
        assertEquals(1L, n("MONTH", "2021-12", "TOTAL", "TOTAL"));
    }

    @Test
    void years() {
        assertEquals(2L, n("YEAR", "2021", "HON", "CONSULT"));      // A, B (1 - 1 + 1 = 1)
        assertEquals(1L, n("YEAR", "2021", "HON", "VISITE"));       // C
        assertEquals(3L, n("YEAR", "2021", "HON", "TOTAL"));        // A, B, C
        assertEquals(1L, n("YEAR", "2022", "TOTAL", "TOTAL"));      // C
        // a year is read from its YTD at December: 2022 has a line in February only
        assertEquals(1L, n("YEAR", "2022", "HON", "CONSULT"));
        // C's visit was in 2021: no consumer (absent here; the tables join with a default of 0)
        assertEquals(0L, java.util.Objects.requireNonNullElse(n("YEAR", "2022", "HON", "VISITE"), 0L));
        counts.keySet().stream().filter(k -> k.startsWith("YEAR|")).forEach(k -> {
            String[] f = k.split("\\|");
            assertEquals(counts.get(k), n("YTD", f[1] + "-12", f[2], f[3]), k);
        });
    }

    @Test
    void yearToDate() {
        assertEquals(1L, n("YTD", "2021-02", "HON", "CONSULT"));    // A holds through a month with no line
        assertEquals(2L, n("YTD", "2021-03", "HON", "CONSULT"));    // A, B
        assertEquals(1L, n("YTD", "2021-04", "HON", "CONSULT"));    // B cancelled
        assertEquals(2L, n("YTD", "2021-06", "HON", "CONSULT"));    // B again
        assertEquals(2L, n("YTD", "2021-11", "HON", "CONSULT"));    // held over five months without lines
        assertEquals(3L, n("YTD", "2021-12", "TOTAL", "TOTAL"));    // A, B, C
        assertEquals(0L, n("YTD", "2022-01", "TOTAL", "TOTAL"));    // a new year starts from zero
        assertEquals(1L, n("YTD", "2022-02", "HON", "TOTAL"));      // C
    }

    @Test
    void rollingTwelveMonths() {
        // R12 ending 2021-12 = 2021-01 .. 2021-12: A, B (CONSULT); C (VISITE)
        assertEquals(2L, n("R12", "2021-12", "HON", "CONSULT"));
        assertEquals(3L, n("R12", "2021-12", "HON", "TOTAL"));
        // ending 2022-01 = 2021-02 .. 2022-01: A's January has left the window
        assertEquals(1L, n("R12", "2022-01", "HON", "CONSULT"));
        // ending 2022-03 = 2021-04 .. 2022-03: B's -1 in the window, its +1 of 2021-03 not: B = -1 + 1 = 0;
        // C's consultation of 2022-02 counts
        assertEquals(1L, n("R12", "2022-03", "HON", "CONSULT"));
        assertEquals(1L, n("R12", "2022-03", "HON", "TOTAL"));      // C (B nets to 0)
        // ending 2022-06 = 2021-07 .. 2022-06: B's 2021-06 line has left; C only
        assertEquals(1L, n("R12", "2022-06", "TOTAL", "TOTAL"));
        // ending 2023-01 = 2022-02 .. 2023-01: C's consultation still in it
        assertEquals(1L, n("R12", "2023-01", "TOTAL", "TOTAL"));
        // ending 2023-02: nobody
        assertEquals(0L, n("R12", "2023-02", "TOTAL", "TOTAL"));
        assertNull(n("R12", "2023-03", "TOTAL", "TOTAL"));          // nothing published past the last change
    }

    @Test
    void aFewPeriodsCountedDirectly() {
        // the same hand counts as above, through the two-level aggregation of countFor
        assertEquals(1L, direct.get("R12|2022-03|HON|CONSULT"));     // C; B nets to 0 (its 2021-03 +1 is out)
        assertEquals(1L, direct.get("R12|2022-03|HON|TOTAL"));
        assertEquals(1L, direct.get("YTD|2021-04|HON|CONSULT"));     // A; B cancelled
        assertEquals(3L, direct.get("YEAR|2021|HON|TOTAL"));         // A, B, C
        assertEquals(1L, direct.get("YEAR|2021|HON|VISITE"));        // C
        // a period where nobody consumed has no row (the table's skeleton gives it 0)
        assertNull(direct.get("MONTH|2021-05|HON|CONSULT"));
        // the three periods of one span each get its counts
        assertEquals(3L, direct.get("YTD|2021-12|TOTAL|TOTAL"));       // A, B, C
        assertEquals(2L, direct.get("R12|2021-12|HON|CONSULT"));       // A, B
        assertEquals(1L, direct.get("R12|2021-12|HON|VISITE"));        // C
        // nothing but the periods asked for: R12 2022-03 (consult, visit, HON, TOTAL), YTD 2021-04
        // (consult, HON, TOTAL), and four rows (consult, visit, HON, TOTAL) for each of YEAR 2021,
        // YTD 2021-12 and R12 2021-12
        assertEquals(19, direct.size(), direct.toString());
        // and each equals the interval counting's figure
        direct.forEach((k, v) -> assertEquals(counts.get(k), v, k));
    }
}
