package fr.cpam.analytics.sources;

import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.spark.Warehouse;
import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * One input root holding every accepted variant and every rejection reason of INPUTS.md,
 * loaded once; each test checks one rule against values worked out by hand from the lines below.
 */
class IngestFixtureTest extends SparkTestBase {

    static final String CLAIMS_HEADER = fr.cpam.analytics.support.Fixtures.CLAIMS_HEADER;
    static final String RAW_NIR = "180057512345627";

    /** The fixture's folder, deleted by JUnit after the class. */
    @TempDir
    static Path root;
    static Warehouse wh;
    static IngestResult result;

    @BeforeAll
    static void loadFixture() throws IOException {
        Path in = root.resolve("input");
        put(in, "claims/2022/variants.csv",
                CLAIMS_HEADER,
                // line 2: ISO dates, '.' decimals, GP consultation
                "P0000000000000001;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;2022-03-02;2022-03-09;1110;10;;1;1;25.00;17.50;0;;;;;;",
                // line 3: French dates, ',' decimals, pharmacy
                "P0000000000000001;1;1980;2;092;092;921000022;;50;921000011;1;02/03/2022;02/03/2022;;10/03/2022;3313;10;;2;1;18,40;11,96;;;3400930000001;N02BE01;2;;",
                // line 4: SAS dates with time, IJ under AT/MP insurance (40), complement part
                "P0000000000000003;1;1990;1;092;092;000000000;;;921000011;1;;01MAR2022:00:00:00;14MAR2022:00:00:00;20MAR2022:00:00:00;6111;40;;14;1;600.50;588.00;12.50;;;;;;",
                // line 5: quoted fields, nurse AMI 3.1
                "\"P0000000000000002\";1;1955;1;092;092;921000044;;24;921000011;1;2022-03-01;2022-03-04;2022-03-04;2022-03-14;3111;10;;1;\"3,1\";9.77;\"9.77\";0;;;;;;",
                "",
                // line 7: for information only (DPN_QLF 71)
                "P0000000000000004;1;1975;2;045;045;451000011;1;1;;;;2022-03-02;2022-03-02;2022-03-09;1110;10;71;1;1;25.00;17.50;0;;;;;;",
                // line 8: regularisation of line 5
                "P0000000000000002;1;1955;1;092;092;921000044;;24;921000011;1;2022-03-01;2022-03-04;2022-03-04;2022-03-14;3111;10;;-1;3.1;-9.77;-9.77;0;;;;;;",
                // line 9: bad amount
                "P0000000000000005;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;2022-03-02;2022-03-09;1110;10;;1;1;25.00;17.5.0;0;;;;;;",
                // line 10: impossible date
                "P0000000000000005;1;1980;2;092;092;921000011;1;1;;;;2022-02-30;;2022-03-09;1110;10;;1;1;25.00;17.50;0;;;;;;",
                // line 11: missing required nature
                "P0000000000000005;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;;2022-03-09;;10;;1;1;25.00;17.50;0;;;;;;",
                // line 12: wrong field count (one field missing)
                "P0000000000000005;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;;2022-03-09;1110;10;;1;1;25.00;17.50;0;;;;;",
                // line 13: end of care before its start
                "P0000000000000005;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;2022-03-01;2022-03-09;1110;10;;1;1;25.00;17.50;0;;;;;;",
                // line 14: payment date out of range
                "P0000000000000005;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;;1899-03-09;1110;10;;1;1;25.00;17.50;0;;;;;;",
                // line 15: raw NIR instead of a pseudonym
                RAW_NIR + ";1;1980;1;092;092;921000011;1;1;;;;2022-03-02;;2022-03-09;1110;10;;1;1;25.00;17.50;0;;;;;;",
                // line 16: Covid RT-PCR in 2021
                "P0000000000000006;1;1960;1;092;092;921000066;38;39;921000011;1;2021-03-02;2021-03-03;;2021-03-12;3211;10;;1;1;43.20;43.20;0;5271;;;;;",
                // line 17: same NABM code before it became a Covid test (valid from 2020-03-07)
                "P0000000000000006;1;1960;1;092;092;921000066;38;39;921000011;1;2020-01-02;2020-01-15;;2020-01-22;3211;10;;1;1;20.00;12.00;0;5271;;;;;",
                // line 18: nature unknown to the reference tables
                "P0000000000000006;1;1960;1;092;092;921000066;;;;;;2022-01-15;;2022-01-22;8888;10;;1;1;5.00;5.00;0;;;;;;");
        // lower-case names, other order, an unknown extra column, gzip
        putGzip(in, "claims/reordered.csv.gz",
                "flx_dis_dtd;prs_nat_ref;bse_rem_mnt;prs_act_qte;exe_soi_dtd;pfs_exe_num;org_aff_ben;ben_nir_psa;comment",
                "2022-04-05;3122;9.68;1;2022-04-01;921000077;092;P0000000000000007;kine",
                "2022-04-05;4214;40.50;1;2022-04-02;921000088;092;P0000000000000007;taxi");
        // a whole file rejected: corrupt gzip (header fine, then truncated garbage)
        byte[] good = gzip(CLAIMS_HEADER + "\n" + "P1;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;;2022-03-09;1110;10;;1;1;25;17.5;0;;;;;;\n".repeat(2000));
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
        Files.write(in.resolve("claims/corrupt.csv.gz"), cut);
        // a whole file rejected: required column missing
        put(in, "claims/no_amount.csv", "BEN_NIR_PSA;ORG_AFF_BEN;PFS_EXE_NUM;EXE_SOI_DTD;FLX_DIS_DTD;PRS_NAT_REF;PRS_ACT_QTE",
                "P0000000000000008;092;921000011;2022-03-02;2022-03-09;1110;1");
        put(in, "sick_leave/notices.csv",
                "ARR_NUM;BEN_NIR_PSA;BEN_RNG_GEM;ORG_AFF_BEN;PFS_PRE_NUM;PSP_SPE_COD;IJR_EMP_NUM;RGO_ASU_NAT;ARR_DEB_DTE;ARR_FIN_DTE;ARR_PRO_TOP;ARR_DRG_MTF",
                "A1;P0000000000000003;1;092;921000011;1;E1;40;2022-03-01;2022-03-14;0;",
                "A2;P0000000000000001;;092;921000011;1;E2;;2022-04-04;2022-04-08;0;COVID_CONTACT",
                "A3;P0000000000000001;1;092;921000011;1;E2;10;2022-04-08;2022-04-04;0;");
        // Open DAMIR with 57 fields (the contract sample) and with 56 (an older year)
        Files.createDirectories(in.resolve("opendamir"));
        Files.copy(Path.of("src/test/resources/contract-samples/opendamir/A202201.csv"), in.resolve("opendamir/A202201.csv"));
        String header56 = Files.readAllLines(in.resolve("opendamir/A202201.csv")).get(0).replace("ETB_DCS_MCO;", "");
        String row56 = "201901;24;40;24;0;0;1;0;0;0;0;0;0;0;0;0;0;;3;0;75.00;75.00;52.50;0;0;3;75.00;0;52.50;2019;01;10;0;0;0;0;0;0;0;1110;0;70;0;0;0;1;0;1;0;0;0;0;0;0;0;";
        String row56rem2 = "201901;24;40;24;0;0;1;0;0;0;0;0;0;0;0;0;0;;3;0;75.00;75.00;10.00;0;0;3;75.00;0;10.00;0001;01;10;0;0;0;0;0;0;0;1110;0;70;2;0;0;1;0;1;0;0;0;0;0;0;0;";
        put(in, "opendamir/A201901.csv", header56, row56, row56rem2);
        put(in, "reference/beneficiaries/ben.csv", "BEN_NIR_PSA;BEN_RNG_GEM;BEN_NAI_ANN;BEN_SEX_COD;BEN_RES_DPT;BEN_DCD_DTE",
                "P0000000000000001;1;1980;2;092;", "P0000000000000002;1;1955;1;092;30/06/2022");
        put(in, "reference/hospital_stays/stays.csv", "ETA_NUM;BEN_NIR_PSA;BEN_RNG_GEM;SEJ_ENT_DTE;SEJ_SOR_DTE",
                "920000001;P0000000000000002;1;2022-05-02;2022-05-20");
        writeParquetClaims(in.resolve("claims/extract.parquet"));

        wh = new Warehouse(spark(), root.resolve("warehouse").toString());
        result = Ingest.builder(wh).input(in.toString()).config(testConfig()).run(new RunContext("ingest")).build().execute();
    }

