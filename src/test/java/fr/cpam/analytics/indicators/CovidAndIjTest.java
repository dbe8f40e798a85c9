package fr.cpam.analytics.indicators;

import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.spark.Warehouse;
import fr.cpam.analytics.support.Fixtures;
import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static fr.cpam.analytics.support.Decimals.eq;
import static org.junit.jupiter.api.Assertions.*;

/** IJ payments linked to notices, the Covid share and the IJ breakdown, on figures worked out by hand. */
class CovidAndIjTest extends SparkTestBase {

    private static Warehouse wh;

    private static String claim(String ben, String care, String paid, int nature, int asu, String qty, String amount, String nabm) {
        return ben + ";1;1980;2;092;092;921000011;1;1;;;;" + care + ";;" + paid + ";" + nature + ";" + asu + ";;" + qty
                + ";1;" + amount + ";" + amount + ";0;" + nabm + ";;;;;";
    }

    /** The shared fixture's folder, deleted by JUnit after the class. */
    @TempDir
    static Path root;

    @BeforeAll
    static void loadOnce() throws Exception {
        CovidAndIjTest t = new CovidAndIjTest();
        t.shared = false;
        t.tmp = root;
        List<String> claims = new ArrayList<>();
        claims.add(Fixtures.CLAIMS_HEADER);
        for (YearMonth m = YearMonth.of(2021, 1); !m.isAfter(YearMonth.of(2022, 12)); m = m.plusMonths(1)) {
            claims.add(claim("P0", m.atDay(15).toString(), m.atDay(15).toString(), 3313, 10, "1", "10.00", ""));
        }
        claims.add(claim("P1", "2021-03-05", "2021-03-25", 6111, 10, "5", "100.00", ""));   // A: in N1 only
        claims.add(claim("P1", "2021-03-12", "2021-03-25", 6111, 10, "8", "200.00", ""));   // B: in N1 and N2 -> N2 (Covid)
        claims.add(claim("P1", "2021-03-31", "2021-04-08", 6111, 10, "1", "25.00", ""));    // C: N2's last day
        claims.add(claim("P2", "2021-05-01", "2021-05-20", 6111, 10, "2", "50.00", ""));    // D: N3's first day (Covid)
        claims.add(claim("P2", "2021-05-11", "2021-05-20", 6111, 10, "1", "30.00", ""));    // E: the day after N3: unlinked
        claims.add(claim("P3", "2021-06-02", "2021-06-20", 6111, 40, "10", "400.00", ""));  // F: AT/MP, N4
        claims.add(claim("P4", "2021-05-03", "2021-05-25", 6122, 30, "15", "900.00", ""));  // G: maternity, N5 (151 days)
        claims.add(claim("P5", "2021-03-15", "2021-03-28", 6112, 10, "2", "60.00", ""));    // H: maladie > 3 months, no notice
        claims.add(claim("P1", "2022-03-05", "2022-03-25", 6111, 10, "5", "100.00", ""));   // 2022: unlinked
        // P8: 3 days paid in July 2021, taken back in August (a regularisation): unlinked, nets to nothing
        claims.add(claim("P8", "2021-07-05", "2021-07-20", 6111, 10, "3", "90.00", ""));
        claims.add(claim("P8", "2021-07-05", "2021-08-10", 6111, 10, "-3", "-90.00", ""));
        claims.add(claim("P6", "2021-04-02", "2021-04-09", 3211, 10, "1", "40.00", "5271")); // RT-PCR
        claims.add(claim("P6", "2021-04-02", "2021-04-09", 3211, 10, "1", "15.00", "1104"));
        claims.add(claim("P6", "2022-04-02", "2022-04-09", 3211, 10, "1", "20.00", "5271"));
        claims.add(claim("P7", "2021-06-10", "2021-06-18", 1929, 10, "1", "9.60", ""));     // Covid vaccination
        t.write("claims/claims.csv", claims.toArray(new String[0]));
        t.write("sick_leave/notices.csv",
                "ARR_NUM;BEN_NIR_PSA;BEN_RNG_GEM;ORG_AFF_BEN;PFS_PRE_NUM;PSP_SPE_COD;IJR_EMP_NUM;RGO_ASU_NAT;ARR_DEB_DTE;ARR_FIN_DTE;ARR_PRO_TOP;ARR_DRG_MTF",
                "N1;P1;1;092;921000011;1;E1;10;2021-03-01;2021-03-20;0;",
                "N2;P1;1;092;921000011;1;E1;10;2021-03-10;2021-03-31;0;COVID_POSITIF",
                "N3;P2;1;092;921000011;1;E2;10;2021-05-01;2021-05-10;0;COVID_CONTACT",
                "N4;P3;1;092;921000011;1;E3;40;2021-06-01;2021-06-30;0;",
                "N5;P4;1;092;921000011;1;E4;30;2021-02-01;2021-06-30;0;");
        // Open DAMIR, region 11, March 2021: a vaccination and a consultation (HONORAIRES_MEDICAUX,
        // a marked poste) and a biology act (no marked nature: only says the month has data)
        t.write("opendamir/A202103.csv",
                "FLX_ANN_MOI;ORG_CLE_REG;PRS_NAT;ASU_NAT;PRS_REM_MNT;PRS_ACT_QTE;PRS_REM_TYP;SOI_ANN;SOI_MOI;",
                "202103;11;1929;10;9.60;1;0;2021;03;",
                "202103;11;1110;10;25.00;1;0;2021;03;",
                "202103;11;3211;10;30.00;1;0;2021;03;");
        t.ingest();
        RunContext run = new RunContext("compute");
        CovidShare.of(t.warehouse(), testConfig(), run).execute();
        IjBreakdown.of(t.warehouse(), testConfig(), run).execute();
        wh = t.warehouse();
    }

