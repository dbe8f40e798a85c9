package fr.cpam.analytics.indicators;

import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.sources.IngestResult;
import fr.cpam.analytics.support.Fixtures;
import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static fr.cpam.analytics.support.Decimals.eq;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A fund with a line every month of 2021-2022 and a handful of lines placed to exercise each
 * rule; every expected figure below is worked out by hand in the comments.
 */
@Order(4) // where it starts in the two-at-a-time run: see junit-platform.properties
class SpendingEvolutionTest extends SparkTestBase {

    /** The fixture loaded and computed once (payment basis): read by most tests, copied by those that change it. */
    private static fr.cpam.analytics.spark.Warehouse shared;
    private static java.nio.file.Path sharedInput;

    /** The shared fixture's folder, deleted by JUnit after the class. */
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path root;

    @org.junit.jupiter.api.BeforeAll
    static void loadOnce() throws Exception {
        SpendingEvolutionTest t = new SpendingEvolutionTest();
        t.tmp = root;
        t.fixture();
        t.ingest();
        t.compute("payment");
        shared = t.warehouse();
        sharedInput = t.input();
    }

    private boolean readShared;

    @Override
    protected fr.cpam.analytics.spark.Warehouse warehouse() {
        return readShared ? shared : super.warehouse();
    }

    /** ben;care;paid;nature;qty;amount[;dpn[;cip]] */
    private static String line(String ben, String care, String paid, int nature, String qty, String amount, String dpn, String cip) {
        return ben + ";1;1980;2;092;092;921000011;1;1;;;;" + care + ";;" + paid + ";" + nature + ";10;" + dpn + ";" + qty
                + ";1;" + amount + ";" + amount + ";0;;" + cip + ";;;;";
    }

    private void fixture() {
        List<String> lines = new ArrayList<>();
        lines.add(Fixtures.CLAIMS_HEADER);
        // P0: one pharmacy line of 10.00 every month of 2021 and 2022 (drug 001): both years complete
        for (YearMonth m = YearMonth.of(2021, 1); !m.isAfter(YearMonth.of(2022, 12)); m = m.plusMonths(1)) {
            lines.add(line("P0", m.atDay(15).toString(), m.atDay(15).toString(), 3313, "1", "10.00", "", "3400900000001"));
        }
        lines.add(line("P1", "2021-03-10", "2021-03-12", 1110, "1", "17.50", "", ""));
        lines.add(line("P9", "2021-04-10", "2021-04-12", 3313, "1", "15.00", "", "3400900000004"));
        lines.add(line("P1", "2022-03-10", "2022-03-12", 1110, "1", "17.50", "", ""));
        lines.add(line("P2", "2022-03-11", "2022-03-14", 1110, "1", "17.50", "", ""));
        // P3: a nurse act and its regularisation: 0 euro, not a consumer
        lines.add(line("P3", "2022-03-04", "2022-03-14", 3111, "1", "9.77", "", ""));
        lines.add(line("P3", "2022-03-04", "2022-03-20", 3111, "-1", "-9.77", "", ""));
        // P4: for information only, counted nowhere
        lines.add(line("P4", "2022-03-02", "2022-03-09", 1110, "1", "17.50", "71", ""));
        lines.add(line("P5", "2022-05-02", "2022-05-09", 3211, "1", "20.00", "", ""));
        // P6: care on 28 December 2021, paid on 5 January 2022
        lines.add(line("P6", "2021-12-28", "2022-01-05", 1110, "1", "25.00", "", ""));
        lines.add(line("P7", "2022-06-01", "2022-06-20", 6111, "10", "300.00", "", ""));
        // P8: two new drugs rising by the same 30.00 (a tie)
        lines.add(line("P8", "2022-04-01", "2022-04-05", 3313, "1", "30.00", "", "3400900000002"));
        lines.add(line("P8", "2022-04-01", "2022-04-05", 3313, "1", "30.00", "", "3400900000003"));
        write("claims/claims.csv", lines.toArray(new String[0]));
        // Open DAMIR, region 11, January 2022 only
        write("opendamir/A202201.csv",
                "FLX_ANN_MOI;ORG_CLE_REG;PRS_NAT;ASU_NAT;PRS_REM_MNT;PRS_ACT_QTE;PRS_REM_TYP;SOI_ANN;SOI_MOI;",
                "202201;11;1110;10;52.50;3;0;2022;01;",
                "202201;11;3313;10;.61;1;0;0000;00;",
                "202201;11;3313;10;99.00;1;2;2022;01;");
    }

