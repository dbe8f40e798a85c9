package fr.cpam.analytics.indicators;

import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Periods#coverage}: months covered, complete, published and comparable, counted by hand
 * for two funds. Fund A has every month of 2021 and January to March 2022; fund B has February
 * 2022 alone, so A's 2021 must not make B's periods comparable.
 */
class CoverageTest extends SparkTestBase {

    private static Date month(int year, int month) {
        return Date.valueOf(String.format("%d-%02d-01", year, month));
    }

    private Row period(Dataset<Row> coverage, String org, String type, String period) {
        List<Row> rows = coverage.filter(coverage.col("org").equalTo(org).and(coverage.col("period_type").equalTo(type))
                .and(coverage.col("period").equalTo(period))).collectAsList();
        assertEquals(1, rows.size(), org + " " + type + " " + period);
        return rows.get(0);
    }

    /** months_covered, complete, published, comparable of one period. */
    private void assertPeriod(Dataset<Row> c, String org, String type, String period, long months, boolean complete,
                              boolean published, boolean comparable) {
        Row r = period(c, org, type, period);
        String what = org + " " + type + " " + period;
        assertEquals(months, r.<Long>getAs("months_covered"), what);
        assertEquals(complete, r.<Boolean>getAs("complete"), what);
        assertEquals(published, r.<Boolean>getAs("published"), what);
        assertEquals(comparable, r.<Boolean>getAs("comparable"), what);
    }

    @Test
    void monthsCoveredCompletenessAndTheYearBefore() {
        List<Row> rows = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            rows.add(RowFactory.create("A", month(2021, m)));
        }
        for (int m = 1; m <= 3; m++) {
            rows.add(RowFactory.create("A", month(2022, m)));
        }
        rows.add(RowFactory.create("B", month(2022, 2)));
        StructType schema = new StructType().add("org", DataTypes.StringType).add("month_date", DataTypes.DateType);
        Dataset<Row> c = Periods.coverage(spark().createDataFrame(rows, schema), List.of("org")).cache();

        // 2021 whole, but no 2020 to compare with
        assertPeriod(c, "A", "YEAR", "2021", 12, true, true, false);
        // three months of 2022: a YEAR is published whenever it has data, never complete here
        assertPeriod(c, "A", "YEAR", "2022", 3, false, true, false);
        // January to March 2022 against January to March 2021: both complete
        assertPeriod(c, "A", "YTD", "2022-03", 3, true, true, true);
        // April 2021 to March 2022 is complete; April 2020 to March 2021 has 3 months of 12
        assertPeriod(c, "A", "R12", "2022-03", 12, true, true, false);
        assertPeriod(c, "A", "R12", "2021-03", 3, false, false, false);
        assertPeriod(c, "A", "MONTH", "2022-02", 1, true, true, true);
        assertPeriod(c, "A", "MONTH", "2021-05", 1, true, true, false);
        // a YTD window to December 2022 holds 3 months of 12: not published
        assertPeriod(c, "A", "YTD", "2022-12", 3, false, false, false);
        // B's February 2022 has no February 2021 of its own
        assertPeriod(c, "B", "MONTH", "2022-02", 1, true, true, false);
        assertPeriod(c, "B", "YTD", "2022-02", 1, false, false, false);
        // A: every period some month of A falls in, once:
        // MONTH 15, YEAR 2, YTD 2021-01..2022-12 = 24, R12 2021-01..2023-02 = 26
        assertEquals(15 + 2 + 24 + 26, c.filter(c.col("org").equalTo("A")).count());
        c.unpersist();
    }
}
