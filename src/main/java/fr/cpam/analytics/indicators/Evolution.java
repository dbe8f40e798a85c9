package fr.cpam.analytics.indicators;

import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.*;

/**
 * Percentages from exact decimals, rounded once at the end to 0.01 (HALF_UP). A zero or null
 * denominator gives null, never 0 and never infinity ({@code try_divide}).
 */
public final class Evolution {

    private Evolution() {
    }

    /** (current - previous) / previous, in percent. */
    public static Column pct(Column current, Column previous) {
        return round(try_divide(current.minus(previous).multiply(lit(100)), previous), 2).cast("decimal(12,2)");
    }

    /** part / whole, in percent. */
    public static Column share(Column part, Column whole) {
        return round(try_divide(part.multiply(lit(100)), whole), 2).cast("decimal(12,2)");
    }

    /** Euro amount, 2 decimals. */
    public static Column eur(Column c) {
        return c.cast("decimal(18,2)");
    }
}
