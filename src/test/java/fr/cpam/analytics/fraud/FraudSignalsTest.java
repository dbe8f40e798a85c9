package fr.cpam.analytics.fraud;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.fraud.signals.CareAfterDeath;
import fr.cpam.analytics.fraud.signals.SameRxMultiPharmacy;
import fr.cpam.analytics.indicators.IjBreakdown;
import fr.cpam.analytics.indicators.IjPayments;
import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.spark.Warehouse;
import fr.cpam.analytics.support.ClaimLine;
import fr.cpam.analytics.support.Fixtures;
import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import scala.jdk.javaapi.CollectionConverters;

import static fr.cpam.analytics.support.Decimals.eq;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every fraud signal on a hand-made fixture: one fund per signal, so each peer group holds only
 * the professionals or beneficiaries written here, and every value, median and threshold below
 * is worked out by hand in the comments. Each signal has a case that must fire and a
 * look-alike that must not.
 */
@Order(Integer.MAX_VALUE) // where it starts in the two-at-a-time run: see junit-platform.properties
class FraudSignalsTest extends SparkTestBase {

    private static Warehouse wh;
    private static FraudSignals.Result result;
    private static final String BUPRENORPHINE = "N07BC01";

    private static final List<String> claims = new ArrayList<>();

    private static ClaimLine c(String org, String ben, String exe, String care, int nature) {
        ClaimLine l = new ClaimLine(org, ben, exe, care, nature);
        return l;
    }

    private static void add(ClaimLine... lines) {
        for (ClaimLine l : lines) {
            claims.add(l.toString());
        }
    }

    /** Small peer groups: the thresholds that need many patients are lowered for the fixture. */
    static JobConfig fraudConfig() {
        return testConfig().with("fraud.ij-prescriber-outlier.min-patients", 2)
                .with("fraud.peer-outlier.min-patients", 2);
    }

    private static final String[] NOTICES = {
            "ARR_NUM;BEN_NIR_PSA;BEN_RNG_GEM;ORG_AFF_BEN;PFS_PRE_NUM;PSP_SPE_COD;IJR_EMP_NUM;RGO_ASU_NAT;ARR_DEB_DTE;ARR_FIN_DTE;ARR_PRO_TOP;ARR_DRG_MTF",
            "N1;A1;1;003;D1;1;E1;10;2022-01-10;2022-02-08;0;",   // D1: 30 days
            "N2;A2;1;003;D1;1;E1;10;2022-03-01;2022-03-30;0;",   // D1: 30 days
            "N3;B1;1;003;D2;1;E1;10;2022-04-01;2022-04-04;0;",   // D2: 4 days
            "N4;C1;1;003;D3;1;E1;10;2022-04-01;2022-04-06;0;",   // D3: 6 days
            "N5;F1;1;003;D4;1;E1;10;2022-04-01;2022-04-08;0;",   // D4: 8 days
            "N6;L1;1;003;D6;1;E1;10;2022-05-01;2022-05-10;0;"};  // D6: 10 days

    /** The shared fixture's folder, deleted by JUnit after the class. */
    @TempDir
    static Path root;

    @BeforeAll
    static void loadOnce() throws Exception {
        FraudSignalsTest t = new FraudSignalsTest();
        t.shared = false;
        t.tmp = root;
        claims.add(Fixtures.CLAIMS_HEADER);
        doctorShopping();
        sameRx();
        ijPrescriber();
        ijOverlap();
        nurses();
        impossibleDay();
        taxis();
        afterDeath();
        duringStay();
        offLabel();
        peerOutlier();
        t.writeFixture();
        t.ingest();
        wh = t.warehouse();
        result = FraudSignals.builder(wh).config(fraudConfig()).run(new RunContext("compute")).build().execute();
    }

    private boolean shared = true;

    /** The whole fixture's inputs: every signal's lines, the notices, the deaths and the stay. */
    private void writeFixture() {
        write("claims/claims.csv", claims.toArray(new String[0]));
        write("sick_leave/notices.csv", NOTICES);
        write("reference/beneficiaries/beneficiaries.csv",
                "BEN_NIR_PSA;BEN_RNG_GEM;BEN_NAI_ANN;BEN_SEX_COD;BEN_RES_DPT;BEN_DCD_DTE",
                "DEAD1;1;1930;1;008;2022-05-10",
                "DEAD2;1;1932;2;008;2022-06-01",
                "ALIVE;1;1950;2;008;");
        write("reference/hospital_stays/stays.csv",
                "ETA_NUM;BEN_NIR_PSA;BEN_RNG_GEM;SEJ_ENT_DTE;SEJ_SOR_DTE",
                "920000001;H1;1;2022-07-01;2022-07-10");
    }

    @Override
    protected Warehouse warehouse() {
        return shared ? wh : super.warehouse();
    }

    private List<Row> leads(String signal, String org) {
        return sql("SELECT * FROM fraud_signals WHERE signal = '" + signal + "' AND org = '" + org + "' ORDER BY entity_type, rank");
    }

    private static Object v(Row r, String column) {
        return r.get(r.fieldIndex(column));
    }

    private static String ids(List<Row> rows) {
        return rows.stream().map(r -> (String) v(r, "entity_id")).collect(Collectors.joining(","));
    }

    /** The columns every lead carries, checked for one row. */
    private static void assertLead(Row r, String entityType, String id, String value, long peerSize, String peerMedian,
                                   String threshold, String score, String atStake) {
        assertEquals(entityType, v(r, "entity_type"));
        assertEquals(id, v(r, "entity_id"));
        eq(value, v(r, "value"));
        assertEquals(peerSize, v(r, "peer_size"));
        eq(peerMedian, v(r, "peer_median"));
        eq(threshold, v(r, "threshold"));
        eq(score, v(r, "score"));
        eq(atStake, v(r, "amount_at_stake"));
        assertEquals(1, v(r, "rank"));
        assertEquals("A_REVOIR", v(r, "review_status"));
        assertTrue(((String) v(r, "rule_version")).startsWith(v(r, "signal") + "/"));
    }

    // ---- DOCTOR_SHOPPING, fund 001 --------------------------------------------------------

    private static ClaimLine dispensing(String org, String ben, String pharmacy, String prescriber, String day, int boxes,
                                        String amount, String atc) {
        return c(org, ben, pharmacy, day, 3313).executant(null, 50).prescribedBy(prescriber, 1, day)
                .drug("34009301010" + atc.length(), atc).qty(String.valueOf(boxes)).amount(amount);
    }

    private static void doctorShopping() {
        // S1: 4 boxes (28 days) on 01-03 by P1, 01-10 by P2, 01-17 by P1: each overlaps the other
        // prescriber's treatment -> 12 boxes, 2 prescribers, 3 pharmacies. 03-01 (2 boxes, P1 only)
        // overlaps nobody; its +/- regularisation pair nets out.
        ClaimLine late = dispensing("001", "S1", "F4", "P1", "2022-03-01", 2, "20.00", BUPRENORPHINE);
        add(dispensing("001", "S1", "F1", "P1", "2022-01-03", 4, "75.14", BUPRENORPHINE),
                dispensing("001", "S1", "F2", "P2", "2022-01-10", 4, "75.14", BUPRENORPHINE),
                dispensing("001", "S1", "F3", "P1", "2022-01-17", 4, "75.14", BUPRENORPHINE),
                late, late.negated(), late);
        // S2, the cancer patient: 4 oncologists, 2 pharmacies, overlapping, but no drug of abuse interest
        for (int i = 0; i < 4; i++) {
            add(dispensing("001", "S2", "F" + (1 + i % 2), "O" + i, "2022-02-0" + (1 + i), 4, "610.00", "L01XE01"));
        }
        // S3: two prescribers overlapping (8 boxes) but 2 pharmacies only: below the rule
        add(dispensing("001", "S3", "F1", "P1", "2022-01-05", 4, "75.14", BUPRENORPHINE),
                dispensing("001", "S3", "F2", "P2", "2022-01-12", 4, "75.14", BUPRENORPHINE));
        // S4: one prescriber, one pharmacy: 0
        add(dispensing("001", "S4", "F1", "P1", "2022-01-05", 4, "75.14", "N05CF02"));
    }

