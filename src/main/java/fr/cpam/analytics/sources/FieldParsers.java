package fr.cpam.analytics.sources;

import org.apache.spark.sql.types.Decimal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Typing of raw CSV fields. Every parser returns null for a value it cannot type (the
 * caller records the reason); none throws on bad input, so a bad line costs no exception.
 */
public final class FieldParsers {

    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

    private FieldParsers() {
    }

    /** Integer, optional sign; no decimals, no spaces inside. */
    public static Integer parseInt(String s) {
        int n = s.length();
        if (n == 0 || n > 10) {
            return null;
        }
        int i = 0;
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            i = 1;
            if (n == 1) {
                return null;
            }
        }
        long v = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        v = neg ? -v : v;
        return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : (int) v;
    }

    /**
     * Decimal with {@code .} or {@code ,} as separator ({@code 12.50}, {@code 12,50}, {@code .61},
     * {@code -9.77}). Values with more decimals than the column's scale are rounded half-up to
     * it; a value too large for the precision is rejected (null). Up to 18 digits (every column
     * of the contract) the value is built as Spark's long-backed decimal, straight from the
     * digits: no {@link BigDecimal} on the way, and Spark's arithmetic and Parquet writer then
     * work on a long instead of a {@code BigInteger}.
     */
    public static Decimal parseDecimal(String s, int precision, int scale) {
        int n = s.length();
        if (n == 0 || n > 40) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        long unscaled = 0;
        int digits = 0;
        int decimals = -1; // digits after the separator, -1 before it
        int firstDropped = -1; // the first digit beyond the scale, which decides the rounding
        boolean overflow = false;
        for (int k = i; k < n; k++) {
            char c = s.charAt(k);
            if (c >= '0' && c <= '9') {
                digits++;
                if (decimals >= scale) {
                    if (firstDropped < 0) {
                        firstDropped = c - '0';
                    }
                    continue;
                }
                if (decimals >= 0) {
                    decimals++;
                }
                if (unscaled > MAX_BEFORE_DIGIT) {
                    overflow = true;
                } else {
                    unscaled = unscaled * 10 + (c - '0');
                }
            } else if ((c == '.' || c == ',') && decimals < 0) {
                decimals = 0;
            } else {
                return null;
            }
        }
        if (digits == 0) {
            return null;
        }
        if (overflow || precision > Decimal.MAX_LONG_DIGITS()) {
            return bigDecimal(s, precision, scale);
        }
        for (int k = Math.max(decimals, 0); k < scale; k++) {
            if (unscaled > MAX_BEFORE_DIGIT) {
                return bigDecimal(s, precision, scale);
            }
            unscaled *= 10;
        }
        if (firstDropped >= 5) {
            unscaled++;
        }
        if (unscaled >= POWERS_OF_TEN[precision]) {
            return null;
        }
        return Decimal.createUnsafe(negative ? -unscaled : unscaled, precision, scale);
    }

    /** The largest value that can take one more digit and stay within 18 digits ((10^18 - 1) / 10). */
    private static final long MAX_BEFORE_DIGIT = 99_999_999_999_999_999L;

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int k = 1; k < POWERS_OF_TEN.length; k++) {
            POWERS_OF_TEN[k] = POWERS_OF_TEN[k - 1] * 10;
        }
    }

    /** The general case (more than 18 digits), through {@link BigDecimal}. */
    private static Decimal bigDecimal(String s, int precision, int scale) {
        String normalized = s.indexOf(',') >= 0 ? s.replace(',', '.') : s;
        BigDecimal value = new BigDecimal(normalized).setScale(scale, RoundingMode.HALF_UP);
        return value.precision() > precision ? null : Decimal.apply(value, precision, scale);
    }

    /**
     * Dates in the three contract forms: {@code yyyy-MM-dd}, {@code dd/MM/yyyy}, and the SAS
     * {@code ddMMMyyyy} optionally followed by {@code :HH:mm:ss} (English month abbreviations).
     */
    public static LocalDate parseDate(String s) {
        int n = s.length();
        try {
            if (n == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
                return date(num(s, 0, 4), num(s, 5, 7), num(s, 8, 10));
            }
            if (n == 10 && s.charAt(2) == '/' && s.charAt(5) == '/') {
                return date(num(s, 6, 10), num(s, 3, 5), num(s, 0, 2));
            }
            if (n == 9 || (n == 18 && s.charAt(9) == ':' && isTime(s.substring(10)))) {
                int month = month(s.substring(2, 5));
                return month < 0 ? null : date(num(s, 5, 9), month, num(s, 0, 2));
            }
        } catch (DateTimeException e) {
            return null; // 31/02/2022 and the like
        }
        return null;
    }

    /** {@code YYYYMM} payment month as an int (202201), month 01..12. */
    public static Integer parseYearMonth(String s) {
        if (s.length() != 6) {
            return null;
        }
        int y = num(s, 0, 4);
        int m = num(s, 4, 6);
        return y < 0 || m < 1 || m > 12 ? null : y * 100 + m;
    }

    private static boolean isTime(String t) {
        return t.length() == 8 && t.charAt(2) == ':' && t.charAt(5) == ':'
                && num(t, 0, 2) >= 0 && num(t, 3, 5) >= 0 && num(t, 6, 8) >= 0;
    }

    private static int month(String abbrev) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equalsIgnoreCase(abbrev)) {
                return i + 1;
            }
        }
        return -1;
    }

    private static LocalDate date(int y, int m, int d) {
        return y < 0 || m < 0 || d < 0 ? null : LocalDate.of(y, m, d);
    }

    /** Non-negative number from a run of digits, -1 when any character is not a digit. */
    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
