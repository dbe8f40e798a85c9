package fr.cpam.analytics.indicators;

import org.junit.jupiter.api.Test;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The month arithmetic of incremental runs (no Spark): which periods a month changes, which months they read. */
class PeriodsTest {

    @Test
    void aDecemberChangesItsOwnPeriodsAndTheOnesOfTheNextYearThatCompareWithThem() {
        Map<String, TreeSet<String>> a = Periods.affected(List.of(YearMonth.of(2022, 12)));
        assertEquals(new TreeSet<>(List.of("2022-12", "2023-12")), a.get("MONTH"));
        assertEquals(new TreeSet<>(List.of("2022", "2023")), a.get("YEAR"));
        // YTD: December of each year only (the only YTD windows holding a December)
        assertEquals(new TreeSet<>(List.of("2022-12", "2023-12")), a.get("YTD"));
        // R12: the 12 windows ending December 2022 .. November 2023, and the 12 a year later
        assertEquals(24, a.get("R12").size());
        assertEquals("2022-12", a.get("R12").first());
        assertEquals("2024-11", a.get("R12").last());
    }

    @Test
    void theAffectedPeriodsSpanElevenMonthsBeforeTheChangeAndTwentyThreeAfter() {
        // R12 ending 2022-12 starts in 2022-01; the last affected R12, ending 2024-11, ends 23 months after
        assertArrayEquals(new YearMonth[]{YearMonth.of(2022, 1), YearMonth.of(2024, 11)},
                Periods.spannedMonths(List.of(YearMonth.of(2022, 12))));
        // several months: from the earliest one's window to the latest one's
        assertArrayEquals(new YearMonth[]{YearMonth.of(2020, 4), YearMonth.of(2024, 11)},
                Periods.spannedMonths(List.of(YearMonth.of(2022, 12), YearMonth.of(2021, 3))));
        // with their year-earlier comparisons (computed, not read from the table), twelve more before
        assertEquals(YearMonth.of(2021, 1), Periods.neededMonths(List.of(YearMonth.of(2022, 12)))[0]);
    }

    @Test
    void theYearBeforeOfEachAffectedPeriodIsAdded() {
        Map<String, TreeSet<String>> a = Periods.withYearBefore(Map.of("YEAR", new TreeSet<>(List.of("2022")),
                "R12", new TreeSet<>(List.of("2022-12", "2023-01"))));
        assertEquals(new TreeSet<>(List.of("2021", "2022")), a.get("YEAR"));
        assertEquals(new TreeSet<>(List.of("2021-12", "2022-01", "2022-12", "2023-01")), a.get("R12"));
    }
}