    @Test
    void doctorShoppingCountsBoxesObtainedThroughOverlappingPrescriptions() {
        List<Row> rows = leads("DOCTOR_SHOPPING", "001");
        assertEquals("S1", ids(rows), "the cancer patient (S2) and the two-pharmacy case (S3) are not leads");
        // peers: S1 12, S3 8, S4 0 -> median 8; threshold 1 box; score 12; at stake 3 x 75.14
        assertLead(rows.get(0), "BENEFICIAIRE", "S1", "12", 3, "8", "1", "12", "225.42");
        assertEquals(LocalDate.of(2022, 1, 1), v(rows.get(0), "period_start"));
        assertEquals(LocalDate.of(2022, 12, 31), v(rows.get(0), "period_end"));
        assertEquals("Bénéficiaire : 12 boîtes de médicaments à risque d'abus (N07BC01) obtenues en 2022 par des prescriptions "
                + "qui se chevauchent, de 2 prescripteurs et 3 pharmacies, contre 8 en médiane pour 3 bénéficiaires de ces "
                + "médicaments de la caisse (seuil : 2 prescripteurs et 3 pharmacies)", v(rows.get(0), "motif"));
    }

    // ---- SAME_RX_MULTI_PHARMACY, fund 002 -------------------------------------------------

    private static void sameRx() {
        // R1: prescription (G1, 02-01, drug X) at F1 and F2; prescription (G1, 05-10, drug Y) at F1, F2, F3
        add(c("002", "R1", "F1", "2022-02-01", 3313).prescribedBy("G1", 1, "2022-02-01").drug("3400000000011", "C10AA05").amount("10.00"),
                c("002", "R1", "F2", "2022-02-03", 3313).prescribedBy("G1", 1, "2022-02-01").drug("3400000000011", "C10AA05").amount("10.00"),
                c("002", "R1", "F1", "2022-05-10", 3313).prescribedBy("G1", 1, "2022-05-10").drug("3400000000022", "A02BC01").amount("5.00"),
                c("002", "R1", "F2", "2022-05-11", 3313).prescribedBy("G1", 1, "2022-05-10").drug("3400000000022", "A02BC01").amount("5.00"),
                c("002", "R1", "F3", "2022-05-12", 3313).prescribedBy("G1", 1, "2022-05-10").drug("3400000000022", "A02BC01").amount("5.00"));
        // R2: dispensed at F1, cancelled there (+/-), then dispensed at F2: one pharmacy in the end
        ClaimLine r2 = c("002", "R2", "F1", "2022-03-01", 3313).prescribedBy("G1", 1, "2022-03-01").drug("3400000000011", "C10AA05");
        add(r2, r2.negated(), c("002", "R2", "F2", "2022-03-02", 3313).prescribedBy("G1", 1, "2022-03-01").drug("3400000000011", "C10AA05"));
        // R3: the same prescription twice at the same pharmacy (a renewal)
        add(c("002", "R3", "F1", "2022-03-01", 3313).prescribedBy("G1", 1, "2022-03-01").drug("3400000000011", "C10AA05"),
                c("002", "R3", "F1", "2022-04-01", 3313).prescribedBy("G1", 1, "2022-03-01").drug("3400000000011", "C10AA05"));
    }

    @Test
    void sameRxMultiPharmacyCountsPrescriptionsDispensedByTwoPharmaciesNetOfRegularisations() {
        List<Row> rows = leads("SAME_RX_MULTI_PHARMACY", "002");
        assertEquals("R1", ids(rows));
        // peers R1 2, R2 0, R3 0 -> median 0; at stake: all but the first pharmacy: 10 + 5 + 5
        assertLead(rows.get(0), "BENEFICIAIRE", "R1", "2", 3, "0", "1", "2", "20.00");
        assertTrue(((String) v(rows.get(0), "motif")).contains("jusqu'à 3 pharmacies pour la même ordonnance ; pharmacies concernées : F1, F2, F3)"));
    }

    // ---- IJ_PRESCRIBER_OUTLIER, fund 003 --------------------------------------------------

    private static void visit(String org, String doctor, String patient, int born) {
        add(c(org, patient, doctor, "2022-02-15", 1110).executant(1, 1).born(born).amount("17.50"));
    }

    private static void ijPrescriber() {
        // every doctor sees two patients aged 16-64; D2 also sees a 70-year-old (not counted)
        for (String d : List.of("D1", "D2", "D3", "D4", "D5")) {
            visit("003", d, d + "a", 1980);
            visit("003", d, d + "b", 1985);
        }
        visit("003", "D2", "D2old", 1952);
        // D6, the large practice: 4 working-age patients, 10 days of leave
        for (int i = 0; i < 4; i++) {
            visit("003", "D6", "D6p" + i, 1975);
        }
        // IJ paid on D1's notice N1: 30 days, 1,200.00
        add(c("003", "A1", "000000000", "2022-01-10", 6111).until("2022-02-08").paid("2022-02-20").qty("30").amount("1200.00"));
        // IJ paid in April 2021 on no notice of the fixture: not part of any 2022 figure
        add(c("003", "Z1", "000000000", "2021-04-12", 6111).until("2021-04-21").paid("2021-04-26").qty("10").amount("400.00"));
    }

    @Test
    void ijPrescriberOutlierComparesDaysPerWorkingAgePatientWithTheSpecialty() {
        List<Row> rows = leads("IJ_PRESCRIBER_OUTLIER", "003");
        assertEquals("D1", ids(rows), "the large practice (D6) is not a lead");
        // days per patient: D1 60/2 = 30, D2 4/2 = 2 (the 70-year-old not counted), D3 3, D4 4, D5 0, D6 10/4 = 2.5
        // sorted 0 2 2.5 3 4 30: median 2.75; 90th percentile at rank 4.5: 4 + 0.5 x 26 = 17
        // threshold max(2 x 2.75, 17) = 17; score 30 / 17; at stake 1,200 x (30 - 2.75) / 30
        assertLead(rows.get(0), "PRESCRIPTEUR", "D1", "30", 6, "2.75", "17", "1.765", "1090.00");
        assertEquals("Médecin généraliste : 30,0 jours d'arrêt de travail prescrits par patient de 16 à 64 ans en 2022 "
                + "(60 jours, 2 arrêts, 2 patients), contre 2,8 en médiane pour 6 médecins généralistes de la caisse "
                + "(seuil : 2,0 fois la médiane et 90e centile, 17,0)", v(rows.get(0), "motif"));
    }

    // ---- IJ_OVERLAP, fund 004 -------------------------------------------------------------

    private static ClaimLine ij(String ben, String from, String to, int days, String amount) {
        return c("004", ben, "000000000", from, 6111).until(to).qty(String.valueOf(days)).amount(amount);
    }

    private static void ijOverlap() {
        // O1: 01-01..01-14 paid twice (14 days at 40.00), and 01-10..01-20 shares 5 days with it
        add(ij("O1", "2022-01-01", "2022-01-14", 14, "560.00"),
                ij("O1", "2022-01-01", "2022-01-14", 14, "560.00").paid("2022-03-01"),
                ij("O1", "2022-01-10", "2022-01-20", 11, "440.00"));
        // O2: paid, regularised (+/-) and paid again: once in the end
        ClaimLine o2 = ij("O2", "2022-02-01", "2022-02-14", 14, "560.00");
        add(o2, o2.negated(), o2);
        // O3: consecutive fortnights
        add(ij("O3", "2022-03-01", "2022-03-14", 14, "560.00"), ij("O3", "2022-03-15", "2022-03-28", 14, "560.00"));
    }