    /** Reads the warehouse loaded once in {@link #loadOnce()}. */
    private void useShared() {
        readShared = true;
    }

    private void compute(String basis) {
        var config = testConfig().with("period.basis", basis);
        RunContext run = new RunContext("compute");
        SpendingEvolution.builder(warehouse()).config(config).run(run).build().execute();
        TopMovers.of(warehouse(), config, run).execute();
    }

    private Row row(String source, String org, String type, String period, String poste, String sousPoste) {
        List<Row> rows = sql("SELECT * FROM spending_evolution WHERE source = '" + source + "' AND org = '" + org
                + "' AND period_type = '" + type + "' AND period = '" + period + "' AND poste = '" + poste
                + "' AND sous_poste = '" + sousPoste + "'");
        assertEquals(1, rows.size(), type + " " + period + " " + poste + "/" + sousPoste);
        return rows.get(0);
    }

    @Test
    void yearOverYearPerPosteShareContributionAndConsumers() {
        useShared();

        // TOTAL 2022 = 180 (médicaments) + 60 (consultations) + 0 (nurse) + 20 (biology) + 300 (IJ) = 560.00
        // TOTAL 2021 = 135 (120 + 15) + 17.50 = 152.50; +407.50 = +267.21 %
        Row total = row("DCIR", "092", "YEAR", "2022", "TOTAL", "TOTAL");
        eq("560.00", total.getAs("amount"));
        eq("152.50", total.getAs("amount_prev"));
        eq("407.50", total.getAs("evolution_eur"));
        eq("267.21", total.getAs("evolution_pct"));
        eq("100.00", total.getAs("share_pct"));
        eq("100.00", total.getAs("contribution_pct"));
        // consumers 2022: P0 P1 P2 P5 P6 P7 P8 (P3 cancels out, P4 is information only); 2021: P0 P1 P9
        assertEquals(7L, (long) total.<Long>getAs("consumers"));
        assertEquals(3L, (long) total.<Long>getAs("consumers_prev"));
        eq("133.33", total.getAs("consumers_evolution_pct"));
        // quantities 12+1+1+0+1+1+10+2 = 28 against 12+1+1 = 14
        eq("28.000", total.getAs("quantity"));
        eq("100.00", total.getAs("quantity_evolution_pct"));

        Row consult = row("DCIR", "092", "YEAR", "2022", "HONORAIRES_MEDICAUX", "CONSULTATIONS");
        eq("60.00", consult.getAs("amount"));              // 17.50 + 17.50 + 25.00 (paid in January 2022)
        eq("17.50", consult.getAs("amount_prev"));
        eq("242.86", consult.getAs("evolution_pct"));      // 42.50 / 17.50
        eq("10.71", consult.getAs("share_pct"));           // 60 / 560
        eq("10.43", consult.getAs("contribution_pct"));    // 42.50 / 407.50
        assertEquals(3L, (long) consult.<Long>getAs("consumers"));
        assertEquals(1L, (long) consult.<Long>getAs("consumers_prev"));
        eq("20.00", consult.getAs("amount_per_consumer"));
        eq("14.29", consult.getAs("amount_per_consumer_evolution_pct")); // (60/3) / (17.50/1) - 1

        Row med = row("DCIR", "092", "YEAR", "2022", "MEDICAMENTS", "TOTAL");
        eq("180.00", med.getAs("amount"));
        eq("135.00", med.getAs("amount_prev"));
        eq("32.14", med.getAs("share_pct"));
        eq("11.04", med.getAs("contribution_pct"));        // 45 / 407.50
        eq("73.62", row("DCIR", "092", "YEAR", "2022", "INDEMNITES_JOURNALIERES", "TOTAL").getAs("contribution_pct"));
        eq("4.91", row("DCIR", "092", "YEAR", "2022", "BIOLOGIE", "TOTAL").getAs("contribution_pct"));
        eq("300.00", row("DCIR", "092", "YEAR", "2022", "INDEMNITES_JOURNALIERES", "MALADIE_COURT").getAs("amount"));

        // the nurse act and its regularisation: a zero row, no consumer, no percentage from 0
        Row nurse = row("DCIR", "092", "YEAR", "2022", "AUXILIAIRES_MEDICAUX", "INFIRMIERS");
        eq("0.00", nurse.getAs("amount"));
        eq("0.00", nurse.getAs("amount_prev"));
        assertEquals(0L, (long) nurse.<Long>getAs("consumers"));
        assertNull(nurse.getAs("evolution_pct"));
        assertNull(nurse.getAs("amount_per_consumer"));

        // every contribution of the postes adds up to the total's evolution
        BigDecimal contributions = sql("SELECT sum(contribution_pct) FROM spending_evolution WHERE source = 'DCIR' "
                + "AND period_type = 'YEAR' AND period = '2022' AND sous_poste = 'TOTAL' AND poste <> 'TOTAL'").get(0).getDecimal(0);
        assertEquals(0, new BigDecimal("100.00").compareTo(contributions));
    }

