package fr.cpam.analytics.reporting;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** REPORT.md's formatting rules, one by one. */
class FrenchTest {

    private static final String N = "\u202F";

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void amountsTakeTheirScaleWordWithOneDecimalAndAgree() {
        assertEquals("1,9 milliard d'euros", French.euros(d("1942000000.00")));
        assertEquals("1,0 milliard d'euros", French.euros(d("1000000000")));
        assertEquals("2,0 milliards d'euros", French.euros(d("1999999999.99")));
        assertEquals("12,4 milliards d'euros", French.euros(d("12380000000")));
        assertEquals("441,6 millions d'euros", French.euros(d("441550000.00")));
        assertEquals("1,5 million d'euros", French.euros(d("1500000")));
        // 999,96 M€ rounds to 1 000,0 millions: still millions (the threshold is on the amount)
        assertEquals("1" + N + "000,0 millions d'euros", French.euros(d("999960000")));
        assertEquals("980" + N + "000 euros", French.euros(d("980000.40")));
        assertEquals("1 euro", French.euros(d("1.20")));
        assertEquals("0 euro", French.euros(d("0.00")));
        assertEquals("-43,2 millions d'euros", French.euros(d("-43200000")));
    }

    @Test
    void numbersUseANarrowNoBreakSpaceAndADecimalComma() {
        assertEquals("12" + N + "345,7", French.number(d("12345.65"), 1));
        assertEquals("1" + N + "234" + N + "567", French.count(1234567));
        assertEquals("0,5", French.number(d("0.45"), 1)); // half up, not banker's
    }

    @Test
    void percentagesAreSignedWithASpaceAndANarrowSpaceBeforeTheSign() {
        assertEquals("19,4" + N + "%", French.pct(d("19.44")));
        assertEquals("+ 3,2" + N + "%", French.signedPct(d("3.2")));
        assertEquals("- 19,4" + N + "%", French.signedPct(d("-19.35")));
        assertEquals("(+ 3,2" + N + "%)", French.signedPctInParens(d("3.24")));
        assertEquals("0,0" + N + "%", French.signedPct(d("-0.04")));
    }

    @Test
    void verbsFollowTheSignAndStabilityIsUnderHalfAPercent() {
        assertEquals("progresse de 3,2" + N + "%", French.verb(d("3.2")));
        assertEquals("diminue de 19,4" + N + "%", French.verb(d("-19.4")));
        assertEquals("reste stable", French.verb(d("0.49")));
        assertEquals("reste stable", French.verb(d("-0.49")));
        assertEquals("progresse de 0,5" + N + "%", French.verb(d("0.5")));
        assertEquals("en hausse", French.direction(d("2")));
        assertEquals("en baisse", French.direction(d("-2")));
        assertEquals("progressent fortement", Narrative.verb(d("12"), true, true));
        assertEquals("diminue", Narrative.verb(d("-2.7"), false, true));
        assertEquals("restent stables", Narrative.verb(d("0.1"), true, true));
    }

    @Test
    void singularAndPluralAgree() {
        assertEquals("1 patient", French.plural(1, "patient", "patients"));
        assertEquals("0 patient", French.plural(0, "patient", "patients"));
        assertEquals("981 patients", French.plural(981, "patient", "patients"));
        assertEquals("1" + N + "200 patients", French.plural(1200, "patient", "patients"));
    }

    @Test
    void listsJoinWithEt() {
        assertEquals("a", French.list(List.of("a")));
        assertEquals("a et b", French.list(List.of("a", "b")));
        assertEquals("a, b et c", French.list(List.of("a", "b", "c")));
    }

    @Test
    void smallCountsOfPeopleAreNeverPrinted() {
        assertEquals("1 à 10", HtmlReport.people(1));
        assertEquals("1 à 10", HtmlReport.people(10));
        assertEquals("11", HtmlReport.people(11));
        assertEquals("0", HtmlReport.people(0));
    }

    @Test
    void chartsShowAmountsInAUnitFittingTheFund() {
        HtmlReport.Unit fund = HtmlReport.Unit.of(d("1400000000"));
        assertEquals("en millions d'euros", fund.words());
        assertEquals(441.55, fund.scale(d("441550000")), 1e-9);
        assertEquals("441,6" + N + "M€", fund.label(441.55));
        assertEquals("en milliers d'euros", HtmlReport.Unit.of(d("378205")).words());
        assertEquals("105" + N + "€", HtmlReport.Unit.of(d("105")).label(105));
    }
}