    @Test
    void ijOverlapFindsDaysPaidTwiceButNotRegularisations() {
        List<Row> rows = leads("IJ_OVERLAP", "004");
        assertEquals("O1", ids(rows));
        // 14 days repeated + 5 shared = 19 days, at 40.00 a day; peers O1 19, O2 0, O3 0
        assertLead(rows.get(0), "BENEFICIAIRE", "O1", "19", 3, "0", "1", "19", "760.00");
    }

    // ---- NURSE_CAPACITY, fund 005 ---------------------------------------------------------

    private static ClaimLine ais(String org, String nurse, String ben, String day, String qty, String amount) {
        return c(org, ben, nurse, day, 3112).executant(null, 24).coef("3").qty(qty).amount(amount);
    }

    /** A year's AMI in one line (AMI are not AIS: no heavy day). */
    private static ClaimLine ami(String nurse, String ben, String coef, String qty, String amount) {
        return c("005", ben, nurse, "2022-02-01", 3111).executant(null, 24).coef(coef).qty(qty).amount(amount);
    }

    private static void nurses() {
        // N1: 6,500 AMI 3 = 19,500 coefficients, plus one day of 5 AIS 3 for patient H -> 19,515
        add(ami("N1", "X1", "3", "6500", "1000.00"));
        for (int i = 0; i < 5; i++) {
            add(ais("005", "N1", "H", "2022-03-01", "1", "10.00"));
        }
        // N2, the rural nurse: 4,000 AMI 3 + 1,000 AMI 1 = 13,000 (long days, normal coefficients)
        add(ami("N2", "X2", "3", "4000", "600.00"), ami("N2", "X2", "1", "1000", "300.00"));
        // N3: 9,000 + two days of 5 AIS 3 for one patient (30) = 9,030: raised by the heavy days
        add(ami("N3", "X3", "3", "3000", "500.00"));
        for (String day : List.of("2022-04-01", "2022-04-02")) {
            for (int i = 0; i < 5; i++) {
                add(ais("005", "N3", "K", day, "1", "8.00"));
            }
        }
        // N4: 6,000
        add(ami("N4", "X4", "3", "2000", "300.00"));
    }

    @Test
    void nurseCapacityUsesTheConventionsAlertLevelAndHeavyDays() {
        List<Row> rows = leads("NURSE_CAPACITY", "005");
        assertEquals("N1,N3", ids(rows.stream().sorted((a, b) -> ((String) v(a, "entity_id")).compareTo((String) v(b, "entity_id"))).toList()),
                "the rural nurse N2 (13,000) is not a lead");
        Row n1 = rows.stream().filter(r -> v(r, "entity_id").equals("N1")).findFirst().orElseThrow();
        Row n3 = rows.stream().filter(r -> v(r, "entity_id").equals("N3")).findFirst().orElseThrow();
        // peers 19,515 13,000 9,030 6,000: median (9,030 + 13,000) / 2 = 11,015
        // N1: score 19,515 / 18,000 = 1.084; at stake 1,050 x 1,515 / 19,515 = 81.514
        // N3: score max(9,030 / 18,000, 2 heavy days / 2) = 1 -> ranked after N1; at stake the heavy days' 80.00
        assertLead(n1, "PROFESSIONNEL", "N1", "19515", 4, "11015", "18000", "1.084", "81.51");
        assertEquals(2, v(n3, "rank"));
        eq("1", v(n3, "score"));
        eq("80.00", v(n3, "amount_at_stake"));
        assertEquals("Infirmier : 19\u202F515 coefficients AMI/AIS facturés en 2022, contre 11\u202F015 en médiane pour 4 infirmiers "
                + "de la caisse (seuil conventionnel 18\u202F000, dépassement à 23\u202F000) ; au-delà du seuil d'alerte ; "
                + "1 jour avec plus de 4 AIS 3 pour un même patient (jusqu'à 5)", v(n1, "motif"));
    }

    // ---- IMPOSSIBLE_DAY, fund 006 ---------------------------------------------------------

    private static ClaimLine session(String physio, String day, int sessions, String amount) {
        return c("006", "Q" + physio, physio, day, 3122).executant(null, 26).coef("7.5").qty(String.valueOf(sessions)).amount(amount);
    }

    private static void impossibleDay() {
        // K1: 30 sessions of 30 minutes on 04-04 (15 h) and 10 on 04-05; K2 20 (10 h); K3 16 (8 h)
        add(session("K1", "2022-04-04", 30, "300.00"), session("K1", "2022-04-05", 10, "100.00"),
                session("K2", "2022-04-04", 20, "200.00"), session("K3", "2022-04-04", 16, "160.00"));
        // K4, the rural nurse: 26 AIS 3 (13 h) in one day: long, but possible
        add(ais("006", "K4", "Z", "2022-04-04", "26", "206.70"));
    }

    @Test
    void impossibleDaySumsTheTypicalMinutesOfADaysActs() {
        List<Row> rows = leads("IMPOSSIBLE_DAY", "006");
        assertEquals("K1", ids(rows), "13 h of nursing (K4) is not a lead");
        // heaviest days: K1 15 h, K2 10 h, K3 8 h (physiotherapists, no specialty code) -> median 10; threshold 14 h
        assertLead(rows.get(0), "PROFESSIONNEL", "K1", "15", 3, "10", "14", "1.071", "300.00");
        assertEquals("Masseur-kinésithérapeute : 1 journée de plus de 14 h d'actes facturés en 2022 (jusqu'à 15,0 h en un jour), "
                + "contre 10,0 h en médiane pour la journée la plus chargée de 3 masseurs-kinésithérapeutes de la caisse "
                + "(durées types des actes ; seuil 14 h par jour)", v(rows.get(0), "motif"));
    }

    // ---- TAXI_TRIPS_PER_DAY, fund 007 -----------------------------------------------------

    private static ClaimLine trips(String taxi, String day, int n, String amount) {
        return c("007", "T" + taxi, taxi, day, 4214).executant(null, 56).qty(String.valueOf(n)).amount(amount);
    }

    private static void taxis() {
        // T1: 12 trips a day on 3 days; T2 1 and 1; T3 1; T4 2; T5 1 and 2; T6 1
        add(trips("T1", "2022-05-02", 12, "480.00"), trips("T1", "2022-05-03", 12, "480.00"), trips("T1", "2022-05-04", 12, "480.00"),
                trips("T2", "2022-05-02", 1, "40.00"), trips("T2", "2022-05-03", 1, "40.00"), trips("T3", "2022-05-02", 1, "40.00"),
                trips("T4", "2022-05-02", 2, "80.00"), trips("T5", "2022-05-02", 1, "40.00"), trips("T5", "2022-05-03", 2, "80.00"),
                trips("T6", "2022-05-02", 1, "40.00"));
        // an ambulance alone in its activity: 5 trips a day, but no peers to compare with
        add(c("007", "AMB", "A1", "2022-05-02", 4212).executant(null, 55).qty("5").amount("500.00"));
    }

    @Test
    void taxiTripsPerDayUsesTheRobustZScoreAgainstPeers() {
        List<Row> rows = leads("TAXI_TRIPS_PER_DAY", "007");
        assertEquals("T1", ids(rows), "the ambulance has no peers: no lead");
        // values 12 1 1 2 1.5 1: median 1.25; deviations .25 .25 .25 .25 .75 10.75 -> MAD .25, scale .37065
        // z = 10.75 / .37065 = 29; value at z 3.5: 1.25 + 3.5 x .37065 = 2.55 < the 4-trip floor -> threshold 4
        // score 12 / 4 = 3; at stake 1,440 x (12 - 1.25) / 12 = 1,290
        assertLead(rows.get(0), "PROFESSIONNEL", "T1", "12", 6, "1.25", "4", "3", "1290.00");
        assertTrue(((String) v(rows.get(0), "motif")).startsWith("Taxi : 12,0 trajets par jour travaillé en 2022 (36 trajets en 3 jours"));
        assertTrue(((String) v(rows.get(0), "motif")).contains("score z robuste 29,0"));
    }