    @Test
    void monthYtdAndRollingWindowsAcrossTheYearBoundary() {
        useShared();
        Row march = row("DCIR", "092", "MONTH", "2022-03", "HONORAIRES_MEDICAUX", "CONSULTATIONS");
        eq("35.00", march.getAs("amount"));
        eq("17.50", march.getAs("amount_prev"));
        eq("100.00", march.getAs("evolution_pct"));
        // YTD March 2022 = January (P6, 25.00) + March (35.00) against March 2021
        Row ytd = row("DCIR", "092", "YTD", "2022-03", "HONORAIRES_MEDICAUX", "CONSULTATIONS");
        eq("60.00", ytd.getAs("amount"));
        eq("17.50", ytd.getAs("amount_prev"));
        assertEquals(3, (int) ytd.<Integer>getAs("months_covered"));
        // R12 ending February 2022 = March 2021 .. February 2022: 17.50 + 25.00, 2 consumers; the
        // window before (March 2020 .. February 2021) has no data: no comparison
        Row r12 = row("DCIR", "092", "R12", "2022-02", "HONORAIRES_MEDICAUX", "CONSULTATIONS");
        eq("42.50", r12.getAs("amount"));
        assertEquals(2L, (long) r12.<Long>getAs("consumers"));
        assertNull(r12.getAs("amount_prev"));
        assertNull(r12.getAs("evolution_pct"));
        // R12 December 2022 compares with R12 December 2021: the two calendar years
        Row r12dec = row("DCIR", "092", "R12", "2022-12", "TOTAL", "TOTAL");
        eq("560.00", r12dec.getAs("amount"));
        eq("152.50", r12dec.getAs("amount_prev"));
        // a window reaching before the data is not published
        assertEquals(0, count("SELECT count(*) FROM spending_evolution WHERE period_type = 'R12' AND period = '2021-06'"));
        // the first year has no previous year: null, not 0
        Row y2021 = row("DCIR", "092", "YEAR", "2021", "TOTAL", "TOTAL");
        eq("152.50", y2021.getAs("amount"));
        assertNull(y2021.getAs("amount_prev"));
        assertNull(y2021.getAs("evolution_pct"));
        assertNull(y2021.getAs("contribution_pct"));
        // every required category is present in every published period
        assertEquals(0, count("SELECT count(*) FROM (SELECT source, org, period_type, period, count(*) AS n "
                + "FROM spending_evolution GROUP BY 1, 2, 3, 4) WHERE n <> " + Categories.all().size()));
    }

