package fr.cpam.analytics.indicators;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.*;

/**
 * The periods of OUTPUTS.md and how a month feeds them: {@code YEAR/2022}, {@code MONTH/2022-03},
 * {@code YTD/2022-03} (January to March 2022), {@code R12/2022-03} (April 2021 to March 2022).
 * Every period is compared with the same period one year earlier.
 *
 * <p>A month contributes to 1 + 1 + (13 - m) + 12 periods; expanding the monthly aggregates
 * once into all of them is what lets one pass over the data serve every period type.
 */
public final class Periods {

    public static final List<String> TYPES = List.of("YEAR", "MONTH", "YTD", "R12");

    private Periods() {
    }

    /**
     * Explodes a first-of-month date column into one row per (period_type, period) it belongs
     * to: columns {@code period_type} and {@code period} are added.
     */
    public static Dataset<Row> expand(Dataset<Row> df, String monthDateColumn) {
        String m = "`" + monthDateColumn + "`";
        Column periods = expr("explode(concat("
                + "array(named_struct('pt', 'MONTH', 'p', date_format(" + m + ", 'yyyy-MM')),"
                + "      named_struct('pt', 'YEAR', 'p', cast(year(" + m + ") as string))),"
                + "transform(sequence(" + m + ", make_date(year(" + m + "), 12, 1), interval 1 month),"
                + "          e -> named_struct('pt', 'YTD', 'p', date_format(e, 'yyyy-MM'))),"
                + "transform(sequence(" + m + ", add_months(" + m + ", 11), interval 1 month),"
                + "          e -> named_struct('pt', 'R12', 'p', date_format(e, 'yyyy-MM')))))");
        return df.withColumn("_period", periods)
                .withColumn("period_type", col("_period.pt"))
                .withColumn("period", col("_period.p"))
                .drop("_period");
    }

    /** Multiplier of the period type in a period code ({@link #code}). */
    static final int CODE_BASE = 1_000_000;

    /**
     * A period as one int: {@code type * CODE_BASE + value}, value the month index
     * ({@code year * 12 + month - 1}) or, for YEAR, the year. Hashing and ordering ints is
     * several times cheaper than strings at the beneficiary grain; {@link #decodeType} and
     * {@link #decodePeriod} give the strings back on the small result.
     */
    public static int code(String type, int value) {
        return TYPES_BY_CODE.indexOf(type) * CODE_BASE + value;
    }

    /** {@code period_type} of a period code. */
    public static Column decodeType(Column pcode) {
        return element_at(array(TYPES_BY_CODE.stream().map(t -> lit(t)).toArray(Column[]::new)),
                typeOf(pcode).plus(lit(1)));
    }

    /** {@code period} of a period code: {@code 2022} or {@code 2022-03}. */
    public static Column decodePeriod(Column pcode) {
        Column v = valueOf(pcode);
        Column yearMonth = concat(floor(v.divide(lit(12))).cast("string"), lit("-"),
                lpad(v.mod(lit(12)).plus(lit(1)).cast("string"), 2, "0"));
        return when(typeOf(pcode).equalTo(lit(TYPES_BY_CODE.indexOf("YEAR"))), v.cast("string")).otherwise(yearMonth);
    }

    /** The YEAR code of a YTD period at December (they hold the same months); null for any other period code. */
    static Column yearOfDecemberYtd(Column pcode) {
        Column v = valueOf(pcode);
        return when(typeOf(pcode).equalTo(lit(TYPES_BY_CODE.indexOf("YTD")))
                .and(v.mod(12).equalTo(11)), floor(v.divide(12)).cast("int").plus(lit(code("YEAR", 0))));
    }

    /** The type's index in {@link #TYPES_BY_CODE} of a period code. */
    private static Column typeOf(Column pcode) {
        return pcode.divide(lit(CODE_BASE)).cast("int");
    }

    /** The value of a period code: a month index, or the year for YEAR. */
    private static Column valueOf(Column pcode) {
        return pcode.mod(lit(CODE_BASE));
    }

    /** Period types in code order. */
    private static final List<String> TYPES_BY_CODE = List.of("MONTH", "YEAR", "YTD", "R12");

    /** The same period one year earlier ({@code 2022 -> 2021}, {@code 2022-03 -> 2021-03}). */
    public static Column previous(Column period) {
        return concat(substring(period, 1, 4).cast("int").minus(1).cast("string"), period.substr(5, 3));
    }

    /** Months a period spans when complete. */
    public static Column expectedMonths(Column periodType, Column period) {
        return when(periodType.equalTo("MONTH"), lit(1))
                .when(periodType.equalTo("YTD"), substring(period, 6, 2).cast("int"))
                .otherwise(lit(12));
    }

