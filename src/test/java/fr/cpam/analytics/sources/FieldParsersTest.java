package fr.cpam.analytics.sources;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.*;

class FieldParsersTest {

    @Test
    void decimalsWithPointCommaAndNoLeadingZero() {
        assertEquals(new BigDecimal("12.50"), FieldParsers.parseDecimal("12.50", 14, 2));
        assertEquals(new BigDecimal("12.50"), FieldParsers.parseDecimal("12,50", 14, 2));
        assertEquals(new BigDecimal("0.61"), FieldParsers.parseDecimal(".61", 14, 2));
        assertEquals(new BigDecimal("-9.77"), FieldParsers.parseDecimal("-9.77", 14, 2));
        assertEquals(new BigDecimal("3.100"), FieldParsers.parseDecimal("3.1", 10, 3));
        assertEquals(new BigDecimal("588.00"), FieldParsers.parseDecimal("588", 14, 2));
        // more decimals than the column keeps: rounded half-up to the cent
        assertEquals(new BigDecimal("17.50"), FieldParsers.parseDecimal("17.495", 14, 2));
    }

    @Test
    void badDecimalsAreRejectedWithoutException() {
        assertNull(FieldParsers.parseDecimal("12.3.4", 14, 2));
        assertNull(FieldParsers.parseDecimal("1 200,00", 14, 2));
        assertNull(FieldParsers.parseDecimal("abc", 14, 2));
        assertNull(FieldParsers.parseDecimal("-", 14, 2));
        assertNull(FieldParsers.parseDecimal(".", 14, 2));
        assertNull(FieldParsers.parseDecimal("1e5", 14, 2));
        // too large for decimal(5,2)
        assertNull(FieldParsers.parseDecimal("1234.00", 5, 2));
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