    @Test
    void careBasisMovesTheDecemberCare() {
        startFrom(sharedInput, shared);
        compute("care");
        // P6's consultation of 28 December 2021 belongs to 2021 by care date
        eq("42.50", row("DCIR", "092", "YEAR", "2021", "HONORAIRES_MEDICAUX", "CONSULTATIONS").getAs("amount"));
        eq("35.00", row("DCIR", "092", "YEAR", "2022", "HONORAIRES_MEDICAUX", "CONSULTATIONS").getAs("amount"));
        // the item months are kept by payment month: under the care basis they are dropped, and
        // the next payment-basis night, finding none, recomputes the movers in full and rebuilds them
        assertFalse(warehouse().exists(TopMovers.ITEM_MONTHS));
        // the same for the Covid domain months; P6's 25.00 counts in 2021's TOTAL: 120 + 17.50 + 15 + 25
        CovidShare.of(warehouse(), testConfig(), new RunContext("compute")).execute();
        assertTrue(warehouse().exists(CovidShare.DOMAIN_MONTHS));
        CovidShare.Result covid = CovidShare.of(warehouse(), testConfig().with("period.basis", "care"), new RunContext("compute")).execute();
        assertEquals(-1, covid.domainMonthRows());
        assertFalse(warehouse().exists(CovidShare.DOMAIN_MONTHS));
        eq("177.50", sql("SELECT total_amount FROM covid_share WHERE source = 'DCIR' AND period_type = 'YEAR' "
                + "AND period = '2021' AND domain = 'TOTAL'").get(0).get(0));
        TopMovers.Result next = TopMovers.of(warehouse(), testConfig(), new RunContext("nightly"))
                .changedMonths(List.of(YearMonth.of(2022, 5))).execute();
        assertFalse(next.incremental());
        assertEquals(count("SELECT count(*) FROM item_months"), next.itemMonthRows());
        eq("25.00", sql("SELECT amount FROM item_months WHERE month_date = DATE'2022-01-01' AND item_code = '1110'")
                .get(0).get(0));
        // the spending night finds no category months either: it recomputes every period and rebuilds them
        SpendingEvolution.Result spending = SpendingEvolution.builder(warehouse()).config(testConfig()).run(new RunContext("nightly"))
                .changedMonths(List.of(YearMonth.of(2022, 5))).build().execute();
        assertFalse(spending.incremental());
        assertEquals(count("SELECT count(*) FROM category_months"), spending.categoryMonthRows());
        eq("25.00", sql("SELECT amount FROM category_months WHERE source = 'DCIR' AND month_date = DATE'2022-01-01' "
                + "AND sous_poste = 'CONSULTATIONS'").get(0).get(0));
        // and the care basis drops them again
        SpendingEvolution.Result byCare = SpendingEvolution.builder(warehouse()).config(testConfig().with("period.basis", "care"))
                .run(new RunContext("compute")).build().execute();
        assertEquals(-1, byCare.categoryMonthRows());
        assertFalse(warehouse().exists(SpendingEvolution.CATEGORY_MONTHS));
    }

