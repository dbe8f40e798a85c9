package fr.cpam.analytics.reporting;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

/**
 * The report's French number and word forms (REPORT.md): amounts in words of scale, signed
 * percentages, verbs that follow the sign, singular and plural. A narrow no-break space
 * (U+202F) separates thousands and precedes {@code %}; the decimal separator is a comma.
 */
public final class French {

    /** Narrow no-break space: thousands separator and before "%". */
    public static final String NNBSP = "\u202F";

    private static final BigDecimal MILLION = new BigDecimal(1_000_000);
    private static final BigDecimal BILLION = new BigDecimal(1_000_000_000);
    /** Under this absolute evolution (percent), a figure "reste stable". */
    static final BigDecimal STABLE = new BigDecimal("0.5");

    private French() {
    }

    /** {@code 12345.6, 1 -> "12 345,6"}: grouped thousands, decimal comma, half-up rounding. */
    public static String number(BigDecimal value, int decimals) {
        DecimalFormatSymbols symbols = new DecimalFormatSymbols(Locale.FRANCE);
        symbols.setGroupingSeparator('\u202F');
        symbols.setDecimalSeparator(',');
        symbols.setMinusSign('-');
        DecimalFormat f = new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals), symbols);
        f.setRoundingMode(RoundingMode.HALF_UP);
        return f.format(value.setScale(decimals, RoundingMode.HALF_UP));
    }

    public static String count(long n) {
        return number(BigDecimal.valueOf(n), 0);
    }

    /**
     * {@code "1,9 milliard d'euros"}, {@code "2,0 milliards d'euros"}, {@code "441,6 millions
     * d'euros"}, {@code "980 000 euros"}: the scale word from 1 000 M€ and 1 M€, one decimal.
     */
    public static String euros(BigDecimal amount) {
        BigDecimal abs = amount.abs();
        if (abs.compareTo(BILLION) >= 0) {
            BigDecimal v = amount.divide(BILLION, 1, RoundingMode.HALF_UP);
            return number(v, 1) + (v.abs().compareTo(new BigDecimal(2)) >= 0 ? " milliards" : " milliard") + " d'euros";
        }
        if (abs.compareTo(MILLION) >= 0) {
            BigDecimal v = amount.divide(MILLION, 1, RoundingMode.HALF_UP);
            return number(v, 1) + (v.abs().compareTo(new BigDecimal(2)) >= 0 ? " millions" : " million") + " d'euros";
        }
        BigDecimal v = amount.setScale(0, RoundingMode.HALF_UP);
        return number(v, 0) + (v.abs().compareTo(new BigDecimal(2)) >= 0 ? " euros" : " euro");
    }

    /** {@code "19,4 %"} (no sign). */
    public static String pct(BigDecimal value) {
        return number(value, 1) + NNBSP + "%";
    }

    /** {@code "+ 3,2 %"}, {@code "- 19,4 %"}: a sign and a space, as the annual reports write it. */
    public static String signedPct(BigDecimal value) {
        BigDecimal r = value.setScale(1, RoundingMode.HALF_UP);
        String sign = r.signum() < 0 ? "- " : r.signum() > 0 ? "+ " : "";
        return sign + pct(r.abs());
    }

    /** {@code "(+ 3,2 %)"}. */
    public static String signedPctInParens(BigDecimal value) {
        return "(" + signedPct(value) + ")";
    }

    /** {@code 1 -> "1 patient"}, {@code 981 -> "981 patients"}, {@code 0 -> "0 patient"} (French: plural from 2). */
    public static String plural(long n, String singular, String plural) {
        return count(n) + " " + (Math.abs(n) >= 2 ? plural : singular);
    }

    /** Whether an evolution in percent counts as stable (under 0,5 % either way). */
    public static boolean stable(BigDecimal pct) {
        return pct.abs().compareTo(STABLE) < 0;
    }

    /** {@code "progresse de 3,2 %"}, {@code "diminue de 19,4 %"}, {@code "reste stable"}. */
    public static String verb(BigDecimal pct) {
        if (stable(pct)) {
            return "reste stable";
        }
        return (pct.signum() > 0 ? "progresse de " : "diminue de ") + pct(pct.abs());
    }

    /** {@code "en hausse"}, {@code "en baisse"}, {@code "stable"}. */
    public static String direction(BigDecimal pct) {
        return stable(pct) ? "stable" : pct.signum() > 0 ? "en hausse" : "en baisse";
    }

    /** {@code [a] -> "a"}, {@code [a, b] -> "a et b"}, {@code [a, b, c] -> "a, b et c"}. */
    public static String list(List<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " et " + items.get(items.size() - 1);
    }

    /** First letter upper-case (sentence start). */
    public static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.FRENCH) + s.substring(1);
    }
}