    private boolean shared = true;

    @Override
    protected Warehouse warehouse() {
        return shared ? wh : super.warehouse();
    }

    @Test
    void paymentsAreLinkedToTheLatestStartingNoticeContainingTheirFirstDay() {
        Map<String, String> links = new TreeMap<>();
        for (Row r : sql("SELECT BEN_NIR_PSA, cast(EXE_SOI_DTD AS string), ARR_NUM, is_covid_ij, risk, duration FROM ij_payments")) {
            links.put(r.getString(0) + " " + r.getString(1), r.getString(2) + " " + r.getBoolean(3) + " " + r.getString(4) + " " + r.getString(5));
        }
        assertEquals("N1 false MALADIE COURT", links.get("P1 2021-03-05"));
        assertEquals("N2 true MALADIE COURT", links.get("P1 2021-03-12"), "inside two notices: the latest-starting wins");
        assertEquals("N2 true MALADIE COURT", links.get("P1 2021-03-31"), "the notice's last day is inside");
        assertEquals("N3 true MALADIE COURT", links.get("P2 2021-05-01"), "the notice's first day is inside");
        assertEquals("null false MALADIE COURT", links.get("P2 2021-05-11"), "outside any notice: unlinked, non-Covid");
        assertEquals("N4 false AT_MP COURT", links.get("P3 2021-06-02"));
        assertEquals("N5 false MATERNITE LONG", links.get("P4 2021-05-03"), "151-day notice");
        assertEquals("null false MALADIE LONG", links.get("P5 2021-03-15"));
        assertEquals("null false MALADIE COURT", links.get("P8 2021-07-05"), "the payment and its regularisation");
        assertEquals(10, links.size());
    }

    private Row covid(String period, String domain) {
        List<Row> rows = sql("SELECT * FROM covid_share WHERE source = 'DCIR' AND org = '092' AND period_type = 'YEAR' "
                + "AND period = '" + period + "' AND domain = '" + domain + "'");
        assertEquals(1, rows.size(), period + " " + domain);
        return rows.get(0);
    }

    @Test
    void covidShareOfIjBiologyVaccinationAndTotal() {
        // IJ 2021: 100 + 200 + 25 + 50 + 30 + 400 + 900 + 60 = 1765; Covid: 200 + 25 + 50 = 275 (15.58 %)
        Row ij = covid("2021", "INDEMNITES_JOURNALIERES");
        eq("1765.00", ij.getAs("total_amount"));
        eq("275.00", ij.getAs("covid_amount"));
        eq("15.58", ij.getAs("covid_share_pct"));
        // maladie < 3 months: 100 + 200 + 25 + 50 + 30 = 405, of which 275 Covid
        eq("405.00", covid("2021", "IJ_MALADIE_COURT").getAs("total_amount"));
        eq("67.90", covid("2021", "IJ_MALADIE_COURT").getAs("covid_share_pct"));
        Row bio = covid("2021", "BIOLOGIE");
        eq("55.00", bio.getAs("total_amount"));
        eq("72.73", bio.getAs("covid_share_pct"));
        Row bio22 = covid("2022", "BIOLOGIE");
        eq("20.00", bio22.getAs("covid_amount"));
        eq("40.00", bio22.getAs("covid_amount_prev"));
        eq("72.73", bio22.getAs("covid_share_pct_prev"));
        eq("-50.00", bio22.getAs("covid_evolution_pct"));
        eq("100.00", covid("2021", "HONORAIRES_MEDICAUX").getAs("covid_share_pct"));
        // total 2021: 120 + 1765 + 55 + 9.60 = 1949.60; Covid 275 + 40 + 9.60 = 324.60
        Row total = covid("2021", "TOTAL");
        eq("1949.60", total.getAs("total_amount"));
        eq("324.60", total.getAs("covid_amount"));
        eq("16.65", total.getAs("covid_share_pct"));
        assertNull(total.getAs("covid_amount_prev"), "no 2020");
    }