    // ---- CARE_AFTER_DEATH, fund 008 -------------------------------------------------------

    private static void afterDeath() {
        // DEAD1 died 05-10: nurse W1 bills 3 AMI on 05-12, 05-14, 05-16; the GP's visit of 05-08 is before
        for (String day : List.of("2022-05-12", "2022-05-14", "2022-05-16")) {
            add(c("008", "DEAD1", "W1", day, 3111).executant(null, 24).coef("2").amount("3.78"));
        }
        add(c("008", "DEAD1", "G8", "2022-05-08", 1210).executant(1, 1).amount("24.50"));
        // DEAD2 died 06-01: a visit on 05-30 paid on 06-10, after the death (a normal late payment)
        add(c("008", "DEAD2", "G8", "2022-05-30", 1210).executant(1, 1).paid("2022-06-10").amount("24.50"));
        add(c("008", "ALIVE", "G8", "2022-05-30", 1110).executant(1, 1).amount("17.50"));
    }

    @Test
    void careAfterDeathUsesTheCareDateNotThePaymentDate() {
        List<Row> rows = leads("CARE_AFTER_DEATH", "008");
        assertEquals("DEAD1,W1", ids(rows), "the visit paid after DEAD2's death is not a lead");
        // deceased with claims: DEAD1 3, DEAD2 0 -> median 1.5; professionals who treated them: W1 3, G8 0
        assertLead(rows.get(0), "BENEFICIAIRE", "DEAD1", "3", 2, "1.5", "1", "3", "11.34");
        assertLead(rows.get(1), "PROFESSIONNEL", "W1", "3", 2, "1.5", "1", "3", "11.34");
        assertEquals(LocalDate.of(2022, 5, 12), v(rows.get(0), "period_start"));
        assertEquals(LocalDate.of(2022, 5, 16), v(rows.get(0), "period_end"));
        assertEquals("Infirmier : 3 actes facturés pour 1 patient après la date de leur décès, du 12/05/2022 au 16/05/2022 "
                + "(11\u202F€), contre 2 en médiane pour 2 professionnels ayant soigné un bénéficiaire décédé de la caisse",
                v(rows.get(1), "motif"));
    }

    // ---- CARE_DURING_HOSPITAL_STAY, fund 009 ----------------------------------------------

    private static void duringStay() {
        // H1 is in hospital 07-01..07-10: nurse W2 bills 07-01 (entry day), 07-02..07-06 (inside) and 07-10 (exit day)
        for (int d = 1; d <= 6; d++) {
            add(ais("009", "W2", "H1", "2022-07-0" + d, "1", "7.95"));
        }
        add(ais("009", "W2", "H1", "2022-07-10", "1", "7.95"));
        // the ambulance that takes H1 in: transport is not checked
        add(c("009", "H1", "AMB9", "2022-07-01", 4212).executant(null, 55).amount("120.00"));
        // W3: another patient, and H1 after the exit; K9: one physiotherapy session inside the stay
        for (int d = 1; d <= 5; d++) {
            add(ais("009", "W3", "H2", "2022-07-0" + d, "1", "7.95"));
        }
        add(ais("009", "W3", "H1", "2022-07-12", "1", "7.95"));
        add(c("009", "H1", "K9", "2022-07-05", 3122).executant(null, 26).coef("7.5").amount("9.68"));
    }

    @Test
    void careDuringHospitalStayCountsVilleCareStrictlyInsideTheStay() {
        List<Row> rows = leads("CARE_DURING_HOSPITAL_STAY", "009");
        // W2: 5 acts inside (07-02..07-06); peers W2 5, W3 0, K9 1 -> median 1; the establishment: 6 acts, alone
        assertEquals("920000001,W2", ids(rows));
        assertLead(rows.get(0), "ETABLISSEMENT", "920000001", "6", 1, "6", "3", "2", "49.43");
        assertLead(rows.get(1), "PROFESSIONNEL", "W2", "5", 3, "1", "3", "1.667", "39.75");
        assertTrue(((String) v(rows.get(1), "motif")).startsWith("Infirmier : 5 actes facturés en 2022 pendant une hospitalisation "
                + "du patient (1 patient, 5 jours, établissement 920000001"));
    }

    @Test
    void aStayIsTheFundsInItsEntryYearWhenItsPatientHadCareWithTheFundThatYear() {
        shared = false;
        String[] duringStay = {"CARE_DURING_HOSPITAL_STAY"};
        // G1's only nursing care with fund 011 is of 2020; H1's is inside its 2022 stay at E1
        write("claims/claims.csv", Fixtures.CLAIMS_HEADER, ais("011", "W5", "G1", "2020-06-02", "1", "7.95").toString(),
                ais("011", "W5", "H1", "2022-07-02", "1", "7.95").toString(), ais("011", "W5", "H1", "2022-07-03", "1", "7.95").toString(),
                ais("011", "W5", "H1", "2022-07-04", "1", "7.95").toString());
        write("reference/hospital_stays/stays.csv", "ETA_NUM;BEN_NIR_PSA;BEN_RNG_GEM;SEJ_ENT_DTE;SEJ_SOR_DTE",
                "920000011;H1;1;2022-07-01;2022-07-10", "920000022;G1;1;2022-03-01;2022-03-05");
        ingest();
        FraudSignals.builder(warehouse()).config(fraudConfig()).run(new RunContext("compute")).signals(List.of(duringStay)).build().execute();
        // E1's 3 acts: its peers are the stays of 2022 of patients with care with the fund in 2022,
        // E1's alone (G1's stay at E2 is not the fund's in 2022: G1's care with it is of 2020)
        Row e1 = sql("SELECT * FROM fraud_signals WHERE entity_type = 'ETABLISSEMENT'").get(0);
        assertEquals("920000011", v(e1, "entity_id"));
        assertEquals(1L, ((Number) v(e1, "peer_size")).longValue());
        List<String> full = sql("SELECT * EXCEPT (run_id) FROM fraud_signals ORDER BY ALL").stream().map(Row::toString).toList();
        // a night with a new month of 2022 reads 2022's lines alone, and gives the same leads
        write("claims/2022-12.csv", Fixtures.CLAIMS_HEADER, c("011", "Z1", "D9", "2022-12-01", 1110).amount("25.00").toString());
        List<YearMonth> changed = ingest().changedMonths().stream().map(YearMonth::parse).toList();
        assertEquals(List.of(YearMonth.of(2022, 12)), changed);
        FraudSignals.builder(warehouse()).config(fraudConfig()).run(new RunContext("nightly")).signals(List.of(duringStay))
                .changedMonths(changed).build().execute();
        assertEquals(full, sql("SELECT * EXCEPT (run_id) FROM fraud_signals ORDER BY ALL").stream().map(Row::toString).toList());
    }

    // ---- OFF_LABEL_COVID, fund 010 --------------------------------------------------------

    private static void rx(String ben, String prescriber, String day, String atc, String amount) {
        add(c("010", ben, "PH10", day, 3313).executant(null, 50).prescribedBy(prescriber, 1, day).drug("3400930101021", atc).amount(amount));
    }

    private static void offLabel() {
        // G10: ivermectin + azithromycin for 3 patients (the same day, or 2 days apart)
        for (int i = 0; i < 3; i++) {
            rx("V" + i, "G10", "2021-04-0" + (i + 1), "P02CF01", "12.03");
            rx("V" + i, "G10", "2021-04-0" + (i + 3), "J01FA10", "6.37");
        }
        // G11: ivermectin and hydroxychloroquine 20 days apart: not a co-prescription
        rx("V5", "G11", "2021-04-01", "P02CF01", "12.03");
        rx("V5", "G11", "2021-04-21", "P01BA02", "3.32");
        // G12: 2 patients, below the 3-patient threshold
        for (int i = 6; i < 8; i++) {
            rx("V" + i, "G12", "2021-05-03", "P02CF01", "12.03");
            rx("V" + i, "G12", "2021-05-03", "P01BA02", "3.32");
        }
    }

