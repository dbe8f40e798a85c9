package fr.cpam.analytics.sources;

import org.apache.spark.sql.types.Decimal;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.*;

class FieldParsersTest {

    @Test
    void decimalsWithPointCommaAndNoLeadingZero() {
        assertDecimal("12.50", "12.50", 14, 2);
        assertDecimal("12.50", "12,50", 14, 2);
        assertDecimal("0.61", ".61", 14, 2);
        assertDecimal("-9.77", "-9.77", 14, 2);
        assertDecimal("0.50", "+.5", 14, 2);
        assertDecimal("12.00", "12.", 14, 2);
        assertDecimal("3.100", "3.1", 10, 3);
        assertDecimal("588.00", "588", 14, 2);
        assertDecimal("7.00", "00000000000000000000007", 14, 2);
        // more decimals than the column keeps: rounded half-up to the cent, away from zero
        assertDecimal("17.50", "17.495", 14, 2);
        assertDecimal("17.49", "17.4949", 14, 2);
        assertDecimal("-17.50", "-17.495", 14, 2);
        assertDecimal("10.00", "9.995", 14, 2);
        assertDecimal("0.00", "-0.004", 14, 2);
        assertDecimal("3", "2.5", 5, 0);
    }

    @Test
    void decimalsAreLongBackedUpToEighteenDigits() {
        Decimal cents = FieldParsers.parseDecimal("-1234.5", 14, 2);
        assertEquals(-123450L, cents.toUnscaledLong());
        assertEquals(14, cents.precision());
        assertEquals(2, cents.scale());
        // the largest decimal(18,2), then past a long's 18 digits (the BigDecimal path)
        assertDecimal("9999999999999999.99", "9999999999999999.99", 18, 2);
        assertDecimal("12345678901234567890.12", "12345678901234567890.123", 22, 2);
        assertDecimal("99999999999999999999.00", "99999999999999999999", 22, 2);
    }

    @Test
    void badDecimalsAreRejectedWithoutException() {
        assertNull(FieldParsers.parseDecimal("12.3.4", 14, 2));
        assertNull(FieldParsers.parseDecimal("12,3.4", 14, 2));
        assertNull(FieldParsers.parseDecimal("1 200,00", 14, 2));
        assertNull(FieldParsers.parseDecimal("abc", 14, 2));
        assertNull(FieldParsers.parseDecimal("-", 14, 2));
        assertNull(FieldParsers.parseDecimal(".", 14, 2));
        assertNull(FieldParsers.parseDecimal("1e5", 14, 2));
        assertNull(FieldParsers.parseDecimal("--5", 14, 2));
        // too large for decimal(5,2), also when the rounding makes it so
        assertNull(FieldParsers.parseDecimal("1234.00", 5, 2));
        assertNull(FieldParsers.parseDecimal("999.995", 5, 2));
        assertDecimal("999.99", "999.994", 5, 2);
        assertNull(FieldParsers.parseDecimal("123456789012345678901", 14, 2));
    }

    private static void assertDecimal(String expected, String raw, int precision, int scale) {
        Decimal d = FieldParsers.parseDecimal(raw, precision, scale);
        assertNotNull(d, raw);
        assertEquals(new BigDecimal(expected), d.toJavaBigDecimal(), raw);
        assertEquals(scale, d.scale(), raw);
    }

    @Test
    void theThreeDateForms() {
        LocalDate expected = LocalDate.of(2022, 3, 15);
        assertEquals(expected, FieldParsers.parseDate("2022-03-15"));
        assertEquals(expected, FieldParsers.parseDate("15/03/2022"));
        assertEquals(expected, FieldParsers.parseDate("15MAR2022"));
        assertEquals(expected, FieldParsers.parseDate("15mar2022"));
        assertEquals(expected, FieldParsers.parseDate("15MAR2022:00:00:00"));
        assertEquals(LocalDate.of(2021, 12, 2), FieldParsers.parseDate("02DEC2021:13:45:00"));
    }

    @Test
    void impossibleOrMalformedDates() {
        assertNull(FieldParsers.parseDate("2022-02-30"));
        assertNull(FieldParsers.parseDate("2022-13-01"));
        assertNull(FieldParsers.parseDate("31/04/2022"));
        assertNull(FieldParsers.parseDate("15MRS2022"));
        assertNull(FieldParsers.parseDate("15MAR2022:0:0:0"));
        assertNull(FieldParsers.parseDate("2022/03/15"));
        assertNull(FieldParsers.parseDate("20220315"));
    }

    @Test
    void integersAndMonths() {
        assertEquals(71, FieldParsers.parseInt("71"));
        assertEquals(-1, FieldParsers.parseInt("-1"));
        assertNull(FieldParsers.parseInt("1.0"));
        assertNull(FieldParsers.parseInt("x1"));
        assertNull(FieldParsers.parseInt("99999999999"));
        assertEquals(202201, FieldParsers.parseYearMonth("202201"));
        assertNull(FieldParsers.parseYearMonth("202213"));
        assertNull(FieldParsers.parseYearMonth("2022-01"));
    }
}