    @Test
    void theDomainMonthsHoldTotalAndCovidPerPaymentMonth() {
        Map<String, String> m = new TreeMap<>();
        for (Row r : sql("SELECT source, domain, total_amount, covid_amount FROM covid_domain_months "
                + "WHERE month_date = DATE'2021-03-01'")) {
            m.put(r.getString(0) + " " + r.getString(1), r.getDecimal(2) + " " + r.getDecimal(3));
        }
        // paid in March 2021: A 100.00, B 200.00 (Covid), H 60.00 (maladie > 3 months); P0's 10.00
        assertEquals("360.00 200.00", m.get("DCIR INDEMNITES_JOURNALIERES"));
        assertEquals("300.00 200.00", m.get("DCIR IJ_MALADIE_COURT"));
        assertEquals("370.00 200.00", m.get("DCIR TOTAL"));
        assertEquals("34.60 9.60", m.get("OPENDAMIR HONORAIRES_MEDICAUX"));
        assertEquals("30.00 0.00", m.get("OPENDAMIR null"), "Open DAMIR's unmarked postes: the month has data");
        // the month row is state, never published
        assertEquals(0, count("SELECT count(*) FROM covid_share WHERE domain IS NULL"));
        Row od = sql("SELECT total_amount, covid_share_pct FROM covid_share WHERE source = 'OPENDAMIR' "
                + "AND period_type = 'MONTH' AND period = '2021-03' AND domain = 'HONORAIRES_MEDICAUX'").get(0);
        eq("34.60", od.get(0));
        eq("27.75", od.get(1));                                     // 9.60 / 34.60
        // every month of 2021-2022 with DCIR data, and March 2021 of Open DAMIR
        assertEquals(25, count("SELECT count(DISTINCT source, month_date) FROM covid_domain_months"));
        // one sum of the claims' decimal(14,2) and Open DAMIR's decimal(16,2), as older versions
        // wrote it: a night replaces months of a table it did not create
        assertEquals("decimal(26,2)", table("covid_domain_months").schema().apply("total_amount").dataType().simpleString());
    }

    @Test
    void covidIjByMotive() {
        Map<String, String> m = new TreeMap<>();
        for (Row r : sql("SELECT motive, amount, share_of_ij_pct, share_of_covid_ij_pct FROM covid_ij_motives "
                + "WHERE org = '092' AND period_type = 'YEAR' AND period = '2021'")) {
            m.put(r.getString(0), r.getDecimal(1) + " " + r.getDecimal(2) + " " + r.getDecimal(3));
        }
        assertEquals("225.00 12.75 81.82", m.get("COVID_POSITIF"));
        assertEquals("50.00 2.83 18.18", m.get("COVID_CONTACT"));
        assertEquals("1490.00 84.42 null", m.get("NON_COVID"));
    }

    private Row ij(String period, String risk, String duration) {
        return ij("YEAR", period, risk, duration);
    }

    private Row ij(String type, String period, String risk, String duration) {
        List<Row> rows = sql("SELECT * FROM ij_breakdown WHERE org = '092' AND period_type = '" + type + "' AND period = '"
                + period + "' AND risk = '" + risk + "' AND duration = '" + duration + "'");
        assertEquals(1, rows.size(), type + " " + period + " " + risk + " " + duration);
        return rows.get(0);
    }

    private long beneficiaries(String type, String period, String risk, String duration) {
        return ij(type, period, risk, duration).<Long>getAs("beneficiaries");
    }