    @Test
    void offLabelCovidCountsPatientsCoPrescribedIvermectin() {
        List<Row> rows = leads("OFF_LABEL_COVID", "010");
        assertEquals("G10", ids(rows));
        // general practitioners prescribing in 2021: G10 3, G11 0, G12 2 -> median 2; at stake 3 x (12.03 + 6.37)
        assertLead(rows.get(0), "PRESCRIPTEUR", "G10", "3", 3, "2", "3", "1", "55.20");
        assertEquals("Médecin généraliste prescripteur : ivermectine co-prescrite avec azithromycine pour 3 patients en 2021 "
                + "(55\u202F€ délivrés), hors indications de l'AMM, contre 2 en médiane pour 3 prescripteurs de la même spécialité "
                + "de la caisse (seuil : 3 patients)", v(rows.get(0), "motif"));
        assertEquals(LocalDate.of(2021, 1, 1), v(rows.get(0), "period_start"));
    }

    // ---- PEER_OUTLIER, fund 011 -----------------------------------------------------------

    private static void consults(String doctor, int patients, int each) {
        for (int p = 0; p < patients; p++) {
            for (int k = 0; k < each; k++) {
                add(c("011", doctor + "p" + p, doctor, LocalDate.of(2022, 1, 3).plusDays(k * 7L).toString(), 1110)
                        .executant(1, 1).amount("17.50"));
            }
        }
    }

    private static void peerOutlier() {
        consults("E1", 2, 10);   // 10 acts per patient
        consults("E2", 2, 2);
        consults("E3", 2, 2);
        consults("E4", 2, 3);    // 3
        consults("E5", 2, 2);
        consults("E6", 6, 1);    // the large practice: 1
    }

    @Test
    void peerOutlierUsesRobustZScoresWithinSpecialtyAndFund() {
        List<Row> rows = leads("PEER_OUTLIER", "011");
        assertEquals("E1", ids(rows));
        // acts per patient 10 2 2 3 2 1: median 2; deviations 8 0 0 1 0 1 -> MAD .5, scale .7413
        // z = 8 / .7413 = 10.79 (amount per patient gives the same); 99th percentile 3 + .95 x 7 = 9.65;
        // value at z 3.5: 2 + 3.5 x .7413 = 4.59 -> threshold 4.59; score 10.79 / 3.5 = 3.083
        // at stake 350 x (10 - 2) / 10 = 280
        assertLead(rows.get(0), "PROFESSIONNEL", "E1", "10", 6, "2", "4.59", "3.083", "280.00");
    }

    // ---- the whole run --------------------------------------------------------------------

    @Test
    void everySignalRanAndTheTargetsCombineThem() {
        assertEquals(FraudSignals.ALL.size(), result.leadsBySignal().size(), "every signal has its inputs here");
        assertEquals(result.rows(), count("SELECT count(*) FROM fraud_signals"));
        assertEquals(0, count("SELECT count(*) FROM fraud_signals WHERE review_status <> 'A_REVOIR' OR motif IS NULL"));
        // ranks are 1..n within signal, fund and entity type
        assertEquals(0, count("SELECT count(*) FROM (SELECT signal, org, entity_type, max(rank) AS m, count(*) AS n "
                + "FROM fraud_signals GROUP BY 1, 2, 3) WHERE m <> n"));
        // W1 (after death) has one signal; its combined score is its position in that list: 1
        List<Row> w1 = sql("SELECT signals, signal_count, combined_score, review_status FROM fraud_targets WHERE entity_id = 'W1'");
        assertEquals(1, w1.size());
        assertEquals(1L, w1.get(0).get(1));
        eq("1", w1.get(0).get(2));
        assertEquals(result.targets(), count("SELECT count(DISTINCT org, entity_type, entity_id) FROM fraud_signals"));
    }