    /** A Parquet extract: typed date and decimal columns, one bad row (null required amount). */
    private static void writeParquetClaims(Path target) throws IOException {
        StructType schema = new StructType()
                .add("BEN_NIR_PSA", DataTypes.StringType).add("ORG_AFF_BEN", DataTypes.StringType)
                .add("PFS_EXE_NUM", DataTypes.StringType).add("EXE_SOI_DTD", DataTypes.DateType)
                .add("FLX_DIS_DTD", DataTypes.DateType).add("PRS_NAT_REF", DataTypes.IntegerType)
                .add("PRS_ACT_QTE", DataTypes.createDecimalType(10, 3)).add("BSE_REM_MNT", DataTypes.createDecimalType(12, 2));
        List<Row> rows = List.of(
                org.apache.spark.sql.RowFactory.create("P0000000000000009", "045", "451000011", LocalDate.of(2022, 5, 3),
                        LocalDate.of(2022, 5, 10), 1110, new BigDecimal("1.000"), new BigDecimal("17.50")),
                org.apache.spark.sql.RowFactory.create("P0000000000000009", "045", "451000011", LocalDate.of(2022, 5, 4),
                        LocalDate.of(2022, 5, 10), 1110, new BigDecimal("1.000"), null));
        Path dir = target.resolveSibling("_tmp_parquet");
        spark().createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(dir.toString());
        try (Stream<Path> files = Files.list(dir)) {
            Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            Files.move(part, target);
        }
        org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());
    }

    static void put(Path in, String rel, String... lines) throws IOException {
        Path p = in.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    static void putGzip(Path in, String rel, String... lines) throws IOException {
        Path p = in.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, gzip(String.join("\n", lines) + "\n"));
    }

    static byte[] gzip(String text) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static Map<Long, String> quarantineOf(String file) {
        Map<Long, String> out = new HashMap<>();
        for (Row r : wh.read("quarantine").filter(col("source_file").equalTo(file)).collectAsList()) {
            out.put(r.<Long>getAs("line_number"), r.getAs("reasons"));
        }
        return out;
    }

    private static Row claim(String file, long line) {
        List<Row> rows = wh.read("claims").filter(col("source_file").equalTo(file).and(col("line_number").equalTo(line))).collectAsList();
        assertEquals(1, rows.size(), file + ":" + line);
        return rows.get(0);
    }

    @Test
    void filesSeenLoadedAndRejected() {
        // claims: variants, reordered, corrupt, no_amount, extract.parquet; sick_leave 1; opendamir 2; reference 2
        assertEquals(10, result.filesSeen());
        assertEquals(8, result.filesLoaded());
        assertEquals(List.of("claims/corrupt.csv.gz", "claims/no_amount.csv"),
                result.rejected().stream().map(FileStats::sourceFile).sorted().toList());
        assertTrue(result.rejected().stream().anyMatch(f -> f.message().contains("missing required column(s) BSE_REM_MNT")));
        assertTrue(result.rejected().stream().anyMatch(f -> f.message().startsWith("unreadable")));
        assertEquals(0, wh.read("claims").filter(col("source_file").isin("claims/corrupt.csv.gz", "claims/no_amount.csv")).count(),
                "nothing of a rejected file is published, even the lines read before the corruption");
    }

    @Test
    void theParseTasksSideFilesAreRemovedOnceCommitted() throws IOException {
        // the bad lines went through the tasks' side files (variants.csv alone has 7) ...
        assertEquals(7, wh.read("quarantine").filter(col("source_file").equalTo("claims/2022/variants.csv")).count());
        // ... which are gone once the quarantine table holds them
        assertFalse(Files.exists(root.resolve("warehouse").resolve(Ingest.STAGING)), "no staging folder left in the warehouse");
    }

    @Test
    void aFileFoundCorruptPartWayIsNamedThroughTheFailedWrite() {
        FileRejectedException cause = new FileRejectedException("claims/a.csv.gz", "unreadable: EOFException: x");
        Exception wrapped = new RuntimeException("Job aborted", new IllegalStateException("Task failed", cause));
        assertSame(cause, FileRejectedException.in(wrapped));
        assertEquals("unreadable: EOFException: x", FileRejectedException.in(wrapped).reason());
        assertNull(FileRejectedException.in(new RuntimeException("disk full")));
    }

    @Test
    void everyRejectionReasonIsQuarantinedWithItsLine() {
        Map<Long, String> q = quarantineOf("claims/2022/variants.csv");
        assertEquals(Map.of(
                9L, "BAD_NUMBER:BSE_REM_MNT",
                10L, "BAD_DATE:EXE_SOI_DTD",
                11L, "MISSING_REQUIRED:PRS_NAT_REF",
                12L, "WRONG_FIELD_COUNT:28/29",
                13L, "END_BEFORE_START:EXE_SOI_DTF",
                14L, "DATE_OUT_OF_RANGE:FLX_DIS_DTD",
                15L, "RAW_NIR:BEN_NIR_PSA"), q);
        assertEquals(Map.of(4L, "END_BEFORE_START:ARR_FIN_DTE"), quarantineOf("sick_leave/notices.csv"));
        // Parquet has no header line: its line_number is the row's ordinal, from 1
        assertEquals(Map.of(2L, "MISSING_REQUIRED:BSE_REM_MNT"), quarantineOf("claims/extract.parquet"));
    }

    @Test
    void linesReadEqualLinesLoadedPlusQuarantinedForEveryFile() {
        Map<String, long[]> expected = Map.of(
                "claims/2022/variants.csv", new long[]{16, 9, 7},   // lines 2-18, one of them blank
                "claims/reordered.csv.gz", new long[]{2, 2, 0},
                "claims/extract.parquet", new long[]{2, 1, 1},
                "sick_leave/notices.csv", new long[]{3, 2, 1},
                "opendamir/A202201.csv", new long[]{5, 5, 0},
                "opendamir/A201901.csv", new long[]{2, 2, 0});
        for (Row r : wh.read("ingested_files").collectAsList()) {
            long[] e = expected.get(r.<String>getAs("source_file"));
            if (e == null) {
                continue;
            }
            assertEquals(e[0], (long) r.<Long>getAs("lines_read"), r.toString());
            assertEquals(e[1], (long) r.<Long>getAs("lines_loaded"), r.toString());
            assertEquals(e[2], (long) r.<Long>getAs("lines_quarantined"), r.toString());
            assertEquals("LOADED", r.getAs("status"));
            assertEquals(64, r.<String>getAs("checksum").length());
        }
        assertEquals(1L, (long) wh.read("ingested_files").filter(col("source_file").equalTo("claims/2022/variants.csv"))
                .first().<Long>getAs("lines_blank"));
    }

    @Test
    void acceptedVariantsAreTypedAlike() {
        Row iso = claim("claims/2022/variants.csv", 2);
        assertEquals(new BigDecimal("17.50"), iso.getAs("amount"));
        assertEquals("HONORAIRES_MEDICAUX", iso.getAs("poste"));
        assertEquals("CONSULTATIONS", iso.getAs("sous_poste"));
        assertEquals("2022-03", iso.getAs("pay_month"));
        assertEquals(true, iso.getAs("in_scope"));

        Row fr = claim("claims/2022/variants.csv", 3);
        assertEquals(new BigDecimal("11.96"), fr.getAs("amount"));
        assertEquals(LocalDate.of(2022, 3, 2), fr.getAs("EXE_SOI_DTF"), "EXE_SOI_DTF defaults to EXE_SOI_DTD");
        assertEquals("PHARMACIE", fr.getAs("sous_poste"));

        Row sas = claim("claims/2022/variants.csv", 4);
        assertEquals(new BigDecimal("600.50"), sas.getAs("amount"), "588.00 + 12.50");
        assertEquals(LocalDate.of(2022, 3, 14), sas.getAs("EXE_SOI_DTF"));
        assertEquals("INDEMNITES_JOURNALIERES", sas.getAs("poste"));
        assertEquals("AT_MP", sas.getAs("sous_poste"), "an IJ nature under insurance 40 is AT/MP");

        Row quoted = claim("claims/2022/variants.csv", 5);
        assertEquals(new BigDecimal("3.100"), quoted.getAs("PRS_ACT_CFT"));
        assertEquals("INFIRMIERS", quoted.getAs("sous_poste"));

        Row info = claim("claims/2022/variants.csv", 7);
        assertEquals(false, info.getAs("in_scope"), "DPN_QLF 71 is loaded but counts in no amount");

        Row reordered = wh.read("claims").filter(col("source_file").equalTo("claims/reordered.csv.gz"))
                .orderBy("line_number").first();
        assertEquals("P0000000000000007", reordered.getAs("BEN_NIR_PSA"));
        assertEquals("KINESITHERAPEUTES", reordered.getAs("sous_poste"));
        assertEquals(1, (int) reordered.<Integer>getAs("BEN_RNG_GEM"));

        Row parquet = claim("claims/extract.parquet", 1);
        assertEquals(new BigDecimal("17.50"), parquet.getAs("amount"));
        assertEquals(LocalDate.of(2022, 5, 3), parquet.getAs("EXE_SOI_DTD"));
    }

    @Test
    void covidBiologyFollowsTheValidityOfTheNabmCode() {
        assertEquals(true, claim("claims/2022/variants.csv", 16).getAs("is_covid"));
        assertEquals(false, claim("claims/2022/variants.csv", 17).getAs("is_covid"));
        Row unknown = claim("claims/2022/variants.csv", 18);
        assertEquals("AUTRES", unknown.getAs("poste"));
        assertEquals(false, unknown.getAs("nature_known"));
    }

    @Test
    void regularisationPairCancelsOut() {
        BigDecimal nurse = (BigDecimal) wh.read("claims").filter(col("BEN_NIR_PSA").equalTo("P0000000000000002"))
                .agg(sum("amount")).first().get(0);
        assertEquals(0, nurse.compareTo(BigDecimal.ZERO));
    }

    @Test
    void rawNirAppearsNowhereInTheWarehouse() throws IOException {
        for (String table : wh.existingTables()) {
            var df = wh.read(table);
            var all = concat_ws("|", java.util.Arrays.stream(df.columns()).map(c -> col("`" + c + "`").cast("string")).toArray(org.apache.spark.sql.Column[]::new));
            assertEquals(0, df.filter(all.contains(RAW_NIR)).count(), table);
        }
        String masked = wh.read("quarantine").filter(col("line_number").equalTo(15)).first().getAs("raw_line");
        assertTrue(masked.startsWith("[NIR MASQUE];1;1980"), masked);
        try (Stream<Path> files = Files.walk(root.resolve("warehouse"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(RAW_NIR), "raw NIR found in " + f);
            }
        }
    }

    @Test
    void openDamirFilesWith56And57Fields() {
        var od = wh.read("opendamir");
        assertEquals(5, od.filter(col("source_file").equalTo("opendamir/A202201.csv")).count());
        assertEquals(2, od.filter(col("pay_month").equalTo("2022-01").and(col("PRS_NAT").equalTo(1110))).count(),
                "identical rows are all kept");
        Row small = od.filter(col("PRS_NAT").equalTo(3211)).first();
        assertEquals(new BigDecimal("0.61"), small.getAs("PRS_REM_MNT"));
        assertNull(small.getAs("care_month"), "0000/00 is an unknown care date");
        assertEquals("BIOLOGIE", small.getAs("poste"));
        Row ij = od.filter(col("PRS_NAT").equalTo(6111)).first();
        assertEquals("MALADIE_COURT", ij.getAs("sous_poste"));
        BigDecimal legal = (BigDecimal) od.filter(col("pay_month").equalTo("2019-01").and(col("in_scope"))).agg(sum("amount")).first().get(0);
        assertEquals(new BigDecimal("52.50"), legal, "PRS_REM_TYP 2 rows are loaded but out of the amounts");
        assertEquals(2, od.filter(col("pay_month").equalTo("2019-01")).count());
        assertEquals("24", od.filter(col("pay_month").equalTo("2019-01")).first().getAs("ORG_CLE_REG"));
    }

    @Test
    void sickLeaveAndReferenceTables() {
        var sl = wh.read("sick_leave").orderBy("ARR_NUM").collectAsList();
        assertEquals(2, sl.size());
        assertEquals(false, sl.get(0).getAs("is_covid"));
        assertEquals(14, (int) sl.get(0).<Integer>getAs("days_prescribed"));
        assertEquals(true, sl.get(1).getAs("is_covid"));
        assertEquals(10, (int) sl.get(1).<Integer>getAs("RGO_ASU_NAT"), "default insurance nature");
        assertEquals(LocalDate.of(2022, 6, 30), wh.read("beneficiaries").filter(col("BEN_NIR_PSA").equalTo("P0000000000000002"))
                .first().getAs("BEN_DCD_DTE"));
        assertEquals(1, wh.read("hospital_stays").count());
    }

    @Test
    void resultTotalsMatchTheTables() {
        long loaded = 0;
        for (String t : List.of("claims", "sick_leave", "opendamir", "beneficiaries", "hospital_stays")) {
            loaded += wh.read(t).count();
        }
        assertEquals(loaded, result.linesLoaded());
        assertEquals(wh.read("quarantine").count(), result.linesQuarantined());
        assertEquals(result.linesRead(), result.linesLoaded() + result.linesQuarantined());
        BigDecimal claimsAmounts = (BigDecimal) wh.read("claims").agg(sum(col("BSE_REM_MNT").plus(col("CPL_REM_MNT")))).first().get(0);
        BigDecimal damir = (BigDecimal) wh.read("opendamir").agg(sum("PRS_REM_MNT")).first().get(0);
        assertEquals(0, result.amountLoaded().compareTo(claimsAmounts.add(damir)));
        assertEquals(List.of("2019-01", "2020-01", "2021-03", "2022-01", "2022-03", "2022-04", "2022-05"), result.changedMonths());
    }
}
