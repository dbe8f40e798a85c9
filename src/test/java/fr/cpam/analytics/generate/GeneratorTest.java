package fr.cpam.analytics.generate;

import fr.cpam.analytics.support.GroundTruth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class GeneratorTest {

    @TempDir
    Path tmp;

    private static Map<String, String> digests(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                out.put(root.relativize(f).toString(), HexFormat.of().formatHex(md.digest(Files.readAllBytes(f))));
            }
        }
        return out;
    }

    @Test
    void sameSeedSameBytesWhateverTheThreadCount() throws Exception {
        Generator.builder().out(tmp.resolve("a")).orgs(List.of("092", "045")).from(2021).to(2022).beneficiaries(150).seed(7).threads(1).build().execute();
        Generator.builder().out(tmp.resolve("b")).orgs(List.of("092", "045")).from(2021).to(2022).beneficiaries(150).seed(7).threads(4).build().execute();
        Generator.builder().out(tmp.resolve("c")).orgs(List.of("092", "045")).from(2021).to(2022).beneficiaries(150).seed(8).threads(2).build().execute();
        Map<String, String> a = digests(tmp.resolve("a"));
        assertEquals(a, digests(tmp.resolve("b")));
        assertNotEquals(a, digests(tmp.resolve("c")));
        assertTrue(a.containsKey("claims/092/claims_092_202103.csv"));
        assertTrue(a.containsKey("opendamir/A202112.csv.gz"));
        assertTrue(a.containsKey("sick_leave/sick_leave_045_2022.csv"));
        assertTrue(a.containsKey("reference/beneficiaries/beneficiaries_092.csv"));
        assertTrue(a.containsKey("reference/hospital_stays/hospital_stays_045.csv"));
        assertTrue(a.containsKey("ground_truth/fraud_labels.csv"));
        // a month's files: each fund's claims of that month and its Open DAMIR file, nothing else
        assertEquals(List.of("claims/045/claims_045_202212.csv", "claims/092/claims_092_202212.csv", "opendamir/A202212.csv.gz"),
                a.keySet().stream().filter(f -> Generator.isMonthFile(Path.of(f), YearMonth.of(2022, 12))).toList());
    }

    /** Shares of the reimbursed amount of 2019, from the generator's own ground truth. */
    @Test
    void categoryMixIsThatOfARealFund() throws IOException {
        Generator.builder().out(tmp).orgs(List.of("092")).from(2019).to(2019).beneficiaries(4000).seed(42).build().execute();
        // one fund and one year: the DCIR rows of 092 in 2019, by poste
        Map<String, BigDecimal> totals = GroundTruth.expectedTotals(tmp);
        BigDecimal total = totals.get("DCIR;092;2019;TOTAL");
        Map<String, double[]> expected = Map.of(  // share, tolerance (points)
                "MEDICAMENTS", new double[]{30, 5}, "HONORAIRES_MEDICAUX", new double[]{22, 4},
                "INDEMNITES_JOURNALIERES", new double[]{15, 4}, "AUXILIAIRES_MEDICAUX", new double[]{9, 3},
                "BIOLOGIE", new double[]{6, 2}, "HONORAIRES_DENTAIRES", new double[]{6, 2},
                "PRODUITS_PRESTATIONS", new double[]{6, 2}, "TRANSPORTS", new double[]{3, 1.5});
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            double share = totals.get("DCIR;092;2019;" + e.getKey()).multiply(BigDecimal.valueOf(100)).divide(total, 2, RoundingMode.HALF_UP).doubleValue();
            assertEquals(e.getValue()[0], share, e.getValue()[1], e.getKey());
        }
    }

    @Test
    void covidYearsShowInBiologyAndSickLeave() throws IOException {
        Generator.builder().out(tmp).orgs(List.of("045")).from(2019).to(2021).beneficiaries(1500).seed(3).build().execute();
        long pcr2019 = 0;
        long pcr2021 = 0;
        for (String year : List.of("2019", "2021")) {
            for (int m = 1; m <= 12; m++) {
                for (String l : Files.readAllLines(tmp.resolve(String.format("claims/045/claims_045_%s%02d.csv", year, m)))) {
                    String[] f = l.split(";", -1);
                    if (f.length > 23 && f[23].equals("5271")) {
                        if (year.equals("2019")) {
                            pcr2019++;
                        } else {
                            pcr2021++;
                        }
                    }
                }
            }
        }
        assertEquals(0, pcr2019);
        assertTrue(pcr2021 > 500, "RT-PCR tests in 2021: " + pcr2021);
        String notices = Files.readString(tmp.resolve("sick_leave/sick_leave_045_2020.csv"));
        assertTrue(notices.contains("COVID_GARDE_ENFANT"));
        assertFalse(Files.readString(tmp.resolve("sick_leave/sick_leave_045_2019.csv")).contains("COVID_"));
    }

    @Test
    void plantsEverySignalWithLabelsAndLookalikes() throws IOException {
        Generator.builder().out(tmp).orgs(List.of("092")).from(2021).to(2022).beneficiaries(400).seed(1).build().execute();
        List<String> labels = Files.readAllLines(tmp.resolve("ground_truth/fraud_labels.csv"));
        for (String signal : List.of("DOCTOR_SHOPPING", "SAME_RX_MULTI_PHARMACY", "IJ_PRESCRIBER_OUTLIER", "IJ_OVERLAP",
                "NURSE_CAPACITY", "IMPOSSIBLE_DAY", "TAXI_TRIPS_PER_DAY", "CARE_AFTER_DEATH", "CARE_DURING_HOSPITAL_STAY",
                "OFF_LABEL_COVID", "PEER_OUTLIER")) {
            assertTrue(labels.stream().filter(l -> l.startsWith(signal + ";") && l.contains(";PLANTED;")).count() >= 2, signal);
        }
        assertTrue(labels.stream().anyMatch(l -> l.startsWith("DOCTOR_SHOPPING;") && l.contains(";LOOKALIKE;")));
        assertTrue(labels.stream().anyMatch(l -> l.startsWith("NURSE_CAPACITY;") && l.contains(";LOOKALIKE;")));
        assertTrue(labels.stream().anyMatch(l -> l.startsWith("IJ_PRESCRIBER_OUTLIER;") && l.contains(";LOOKALIKE;")));
    }

    @Test
    void openDamirHeaderDependsOnTheYear() throws IOException {
        Generator.builder().out(tmp).orgs(List.of("092")).from(2020).to(2022).beneficiaries(100).seed(1).build().execute();
        assertEquals(55, header(tmp.resolve("opendamir/A202003.csv.gz")).split(";", -1).length);
        assertEquals(56, header(tmp.resolve("opendamir/A202103.csv.gz")).split(";", -1).length);
        assertEquals(57, header(tmp.resolve("opendamir/A202203.csv.gz")).split(";", -1).length);
    }

    private static String header(Path gz) throws IOException {
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(Files.newInputStream(gz))))) {
            return in.readLine();
        }
    }
}