    @Test
    void theCategoryMonthsHoldEachCategorysAmountAndQuantityPerPaymentMonth() {
        useShared();
        // March 2022: P0's drug, the consultations of P1 and P2 (P4 is information only), the nurse
        // act and its regularisation (0.00 for a quantity of 0)
        assertEquals(List.of("AUXILIAIRES_MEDICAUX:INFIRMIERS:0.00:0.000", "HONORAIRES_MEDICAUX:CONSULTATIONS:35.00:2.000",
                        "MEDICAMENTS:PHARMACIE:10.00:1.000"),
                sql("SELECT poste, sous_poste, amount, quantity FROM category_months WHERE source = 'DCIR' AND org = '092' "
                        + "AND month_date = DATE'2022-03-01' ORDER BY poste").stream()
                        .map(r -> r.getString(0) + ":" + r.getString(1) + ":" + r.getDecimal(2) + ":" + r.getDecimal(3))
                        .collect(Collectors.toList()));
        // January 2022: P6's consultation of December 2021 is in its payment month, and Open DAMIR's
        // month holds its legal parts only (52.50 for 3 consultations, 0.61; the PRS_REM_TYP 2 row left out)
        assertEquals(List.of("DCIR:HONORAIRES_MEDICAUX:CONSULTATIONS:25.00:1.000", "DCIR:MEDICAMENTS:PHARMACIE:10.00:1.000",
                        "OPENDAMIR:HONORAIRES_MEDICAUX:CONSULTATIONS:52.50:3.000", "OPENDAMIR:MEDICAMENTS:PHARMACIE:0.61:1.000"),
                sql("SELECT source, poste, sous_poste, amount, quantity FROM category_months "
                        + "WHERE month_date = DATE'2022-01-01' ORDER BY source, poste").stream()
                        .map(r -> r.getString(0) + ":" + r.getString(1) + ":" + r.getString(2) + ":" + r.getDecimal(3) + ":" + r.getDecimal(4))
                        .collect(Collectors.toList()));
        // the 24 payment months of the fund and Open DAMIR's one: the months with data
        assertEquals(25, count("SELECT count(DISTINCT source, month_date) FROM category_months"));
    }

    @Test
    void openDamirRowsHaveNoConsumers() {
        useShared();
        // 52.50 + 0.61; the PRS_REM_TYP 2 row is not the legal part
        Row od = row("OPENDAMIR", "11", "MONTH", "2022-01", "TOTAL", "TOTAL");
        eq("53.11", od.getAs("amount"));
        assertNull(od.getAs("consumers"));
        assertNull(od.getAs("amount_per_consumer"));
        eq("3.000", row("OPENDAMIR", "11", "MONTH", "2022-01", "HONORAIRES_MEDICAUX", "CONSULTATIONS").getAs("quantity"));
        Row year = row("OPENDAMIR", "11", "YEAR", "2022", "TOTAL", "TOTAL");
        assertFalse(year.<Boolean>getAs("complete"), "one month of 2022 only");
        assertNull(year.getAs("amount_prev"));
    }

    @Test
    void topMoversRankEuroIncreasesWithTies() {
        useShared();
        List<Row> movers = sql("SELECT item_code, rank, evolution_eur, share_of_poste_pct FROM top_movers WHERE org = '092' "
                + "AND period_type = 'YEAR' AND period = '2022' AND poste = 'MEDICAMENTS' AND item_type = 'CIP13' "
                + "ORDER BY rank, item_code");
        assertEquals(List.of("3400900000002:1:30.00:16.67", "3400900000003:1:30.00:16.67",
                        "3400900000001:3:0.00:66.67", "3400900000004:4:-15.00:0.00"),
                movers.stream().map(r -> r.getString(0) + ":" + r.getInt(1) + ":" + r.getDecimal(2) + ":" + r.getDecimal(3))
                        .collect(Collectors.toList()));
        Row nature = sql("SELECT item_code, amount, amount_prev FROM top_movers WHERE org = '092' AND period_type = 'YEAR' "
                + "AND period = '2022' AND poste = 'HONORAIRES_MEDICAUX' AND item_type = 'NATURE' AND rank = 1").get(0);
        assertEquals("1110", nature.getString(0));
        eq("60.00", nature.get(1));
        eq("17.50", nature.get(2));
    }