    @Test
    void ijBreakdownByRiskAndDuration() {
        Row court = ij("2021", "MALADIE", "COURT");
        eq("405.00", court.getAs("amount"));
        eq("17", court.getAs("days"));
        assertEquals(2L, (long) court.<Long>getAs("beneficiaries"));
        eq("275.00", court.getAs("covid_amount"));
        eq("67.90", court.getAs("covid_share_pct"));
        assertEquals(3L, (long) court.<Long>getAs("unlinked_payments"));     // E, and P8's payment and regularisation
        eq("30.00", court.getAs("unlinked_amount"));                         // 30 + 90 - 90
        eq("23.82", court.getAs("avg_daily_amount"));              // 405 / 17
        Row maladie = ij("2021", "MALADIE", "TOUS");
        eq("465.00", maladie.getAs("amount"));
        assertEquals(3L, (long) maladie.<Long>getAs("beneficiaries"));
        eq("40.00", ij("2021", "AT_MP", "COURT").getAs("avg_daily_amount"));
        eq("900.00", ij("2021", "MATERNITE", "LONG").getAs("amount"));
        Row all = ij("2021", "TOUS", "TOUS");
        eq("1765.00", all.getAs("amount"));
        eq("44", all.getAs("days"));
        assertEquals(5L, (long) all.<Long>getAs("beneficiaries"));
        eq("15.58", all.getAs("covid_share_pct"));
        assertEquals(4L, (long) all.<Long>getAs("unlinked_payments"));
        eq("90.00", all.getAs("unlinked_amount"));
        eq("805.00", ij("2021", "TOUS", "COURT").getAs("amount"));
        // 2022: one unlinked maladie payment of 100.00 for 5 days, against 405.00 and 17 days
        Row court22 = ij("2022", "MALADIE", "COURT");
        eq("405.00", court22.getAs("amount_prev"));
        eq("-75.31", court22.getAs("evolution_pct"));
        eq("-70.59", court22.getAs("days_evolution_pct"));
        eq("0.00", court22.getAs("covid_share_pct"));
    }

    /**
     * Beneficiaries are those whose days over the period sum to more than zero: P8's July payment
     * counts in July, its August regularisation cancels it in every period holding both months.
     * Paid: P1 in 2021-03, 2021-04 and 2022-03; P2 and P4 in 2021-05; P3 in 2021-06; P5 in
     * 2021-03; P8 +3 days in 2021-07, -3 in 2021-08.
     */
    @Test
    void ijBeneficiariesPerPeriodWithARegularisation() {
        assertEquals(2L, beneficiaries("MONTH", "2021-03", "TOUS", "TOUS"));     // P1, P5
        assertEquals(1L, beneficiaries("MONTH", "2021-03", "MALADIE", "LONG"));  // P5
        assertEquals(1L, beneficiaries("MONTH", "2021-07", "MALADIE", "COURT")); // P8
        Row august = ij("MONTH", "2021-08", "TOUS", "TOUS");
        assertEquals(0L, (long) august.<Long>getAs("beneficiaries"));           // P8's -3 days is no consumption
        eq("-90.00", august.getAs("amount"));
        eq("-3", august.getAs("days"));
        assertEquals(6L, beneficiaries("YTD", "2021-07", "TOUS", "TOUS"));      // P1, P2, P3, P4, P5, P8
        assertEquals(5L, beneficiaries("YTD", "2021-08", "TOUS", "TOUS"));      // P8 nets to 0
        assertEquals(3L, beneficiaries("YTD", "2021-08", "TOUS", "COURT"));     // P1, P2, P3 (AT/MP, nature 6111)
        // 2021-03 .. 2022-02: P1, P2, P3, P4, P5; 2021-04 .. 2022-03: P1 (April, March), P2, P3, P4
        assertEquals(5L, beneficiaries("R12", "2022-02", "TOUS", "TOUS"));
        assertEquals(4L, beneficiaries("R12", "2022-03", "TOUS", "TOUS"));
        // 2021-08 .. 2022-07: P8's regularisation alone (not a beneficiary), P1's March 2022
        assertEquals(1L, beneficiaries("R12", "2022-07", "MALADIE", "COURT"));
    }

    /** Spending's category months, just written from the same claims, give IJ the same table as a scan of the claims. */
    @Test
    void ijFromSpendingsCategoryMonthsEqualsIjFromTheClaims() {
        String columns = "org, period_type, period, risk, duration, amount, days, beneficiaries, amount_prev, "
                + "evolution_pct, days_prev, avg_daily_amount, covid_amount, unlinked_payments, unlinked_amount, complete";
        List<Row> fromClaims = sql("SELECT " + columns + " FROM ij_breakdown ORDER BY " + columns);
        RunContext run = new RunContext("compute");
        SpendingEvolution.builder(wh).config(testConfig()).run(run).build().execute();
        IjBreakdown.of(wh, testConfig(), run).fromCategoryMonths(true).execute();
        assertEquals(fromClaims, sql("SELECT " + columns + " FROM ij_breakdown ORDER BY " + columns));
        assertTrue(fromClaims.size() > 100, "rows compared: " + fromClaims.size());
    }
}
