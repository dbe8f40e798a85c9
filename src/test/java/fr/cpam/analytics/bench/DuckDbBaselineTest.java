package fr.cpam.analytics.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.*;

/** The benchmark's DuckDB baseline on three hand-made claim lines, and the memory it is given. */
class DuckDbBaselineTest {

    @TempDir
    Path dir;

    private static final String HEADER = "BEN_NIR_PSA;BEN_RNG_GEM;BEN_NAI_ANN;BEN_SEX_COD;BEN_RES_DPT;ORG_AFF_BEN;PFS_EXE_NUM;"
            + "PSE_SPE_COD;PSE_ACT_NAT;PFS_PRE_NUM;PSP_SPE_COD;PRE_PRE_DTD;EXE_SOI_DTD;EXE_SOI_DTF;FLX_DIS_DTD;PRS_NAT_REF;"
            + "RGO_ASU_NAT;DPN_QLF;PRS_ACT_QTE;PRS_ACT_CFT;PRS_PAI_MNT;BSE_REM_MNT;CPL_REM_MNT;BIO_PRS_IDE;PHA_PRS_C13;"
            + "PHA_ATC_CLA;PHA_ACT_QSN;CAM_PRS_IDE;ETB_EXE_FIN";

    private static String line(String ben, String qty, String base) {
        return ben + ";1;1980;2;092;092;921000011;1;1;;;;2022-03-02;2022-03-02;2022-03-09;1110;10;;" + qty + ";1;25.00;" + base + ";0;;;;;;";
    }

    @Test
    void memoryLimitLeavesRoomForTheJvm() {
        // three quarters of what is available, never under 1 GiB
        assertEquals(12_000, DuckDbBaseline.memoryLimitMiB(16_000));
        assertEquals(1024, DuckDbBaseline.memoryLimitMiB(800));
    }

    @Test
    void ingestAndSpendingOnHandMadeLines() throws Exception {
        Path csv = dir.resolve("claims/092/claims_092_202203.csv");
        Files.createDirectories(csv.getParent());
        // A: one act; B: one act and its regularisation, so B consumed nothing over any period
        Files.writeString(csv, String.join("\n", HEADER, line("P0000000000000001", "1", "17.50"),
                line("P0000000000000002", "1", "17.50"), line("P0000000000000002", "-1", "-17.50")) + "\n");
        Path parquet = dir.resolve("claims.parquet");
        Path out = dir.resolve("spending.parquet");
        try (DuckDbBaseline db = new DuckDbBaseline(dir.resolve("tmp"))) {
            assertFalse(db.memoryLimit().isBlank());
            assertEquals(3, db.ingest(dir.resolve("claims").toAbsolutePath() + "/*/*.csv", parquet));
            // one month, one sous-poste: 24 periods (MONTH 2022-03, YEAR 2022, YTD March to December,
            // R12 March 2022 to February 2023) at three levels (sous-poste, poste, total)
            assertEquals(24 * 3, db.spending(parquet, out));
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT amount, consumers FROM read_parquet('" + out.toAbsolutePath()
                     + "') WHERE pt = 'YEAR' AND p = '2022' AND poste = 'TOTAL'")) {
            assertTrue(r.next());
            // 17.50 + 17.50 - 17.50; A alone has a positive quantity
            assertEquals(0, new BigDecimal("17.50").compareTo(r.getBigDecimal(1)));
            assertEquals(1, r.getLong(2));
            assertFalse(r.next());
        }
    }
}