    /**
     * Coverage of every period by the months that have data, per key: {@code months_covered},
     * {@code complete}, and whether the period is published (a YTD or R12 window only when
     * complete, since a partial window would compare unlike things; a YEAR or MONTH whenever
     * it has data) and comparable (complete, and so is the same period a year earlier).
     */
    public static Dataset<Row> coverage(Dataset<Row> monthsWithData, List<String> keys) {
        Column[] keyCols = keys.stream().map(k -> col(k)).toArray(Column[]::new);
        Column[] groupCols = new Column[keyCols.length + 2];
        System.arraycopy(keyCols, 0, groupCols, 0, keyCols.length);
        groupCols[keyCols.length] = col("period_type");
        groupCols[keyCols.length + 1] = col("period");
        Dataset<Row> cov = expand(monthsWithData, "month_date")
                .groupBy(groupCols)
                .agg(countDistinct("month_date").as("months_covered"))
                .withColumn("complete", col("months_covered").equalTo(expectedMonths(col("period_type"), col("period"))))
                .withColumn("published", col("complete").or(col("period_type").isin("YEAR", "MONTH")));
        // the year before by a window, like withPrevious, not a self-join: a self-join evaluates the
        // months with data twice, which for callers reading them from the claims was two scans
        org.apache.spark.sql.expressions.WindowSpec sameCalendarPeriod = org.apache.spark.sql.expressions.Window
                .partitionBy(sameCalendarPeriod(keys)).orderBy(col("period"));
        Column year = substring(col("period"), 1, 4).cast("int");
        return cov.withColumn("prev_complete", when(lag(year, 1).over(sameCalendarPeriod).equalTo(year.minus(1)),
                        lag(col("complete"), 1).over(sameCalendarPeriod)))
                .withColumn("comparable", col("complete").and(coalesce(col("prev_complete"), lit(false))));
    }

    /** The keys, the period type and the period's month of year ({@code ""} for a YEAR): one row per year. */
    private static Column[] sameCalendarPeriod(List<String> keys) {
        Column[] partition = new Column[keys.size() + 2];
        for (int i = 0; i < keys.size(); i++) {
            partition[i] = col(keys.get(i));
        }
        partition[keys.size()] = col("period_type");
        partition[keys.size() + 1] = col("period").substr(5, 3);
        return partition;
    }

    /**
     * Adds {@code <value>_prev} for each value column: the row of the same keys for the same
     * period one year earlier, when both periods are complete (else null). A window over the
     * years of each (keys, period type, month of year), not a self-join: rows must carry
     * {@code period_type}, {@code period} and {@code complete}.
     */
    public static Dataset<Row> withPrevious(Dataset<Row> rows, List<String> keys, List<String> values) {
        org.apache.spark.sql.expressions.WindowSpec sameCategory =
                org.apache.spark.sql.expressions.Window.partitionBy(sameCalendarPeriod(keys)).orderBy(col("period"));
        Column year = substring(col("period"), 1, 4).cast("int");
        Column yearBefore = lag(year, 1).over(sameCategory).equalTo(year.minus(1))
                .and(lag(col("complete"), 1).over(sameCategory)).and(col("complete"));
        Dataset<Row> out = rows;
        for (String v : values) {
            out = out.withColumn(v + "_prev", when(yearBefore, lag(col(v), 1).over(sameCategory)));
        }
        return out;
    }

    /**
     * The periods whose figures change when {@code months} change: their own month, year,
     * YTD and R12 windows, and the same periods one year later (which compare with them).
     * Keyed by period type.
     */
    public static Map<String, TreeSet<String>> affected(Collection<YearMonth> months) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        for (String t : TYPES) {
            out.put(t, new TreeSet<>());
        }
        for (YearMonth m : months) {
            for (int shift = 0; shift <= 12; shift += 12) {
                YearMonth s = m.plusMonths(shift);
                out.get("MONTH").add(s.toString());
                out.get("YEAR").add(String.valueOf(s.getYear()));
                for (YearMonth e = s; e.getYear() == s.getYear(); e = e.plusMonths(1)) {
                    out.get("YTD").add(e.toString());
                }
                for (int k = 0; k < 12; k++) {
                    out.get("R12").add(s.plusMonths(k).toString());
                }
            }
        }
        return out;
    }

    /**
     * First and last month of data the affected periods span themselves (their year-earlier
     * figures then come from the published table): from the R12 window ending at the earliest
     * changed month to the one ending 23 months after the latest.
     */
    public static YearMonth[] spannedMonths(Collection<YearMonth> months) {
        YearMonth min = months.stream().min(YearMonth::compareTo).orElseThrow();
        YearMonth max = months.stream().max(YearMonth::compareTo).orElseThrow();
        // m - 11 is never after January of m's year, m + 23 never before December of the next
        return new YearMonth[]{min.minusMonths(11), max.plusMonths(23)};
    }

    /** The affected periods and the same periods one year earlier, which they compare with. */
    public static Map<String, TreeSet<String>> withYearBefore(Map<String, TreeSet<String>> affected) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        affected.forEach((type, periods) -> {
            TreeSet<String> all = new TreeSet<>(periods);
            periods.forEach(p -> all.add((Integer.parseInt(p.substring(0, 4)) - 1) + p.substring(4)));
            out.put(type, all);
        });
        return out;
    }

    /** First and last month of data the affected periods and their previous-year periods need. */
    public static YearMonth[] neededMonths(Collection<YearMonth> months) {
        // the spanned months and, before them, the year-earlier window of the earliest R12
        YearMonth[] spanned = spannedMonths(months);
        return new YearMonth[]{spanned[0].minusMonths(12), spanned[1]};
    }

    /** A SQL predicate selecting the affected periods, for reading and replacing them. */
    public static String predicate(Map<String, TreeSet<String>> affected) {
        return affected.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> "(period_type = '" + e.getKey() + "' AND period IN ("
                        + e.getValue().stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ")) + "))")
                .collect(Collectors.joining(" OR "));
    }
}