    @Test
    void theItemMonthsHoldEachItemsAmountPerPaymentMonth() {
        useShared();
        // March 2022: consultations P1 + P2 (P4 is information only), the nurse act and its
        // regularisation (0.00), P0's drug under its nature and its CIP13
        assertEquals(List.of("HONORAIRES_MEDICAUX:NATURE:1110:35.00", "AUXILIAIRES_MEDICAUX:NATURE:3111:0.00",
                        "MEDICAMENTS:NATURE:3313:10.00", "MEDICAMENTS:CIP13:3400900000001:10.00"),
                sql("SELECT poste, item_type, item_code, amount FROM item_months WHERE org = '092' "
                        + "AND month_date = DATE'2022-03-01' ORDER BY item_code").stream()
                        .map(r -> r.getString(0) + ":" + r.getString(1) + ":" + r.getString(2) + ":" + r.getDecimal(3))
                        .collect(Collectors.toList()));
        // P6's care of December 2021 is in its payment month, January 2022
        eq("25.00", sql("SELECT amount FROM item_months WHERE month_date = DATE'2022-01-01' AND item_code = '1110'")
                .get(0).get(0));
        // every payment month of 2021-2022 is there, and nothing else
        assertEquals(24, count("SELECT count(DISTINCT month_date) FROM item_months"));
        // the type of one sum of the claims' decimal(14,2), as older versions wrote it: a night
        // replaces months of a table it did not create
        assertEquals("decimal(24,2)", table("item_months").schema().apply("amount").dataType().simpleString());
    }

    @Test
    void incrementalEqualsFull() throws Exception {
        // the fixture loaded and computed on the payment basis, as in loadOnce()
        startFrom(sharedInput, shared);
        // a late line paid in May 2022 arrives in a new file
        write("claims/late.csv", Fixtures.CLAIMS_HEADER, line("P5", "2022-05-03", "2022-05-10", 3211, "1", "40.00", "", ""));
        IngestResult r = ingest();
        assertEquals(List.of("2022-05"), r.changedMonths());
        List<YearMonth> changed = r.changedMonths().stream().map(YearMonth::parse).toList();
        RunContext run = new RunContext("nightly");
        SpendingEvolution.Result inc = SpendingEvolution.builder(warehouse()).config(testConfig()).run(run)
                .changedMonths(changed).build().execute();
        assertTrue(inc.incremental());
        // only May 2022's category months were rewritten: P0's drug and the biology (P5's 20.00 + 40.00)
        assertEquals(2, inc.categoryMonthRows());
        eq("60.00", sql("SELECT amount FROM category_months WHERE month_date = DATE'2022-05-01' AND poste = 'BIOLOGIE'")
                .get(0).get(0));
        TopMovers.Result movers = TopMovers.of(warehouse(), testConfig(), run).changedMonths(changed).execute();
        assertTrue(movers.incremental());
        // only May 2022's item months were rewritten: P0's drug (nature and CIP13, 10.00 each)
        // and the biology nature 3211 (P5's 20.00 + the late 40.00)
        assertEquals(3, movers.itemMonthRows());
        eq("60.00", sql("SELECT amount FROM item_months WHERE month_date = DATE'2022-05-01' AND item_code = '3211'")
                .get(0).get(0));
        String q = "SELECT * EXCEPT (run_id) FROM %s ORDER BY ALL";
        List<String> incremental = sql(String.format(q, "spending_evolution")).stream().map(Row::toString).toList();
        List<String> incMovers = sql(String.format(q, "top_movers")).stream().map(Row::toString).toList();
        List<String> incItems = sql("SELECT * FROM item_months ORDER BY ALL").stream().map(Row::toString).toList();
        List<String> incCategories = sql("SELECT * FROM category_months ORDER BY ALL").stream().map(Row::toString).toList();
        compute("payment");
        assertEquals(sql("SELECT * FROM category_months ORDER BY ALL").stream().map(Row::toString).toList(), incCategories);
        assertEquals(sql(String.format(q, "spending_evolution")).stream().map(Row::toString).toList(), incremental);
        assertEquals(sql(String.format(q, "top_movers")).stream().map(Row::toString).toList(), incMovers);
        assertEquals(sql("SELECT * FROM item_months ORDER BY ALL").stream().map(Row::toString).toList(), incItems);
        eq("60.00", row("DCIR", "092", "MONTH", "2022-05", "BIOLOGIE", "ACTES").getAs("amount"));
    }
}
