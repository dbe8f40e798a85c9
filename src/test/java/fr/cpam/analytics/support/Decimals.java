package fr.cpam.analytics.support;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.*;

/** Compares a table value with a decimal written by hand ("12.50"), scale ignored; null expects null. */
public final class Decimals {
    private Decimals() {
    }

    public static void eq(String expected, Object actual) {
        if (expected == null) {
            assertNull(actual);
        } else {
            assertNotNull(actual, "expected " + expected);
            assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual.toString())), expected + " vs " + actual);
        }
    }
}