    @Test
    void signalsComputedTwoAtATimeGiveTheLeadsOfOneAtATimeAndAFailureIsThrownAsItself() {
        // the shared run computed one signal at a time (the default); here two at a time, same lines
        assertEquals(1, fraudConfig().getInt("fraud.parallelism"));
        shared = false;
        writeFixture();
        ingest();
        RunContext run = new RunContext("compute");
        JobConfig twoAtATime = fraudConfig().with("fraud.parallelism", 2);
        FraudSignals.Result two = FraudSignals.builder(warehouse()).config(twoAtATime).run(run).build().execute();
        // the same leads per signal, in the signals' order, and the same rows in both tables
        assertEquals(List.copyOf(result.leadsBySignal().entrySet()), List.copyOf(two.leadsBySignal().entrySet()));
        assertTrue(two.rows() > 0);
        for (String table : List.of(FraudSignals.SIGNALS, FraudSignals.TARGETS)) {
            Dataset<Row> a = spark().read().format("delta").load(wh.path(table)).drop("run_id");
            Dataset<Row> b = spark().read().format("delta").load(warehouse().path(table)).drop("run_id");
            assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count(), table);
        }
        // the run's stages: the signals as a whole, and each signal's own
        assertTrue(run.stageSeconds().containsKey(FraudSignals.STAGE));
        assertTrue(run.stageSeconds().containsKey("fraud: SAME_RX_MULTI_PHARMACY"));
        // a signal failing on another thread: its own exception reaches the caller, nothing is published
        long published = warehouse().lastCommit(FraudSignals.SIGNALS).version();
        JobConfig broken = twoAtATime.with("fraud.ij-prescriber-outlier.min-age", "seize");
        assertThrows(com.typesafe.config.ConfigException.WrongType.class,
                () -> FraudSignals.builder(warehouse()).config(broken).run(new RunContext("compute")).build().execute());
        assertEquals(published, warehouse().lastCommit(FraudSignals.SIGNALS).version());
    }

    @Test
    void evaluationGivesRanksRecallAndPrecisionAgainstLabels() throws Exception {
        Path labels = tmp.resolve("labels.csv");
        Files.writeString(labels, String.join("\n",
                "signal;entity_type;entity_id;org;kind;note",
                "DOCTOR_SHOPPING;BENEFICIAIRE;S1;001;PLANTED;found at rank 1",
                "DOCTOR_SHOPPING;BENEFICIAIRE;S3;001;PLANTED;below the pharmacy rule: missed",
                "DOCTOR_SHOPPING;BENEFICIAIRE;S2;001;LOOKALIKE;cancer patient",
                "NURSE_CAPACITY;PROFESSIONNEL;N3;005;PLANTED;rank 2",
                "NURSE_CAPACITY;PROFESSIONNEL;N1;005;LOOKALIKE;pretend N1 were a look-alike: rank 1",
                "") + "\n");
        Evaluation.Report report = Evaluation.of(wh, labels.toString(), 3);
        Evaluation.Line shopping = report.line("DOCTOR_SHOPPING", "BENEFICIAIRE");
        assertEquals(2, shopping.planted());
        assertEquals(1, shopping.found());
        assertEquals(1, shopping.inTop3());
        assertEquals("1 -", shopping.ranks());
        assertEquals(0.5, shopping.recall());
        assertEquals(1.0, shopping.precisionAtK(), "S1 is the only lead of fund 001, and it is planted");
        assertEquals(1, shopping.lookalikes());
        assertEquals(0, shopping.lookalikesInTop10());
        assertFalse(shopping.met(), "S3 is missed");
        Evaluation.Line nurses = report.line("NURSE_CAPACITY", "PROFESSIONNEL");
        assertEquals("2", nurses.ranks());
        assertEquals(1, nurses.lookalikesInTop10());
        assertEquals(0.5, nurses.precisionAtK(), "top 3 of fund 005: N1 and N3, one of them planted");
        // a signal with leads but no label: counted, without precision
        Evaluation.Line taxis = report.line("TAXI_TRIPS_PER_DAY", "PROFESSIONNEL");
        assertEquals(0, taxis.planted());
        assertEquals(1, taxis.leads());
        assertFalse(report.targetsMet());
        assertTrue(report.table().contains("DOCTOR_SHOPPING            BENEFICIAIRE         2     1     1 1 -"), report.table());
    }

    @Test
    void sameRxShufflesTheLinesOnceByBeneficiary() {
        // every step after the first shuffle is keyed by (org, year, ben_id) or more, so no exchange
        // partitions by dispensing or prescription keys (two shuffles of nearly every line before)
        String plan = new SameRxMultiPharmacy().leads(new FraudInputs(wh), fraudConfig()).queryExecution().executedPlan().toString();
        List<String> keys = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Exchange hashpartitioning\\(([^)]*)\\)").matcher(plan);
        while (m.find()) {
            keys.add(m.group(1).replaceAll("#\\d+", ""));
        }
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("org, year, ben_id,")), plan);
        assertTrue(keys.stream().noneMatch(k -> k.contains("cip13") || k.contains("rx_date") || k.contains("pre,")), String.join("\n", keys));
    }

    @Test
    void aCareYearWindowSkipsTheMonthFilesHoldingNoCareOfThoseYears() {
        // OFF_LABEL_COVID's care is of April and May 2021 (paid in those months), every other line of 2022
        assertReadsTheFilesOf2022Only(new FraudInputs(wh).careYears(Set.of(2022)), 12, "EXE_SOI_DTD");
    }

    @Test
    void aPrescriptionYearWindowSkipsTheMonthFilesHoldingNoPrescriptionOfThoseYears() {
        // the lines prescribed in 2021 (OFF_LABEL_COVID's, paid in April and May 2021) and 2022
        assertReadsTheFilesOf2022Only(new FraudInputs(wh).prescriptionYears(Set.of(2022)), 11, "PRE_PRE_DTD");
    }

    /**
     * The window's claims are the fixture's lines dated 2022 in this field (column), and its scan
     * opens only the month files holding such a date (Delta's statistics on the column), fewer
     * than every month.
     */
    private static void assertReadsTheFilesOf2022Only(FraudInputs window, int field, String column) {
        long expected = claims.stream().skip(1).filter(l -> l.split(";")[field].startsWith("2022")).count();
        Dataset<Row> all = wh.read("claims");
        long files = all.select(input_file_name()).distinct().count();
        long files2022 = all.filter(year(col(column)).equalTo(2022)).select(input_file_name()).distinct().count();
        assertTrue(files2022 < files, files2022 + " of " + files);

        Dataset<Row> counted = window.claims().agg(functions.count(lit(1)));
        assertEquals(expected, counted.collectAsList().get(0).getLong(0));
        assertEquals(files2022, filesRead(counted.queryExecution().executedPlan()));
    }

    @Test
    void aNightRecomputesTheLeadsOfThePrescriptionYearsItsLinesBelongTo() {
        shared = false;
        String[] sameRx = {"SAME_RX_MULTI_PHARMACY"};
        // Q1's prescription of 20 December 2021 (G1, drug X), dispensed by F1 on the 22nd (paid in
        // December 2021); Q2's dispensed once in 2022
        write("claims/2021-12.csv", Fixtures.CLAIMS_HEADER,
                c("009", "Q1", "F1", "2021-12-22", 3313).prescribedBy("G1", 1, "2021-12-20").drug("3400000000011", "C10AA05")
                        .amount("10.00").toString(),
                c("009", "Q2", "F1", "2022-01-03", 3313).prescribedBy("G1", 1, "2022-01-03").drug("3400000000011", "C10AA05")
                        .amount("10.00").toString());
        ingest();
        FraudSignals.builder(warehouse()).config(fraudConfig()).run(new RunContext("compute")).signals(List.of(sameRx)).build().execute();
        assertEquals(0, count("SELECT count(*) FROM fraud_signals"));
        // the same prescription renewed by F2 on 5 January 2022 (paid in January): care of 2022,
        // prescription of 2021
        write("claims/2022-01.csv", Fixtures.CLAIMS_HEADER,
                c("009", "Q1", "F2", "2022-01-05", 3313).prescribedBy("G1", 1, "2021-12-20").drug("3400000000011", "C10AA05")
                        .amount("12.00").toString());
        List<YearMonth> changed = ingest().changedMonths().stream().map(YearMonth::parse).toList();
        assertEquals(List.of(YearMonth.of(2022, 1)), changed);
        FraudSignals.builder(warehouse()).config(fraudConfig()).run(new RunContext("nightly")).signals(List.of(sameRx))
                .changedMonths(changed).build().execute();
        // 2021's leads were recomputed: Q1, one prescription by two pharmacies, F2's 12.00 at stake
        // (the care year alone, 2022, would have kept 2021's empty list)
        List<Row> night = sql("SELECT * EXCEPT (run_id) FROM fraud_signals");
        assertEquals(1, night.size());
        assertEquals("Q1", v(night.get(0), "entity_id"));
        assertEquals(LocalDate.of(2021, 1, 1), v(night.get(0), "period_start"));
        eq("12.00", v(night.get(0), "amount_at_stake"));
        assertTrue(((String) v(night.get(0), "motif")).startsWith("Bénéficiaire : 1 prescription délivrée chacune par "
                + "plusieurs pharmacies en 2021"), (String) v(night.get(0), "motif"));
        // and the night equals a full recompute
        FraudSignals.builder(warehouse()).config(fraudConfig()).run(new RunContext("compute")).signals(List.of(sameRx)).build().execute();
        assertEquals(sql("SELECT * EXCEPT (run_id) FROM fraud_signals").toString(), night.toString());

        // January delivered again without F2's renewal (Q5 dispensed instead): no line now in
        // January is prescribed in 2021, but the one taken out was, so 2021 is recomputed again
        // (from the claims as the last computation read them) and Q1's lead goes
        write("claims/2022-01.csv", Fixtures.CLAIMS_HEADER,
                c("009", "Q5", "F1", "2022-01-07", 3313).prescribedBy("G1", 1, "2022-01-07").drug("3400000000011", "C10AA05")
                        .amount("10.00").toString());
        assertEquals(changed, ingest().changedMonths().stream().map(YearMonth::parse).toList());
        FraudSignals.builder(warehouse()).config(fraudConfig()).run(new RunContext("nightly")).signals(List.of(sameRx))
                .changedMonths(changed).build().execute();
        assertEquals(0, count("SELECT count(*) FROM fraud_signals"));
    }

    /** S-beneficiaries' dispensing in fund 010: prescription of G1 on that day, drug X. */
    private static String dispensed(String ben, String pharmacy, String prescribed, String care, String amount) {
        return c("010", ben, pharmacy, care, 3313).prescribedBy("G1", 1, prescribed).drug("3400000000011", "C10AA05")
                .amount(amount).toString();
    }

    private FraudSignals.Result sameRxOnly(List<YearMonth> changed) {
        return FraudSignals.builder(warehouse()).config(fraudConfig()).run(new RunContext(changed == null ? "compute" : "nightly"))
                .signals(List.of("SAME_RX_MULTI_PHARMACY")).changedMonths(changed).build().execute();
    }

    private List<YearMonth> ingestMonths() {
        return ingest().changedMonths().stream().map(YearMonth::parse).toList();
    }

    private String sameRxLeads() {
        return sql("SELECT entity_id, value, amount_at_stake FROM fraud_signals ORDER BY entity_id").toString();
    }

    @Test
    void aNightReAggregatesOnlyTheBeneficiariesWithLinesInTheChangedMonths() {
        shared = false;
        // January: S1's prescription dispensed by F1 then F2; S2 and S3 one pharmacy each
        write("claims/2022-01.csv", Fixtures.CLAIMS_HEADER,
                dispensed("S1", "F1", "2022-01-03", "2022-01-03", "10.00"), dispensed("S1", "F2", "2022-01-03", "2022-01-05", "11.00"),
                dispensed("S2", "F1", "2022-01-04", "2022-01-04", "10.00"), dispensed("S3", "F1", "2022-01-06", "2022-01-06", "10.00"));
        ingest();
        assertEquals(Map.of(SameRxMultiPharmacy.STATE, 3L), sameRxOnly(null).stateRows());
        String state = "SELECT ben_id, year, value, amount, max_pharmacies, pharmacy_list FROM same_rx_beneficiaries ORDER BY ben_id";
        // S1: one prescription by two pharmacies, F2's 11.00 beyond the first; S2, S3: none
        assertEquals("[[S1,2022,1,11.00,2,F1, F2], [S2,2022,0,null,null,], [S3,2022,0,null,null,]]", sql(state).toString());
        // its commit records the signal's stamp, then the claims version (the text earlier versions read)
        assertEquals("stamp=" + new SameRxMultiPharmacy().stamp(fraudConfig()) + ";claims=" + warehouse().lastCommit("claims").version(),
                io.delta.tables.DeltaTable.forPath(spark(), warehouse().path(SameRxMultiPharmacy.STATE)).history(1)
                        .select("userMetadata").first().getString(0));

        // S2's row altered in the state (same rule, same claims version): a night that does not
        // re-aggregate S2 keeps it, which shows what the night read
        alterS2InTheState();
        // February: S3's prescription dispensed again, by F3
        write("claims/2022-02.csv", Fixtures.CLAIMS_HEADER, dispensed("S3", "F3", "2022-01-06", "2022-02-02", "12.00"));
        List<YearMonth> february = ingestMonths();
        assertEquals(List.of(YearMonth.of(2022, 2)), february);
        sameRxOnly(february);
        // S3 re-aggregated (F3's 12.00 at stake), S2's altered row kept, S1's kept
        assertEquals("[[S1,1.00,11.00], [S2,7.00,null], [S3,1.00,12.00]]", sameRxLeads());
        sameRxOnly(null);
        assertEquals("[[S1,1.00,11.00], [S3,1.00,12.00]]", sameRxLeads());

        // February delivered again: F3's line for S3 gone, S4 dispensed once instead. S3's lines
        // now in February are none: the night finds S3 in February as the state's claims version held it
        alterS2InTheState();
        write("claims/2022-02.csv", Fixtures.CLAIMS_HEADER, dispensed("S4", "F1", "2022-02-01", "2022-02-01", "10.00"));
        assertEquals(february, ingestMonths());
        // the state's rows written: 2022's, S1 to S4, S2's altered row kept again
        assertEquals(Map.of(SameRxMultiPharmacy.STATE, 4L), sameRxOnly(february).stateRows());
        assertEquals("[[S1,1.00,11.00], [S2,7.00,null]]", sameRxLeads());
        assertEquals("[[S1,2022,1,11.00,2,F1, F2], [S2,2022,7,null,null,], [S3,2022,0,null,null,], [S4,2022,0,null,null,]]",
                sql(state).toString());
        // a whole run: S3's lead gone, S2's row computed again
        sameRxOnly(null);
        assertEquals("[[S1,1.00,11.00]]", sameRxLeads());
    }

    /** Sets S2's value to 7 in the stored state, keeping its stamp and claims version. */
    private void alterS2InTheState() {
        SignalState stored = new SignalState(warehouse(), SameRxMultiPharmacy.STATE, new SameRxMultiPharmacy().stamp(fraudConfig()));
        long version = stored.claimsVersion().orElseThrow();
        stored.replaceYears(stored.stored().withColumn("value", when(col("ben_id").equalTo("S2"), lit(7L)).otherwise(col("value")))
                .localCheckpoint(), Set.of(2022), version);
    }

    private FraudSignals.Result afterDeathOnly(List<YearMonth> changed) {
        return FraudSignals.builder(warehouse()).config(fraudConfig()).run(new RunContext(changed == null ? "compute" : "nightly"))
                .signals(List.of("CARE_AFTER_DEATH")).changedMonths(changed).build().execute();
    }

    private String afterDeathLeads() {
        return sql("SELECT entity_type, entity_id, value, amount_at_stake, period_start, period_end FROM fraud_signals "
                + "ORDER BY entity_type, entity_id").toString();
    }

    private static final String DEATHS_HEADER = "BEN_NIR_PSA;BEN_RNG_GEM;BEN_NAI_ANN;BEN_SEX_COD;BEN_RES_DPT;BEN_DCD_DTE";

    /** Nurse W1's act for E1 on that day, paid on another (fund 011). */
    private static ClaimLine nursed(String ben, String care, String paid) {
        return c("011", ben, "W1", care, 3111).executant(null, 24).paid(paid).amount("3.78");
    }

    @Test
    void careAfterDeathKeepsItsCareByPaymentMonthAndANightReplacesTheChangedMonthsOnly() {
        shared = false;
        // E1 died on 10 March 2022, E2 on 20 March; the GP saw E2 on the 18th, before
        write("reference/beneficiaries/deaths.csv", DEATHS_HEADER, "E1;1;1930;1;011;2022-03-10", "E2;1;1931;2;011;2022-03-20",
                "E3;1;1950;2;011;");
        write("claims/2022-03.csv", Fixtures.CLAIMS_HEADER, nursed("E1", "2022-03-12", "2022-03-20").toString(),
                c("011", "E2", "G1", "2022-03-18", 1110).executant(1, 1).paid("2022-03-25").amount("17.50").toString(),
                c("011", "E3", "G1", "2022-03-18", 1110).executant(1, 1).paid("2022-03-25").amount("17.50").toString());
        ingest();
        assertEquals(Map.of(CareAfterDeath.STATE, 2L), afterDeathOnly(null).stateRows());
        // the deceased's care only (E3 is alive), summed by payment month
        String state = "SELECT pay_month, ben_id, exe, care_date, acts, amount FROM care_after_death_months ORDER BY pay_month, ben_id, care_date";
        assertEquals("[[2022-03,E1,W1,2022-03-12,1.000,3.78], [2022-03,E2,G1,2022-03-18,1.000,17.50]]", sql(state).toString());
        assertEquals("[[BENEFICIAIRE,E1,1.00,3.78,2022-03-12,2022-03-12], [PROFESSIONNEL,W1,1.00,3.78,2022-03-12,2022-03-12]]",
                afterDeathLeads());
        // the state's commit: the signal's stamp with the beneficiaries' version, then the claims version
        assertEquals("stamp=" + new CareAfterDeath().stamp(fraudConfig()) + "/beneficiaries@" + warehouse().lastCommit("beneficiaries").version()
                        + ";claims=" + warehouse().lastCommit("claims").version(),
                io.delta.tables.DeltaTable.forPath(spark(), warehouse().path(CareAfterDeath.STATE)).history(1)
                        .select("userMetadata").first().getString(0));

        // E2's March visit moved after the death in the stored state only: a night that keeps March shows it
        moveE2sVisitInTheState();
        // April: W1 again for E1 on 2 April, and the act of 12 March cancelled (paid in April)
        write("claims/2022-04.csv", Fixtures.CLAIMS_HEADER, nursed("E1", "2022-04-02", "2022-04-05").toString(),
                nursed("E1", "2022-03-12", "2022-04-06").negated().toString());
        List<YearMonth> april = ingestMonths();
        assertEquals(List.of(YearMonth.of(2022, 4)), april);
        // April's two partial sums written, March's kept
        assertEquals(Map.of(CareAfterDeath.STATE, 2L), afterDeathOnly(april).stateRows());
        // E1: the act of 12 March is net zero across the two months, the one of 2 April stays;
        // E2 and G1 come from the altered March row
        assertEquals("[[BENEFICIAIRE,E1,1.00,3.78,2022-04-02,2022-04-02], [BENEFICIAIRE,E2,1.00,17.50,2022-03-25,2022-03-25], "
                + "[PROFESSIONNEL,G1,1.00,17.50,2022-03-25,2022-03-25], [PROFESSIONNEL,W1,1.00,3.78,2022-04-02,2022-04-02]]",
                afterDeathLeads());
        // a whole run sums every month again: E2's visit back before the death
        afterDeathOnly(null);
        String whole = afterDeathLeads();
        assertEquals("[[BENEFICIAIRE,E1,1.00,3.78,2022-04-02,2022-04-02], [PROFESSIONNEL,W1,1.00,3.78,2022-04-02,2022-04-02]]", whole);

        // a new death (E3 on 1 March) loaded with May: the stored state lacks E3's lines, so the night sums every month
        moveE2sVisitInTheState();
        write("reference/beneficiaries/deaths.csv", DEATHS_HEADER, "E1;1;1930;1;011;2022-03-10", "E2;1;1931;2;011;2022-03-20",
                "E3;1;1950;2;011;2022-03-01");
        write("claims/2022-05.csv", Fixtures.CLAIMS_HEADER, nursed("E1", "2022-05-02", "2022-05-05").toString());
        List<YearMonth> may = ingestMonths();
        assertEquals(Map.of(CareAfterDeath.STATE, 6L), afterDeathOnly(may).stateRows());
        assertEquals("[[BENEFICIAIRE,E1,2.00,7.56,2022-04-02,2022-05-02], [BENEFICIAIRE,E3,1.00,17.50,2022-03-18,2022-03-18], "
                + "[PROFESSIONNEL,G1,1.00,17.50,2022-03-18,2022-03-18], [PROFESSIONNEL,W1,2.00,7.56,2022-04-02,2022-05-02]]",
                afterDeathLeads());
    }

    /** Moves E2's visit of 18 March to the 25th (after the death) in the stored state, keeping its stamp and claims version. */
    private void moveE2sVisitInTheState() {
        CareAfterDeath signal = new CareAfterDeath();
        SignalState stored = SignalState.byPayMonth(warehouse(), CareAfterDeath.STATE,
                signal.stamp(fraudConfig()) + "/beneficiaries@" + warehouse().lastCommit("beneficiaries").version());
        long version = stored.claimsVersion().orElseThrow();
        stored.replacePayMonths(stored.stored().filter(col("pay_month").equalTo("2022-03")).withColumn("care_date", when(col("ben_id").equalTo("E2"),
                lit(LocalDate.of(2022, 3, 25))).otherwise(col("care_date"))).localCheckpoint(), List.of(YearMonth.of(2022, 3)), version);
    }

    @Test
    void ijPrescriberOutlierReadsThePaymentsOfTheJudgedYearsOnly() {
        Dataset<Row> all = wh.read("claims");
        long files2022 = all.filter(col("EXE_SOI_DTD").geq(LocalDate.of(2022, 1, 1))).select(input_file_name()).distinct().count();
        long files = all.select(input_file_name()).distinct().count();
        assertTrue(files2022 < files, files2022 + " of " + files);

        Dataset<Row> leads = new fr.cpam.analytics.fraud.signals.IjPrescriberOutlier()
                .leads(new FraudInputs(wh).careYears(Set.of(2022)), fraudConfig());
        List<Row> rows = leads.collectAsList(); // this plan: its scans' metrics are read below
        // the same lead as the whole table gives (the test above): D1, 1,200 x (30 - 2.75) / 30 at stake
        assertEquals(1, rows.size());
        assertEquals("D1", v(rows.get(0), "entity_id"));
        eq("1090.00", v(rows.get(0), "amount_at_stake"));

        // the IJ paid (the signal's one read of claims that takes line_number, to pick each
        // payment's notice once) opens only files with care of 2022 on: fewer than linking the
        // whole table, which also opens April 2021 for Z1's payment (what the signal did before)
        Dataset<Row> whole = IjPayments.link(wh, all).agg(functions.count(lit(1)));
        // the IJ lines: 2 in fund 003 (A1, Z1), 8 in fund 004 (O1 3, O2 3, O3 2)
        assertEquals(10, whole.collectAsList().get(0).getLong(0));
        long paid = filesRead(leads.queryExecution().executedPlan(), "claims", "line_number");
        assertTrue(paid <= files2022, paid + " files, " + files2022 + " with care of 2022 on");
        assertTrue(paid < filesRead(whole.queryExecution().executedPlan(), "claims", "line_number"));

        Dataset<Row> since = new FraudInputs(wh).careYears(Set.of(2022)).storedClaimsSinceFirstCareYear()
                .agg(functions.count(lit(1)));
        long expected = claims.stream().skip(1).filter(l -> l.split(";")[12].compareTo("2022") >= 0).count();
        assertEquals(expected, since.collectAsList().get(0).getLong(0));
        assertEquals(files2022, filesRead(since.queryExecution().executedPlan(), "claims", null));
    }

    @Test
    void ijPrescriberOutlierReadsThePaymentsTheIjFamilyJustLinked() {
        shared = false;
        write("claims/claims.csv", claims.toArray(new String[0]));
        write("sick_leave/notices.csv", NOTICES);
        ingest();
        RunContext run = new RunContext("compute");
        IjBreakdown.of(warehouse(), fraudConfig(), run).execute();
        // the linked table altered: N1's payment of 1,200.00 doubled, which only a read of the table sees
        spark().sql("UPDATE delta.`" + warehouse().path(IjPayments.TABLE) + "` SET amount = 2400.00 WHERE ARR_NUM = 'N1'");
        String[] signal = {"IJ_PRESCRIBER_OUTLIER"};
        // from the table: 2,400 x (30 - 2.75) / 30 at stake; the days, patients and peers as before
        FraudSignals.builder(warehouse()).config(fraudConfig()).run(run).signals(List.of(signal)).fromLinkedPayments(true).build().execute();
        List<Row> rows = leads("IJ_PRESCRIBER_OUTLIER", "003");
        assertLead(rows.get(0), "PRESCRIPTEUR", "D1", "30", 6, "2.75", "17", "1.765", "2180.00");
        // without the flag the payments are linked from the claims again: 1,200 x (30 - 2.75) / 30
        FraudSignals.builder(warehouse()).config(fraudConfig()).run(run).signals(List.of(signal)).build().execute();
        assertLead(leads("IJ_PRESCRIBER_OUTLIER", "003").get(0), "PRESCRIPTEUR", "D1", "30", 6, "2.75", "17", "1.765", "1090.00");
    }

    /** The files the scans of an executed plan opened (Spark's "number of files read"). */
    private static long filesRead(SparkPlan plan) {
        return filesRead(plan, null, null);
    }

    /** The same, counting only the scans of this table (null: all) that read this column (null: any). */
    private static long filesRead(SparkPlan plan, String table, String column) {
        if (plan instanceof AdaptiveSparkPlanExec adaptive) {
            return filesRead(adaptive.executedPlan(), table, column);
        }
        if (plan instanceof QueryStageExec stage) {
            return filesRead(stage.plan(), table, column);
        }
        long n = plan instanceof FileSourceScanExec scan
                && (table == null || scan.relation().location().rootPaths().head().getName().equals(table))
                && (column == null || scan.output().exists(a -> a.name().equals(column)))
                ? scan.metrics().apply("numFiles").value() : 0;
        for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
            n += filesRead(child, table, column);
        }
        return n;
    }

    @Test
    void noProtectedAttributeIsAScoringFeature() {
        // the signals never read sex; they read the year of birth only to delimit working age (IJ_PRESCRIBER_OUTLIER)
        for (FraudSignal s : FraudSignals.ALL) {
            // the physical plan's scans list the columns actually read
            String plan = s.leads(new FraudInputs(wh), fraudConfig()).queryExecution().executedPlan().toString();
            assertFalse(plan.contains("BEN_SEX_COD"), s.code());
            if (!s.code().equals("IJ_PRESCRIBER_OUTLIER")) {
                assertFalse(plan.contains("BEN_NAI_ANN"), s.code());
            }
        }
    }
}
