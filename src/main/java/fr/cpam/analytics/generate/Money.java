package fr.cpam.analytics.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Euro arithmetic for the generator: exact cents, never double sums. */
final class Money {
    private Money() {
    }

    static BigDecimal eur(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
    }

    static BigDecimal rate(BigDecimal amount, double rate) {
        return amount.multiply(BigDecimal.valueOf(rate)).setScale(2, RoundingMode.HALF_UP);
    }
}
