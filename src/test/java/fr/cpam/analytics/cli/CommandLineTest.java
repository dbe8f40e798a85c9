package fr.cpam.analytics.cli;

import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Exit codes of CLI.md and the sql command's CSV, through the real entry point. */
class CommandLineTest extends SparkTestBase {

    private static final String H = fr.cpam.analytics.support.Fixtures.CLAIMS_HEADER;

    private String wh() {
        return tmp.resolve("warehouse").toString();
    }

    private String captureSql(String... queries) {
        spark(); // the commands reuse the suite's session
        StringWriter text = new StringWriter();
        String[] args = new String[queries.length + 3];
        args[0] = "sql";
        args[1] = "--warehouse";
        args[2] = wh();
        System.arraycopy(queries, 0, args, 3, queries.length);
        assertEquals(0, Main.run(new PrintWriter(text, true), args));
        return text.toString();
    }

    @Test
    void usageErrorsExitWith2AndHelpWith0() {
        assertEquals(2, Main.run(new String[0]));
        assertEquals(2, Main.run("frobnicate"));
        assertEquals(2, Main.run("ingest", "--warehouse", wh()));          // --input missing
        assertEquals(2, Main.run("ingest", "--input", "x", "--bogus"));
        assertEquals(2, Main.run("generate", "--out", tmp.toString(), "--orgs", "92"));
        assertEquals(0, Main.run("--help"));
        assertEquals(0, Main.run("ingest", "--help"));
        assertEquals(0, Main.run("sql", "--help"));
        assertEquals(0, Main.run("generate", "--help"));
    }

    @Test
    void ingestExitCodesAndRunLog() throws Exception {
        spark();
        write("claims/good.csv", H, "P01;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;;2022-03-09;1110;10;;1;1;25.00;17,50;0;;;;;;");
        assertEquals(0, Main.run("ingest", "--input", input().toString(), "--warehouse", wh(), "--set", "ingest.today=" + TODAY));
        assertEquals(0, Main.run("ingest", "--input", input().toString(), "--warehouse", wh()), "nothing new: still 0");
        write("claims/broken.csv", "NOT;A;CLAIMS;HEADER", "1;2;3;4");
        assertEquals(4, Main.run("ingest", "--input", input().toString(), "--warehouse", wh()));

        List<Row> log = sql("SELECT command, status, exit_code, files_loaded, files_rejected, lines_loaded, amount_loaded "
                + "FROM run_log ORDER BY started_at");
        assertEquals(3, log.size());
        assertEquals("SUCCESS", log.get(0).getString(1));
        assertEquals(1L, log.get(0).getLong(3));
        assertEquals(1L, log.get(0).getLong(5));
        assertEquals("17.50", log.get(0).getDecimal(6).toPlainString());
        assertEquals(0L, log.get(1).getLong(3));
        assertEquals("PARTIAL", log.get(2).getString(1));
        assertEquals(4, log.get(2).getInt(2));
        assertEquals(1L, log.get(2).getLong(4));
    }

    @Test
    void failuresExitWith1() throws Exception {
        spark();
        write("claims/good.csv", H, "P01;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;;2022-03-09;1110;10;;1;1;25.00;17.50;0;;;;;;");
        assertEquals(0, Main.run("ingest", "--input", input().toString(), "--warehouse", wh(), "--set", "ingest.today=" + TODAY));
        assertEquals(1, Main.run("sql", "--warehouse", wh(), "SELECT no_such_column FROM claims"));
        assertEquals(1, Main.run("ingest", "--input", input().toString(), "--warehouse", wh(), "--conf", "/does/not/exist.conf"));
    }

    @Test
    void computeOnOpenDamirAlone() throws Exception {
        spark();
        java.nio.file.Path in = input().resolve("opendamir/A202201.csv");
        Files.createDirectories(in.getParent());
        Files.copy(java.nio.file.Path.of("src/test/resources/contract-samples/opendamir/A202201.csv"), in);
        assertEquals(0, Main.run("ingest", "--input", input().toString(), "--warehouse", wh(), "--set", "ingest.today=" + TODAY));
        assertEquals(0, Main.run("compute", "--warehouse", wh()));
        // 52.50 x 2 + 0.61 + 1230.50 + 4.00 of the sample, region 84 and 11
        assertEquals("11,105.00", captureSql("SELECT org, amount FROM spending_evolution WHERE source = 'OPENDAMIR' "
                + "AND period_type = 'MONTH' AND period = '2022-01' AND poste = 'TOTAL' AND org = '11'").split("\n")[1]
                .replace("\r", ""));
        assertEquals(2, Main.run("compute", "--warehouse", wh(), "--only", "bogus"));
        // the fraud signals need claim lines: asked for explicitly, a clear failure
        assertEquals(1, Main.run("compute", "--warehouse", wh(), "--only", "fraud"));
        // evaluate: --labels is required; without fraud_signals there is nothing to evaluate
        assertEquals(2, Main.run("evaluate", "--warehouse", wh()));
        java.nio.file.Path labels = tmp.resolve("labels.csv");
        Files.writeString(labels, "signal;entity_type;entity_id;org;kind;note\n");
        assertEquals(1, Main.run("evaluate", "--warehouse", wh(), "--labels", labels.toString()));
        assertEquals(0, Main.run("evaluate", "--help"));
        // the report of an Open DAMIR region (105.00 EUR in region 11): no patients, no fraud, the region's figures
        java.nio.file.Path report = tmp.resolve("region.html");
        assertEquals(0, Main.run("report", "--warehouse", wh(), "--out", report.toString(), "--org", "11"));
        String html = Files.readString(report);
        assertTrue(html.contains("Les remboursements de soins de ville de la région 11 (Open DAMIR) atteignent, sur les mois disponibles, 105 euros en 2022."), html);
        assertFalse(html.contains("patients"));
        // usage errors of the reporting commands
        assertEquals(2, Main.run("report", "--warehouse", wh()));
        assertEquals(2, Main.run("export", "--warehouse", wh(), "--out", tmp.resolve("e").toString(), "--format", "pdf"));
        assertEquals(0, Main.run("export", "--help"));
    }

    @Test
    void sqlPrintsPlainCsv() throws Exception {
        spark();
        write("claims/c.csv", H,
                "P01;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;;2022-03-09;1110;10;;1;1;25.00;1234,50;0;;;;;;",
                "P02;1;1980;2;092;092;921000011;1;1;;;;2022-03-02;;2022-03-09;1110;10;;1;1;25.00;0.61;;;;;;;");
        assertEquals(0, Main.run("ingest", "--input", input().toString(), "--warehouse", wh(), "--set", "ingest.today=" + TODAY));
        String out = captureSql("SELECT BEN_NIR_PSA, amount, PFS_PRE_NUM, 'a,b' AS label FROM claims ORDER BY BEN_NIR_PSA");
        assertEquals("BEN_NIR_PSA,amount,PFS_PRE_NUM,label\nP01,1234.50,,\"a,b\"\nP02,0.61,,\"a,b\"\n", out.replace("\r", ""));
        assertTrue(Files.exists(tmp.resolve("warehouse/run_log")));
        // several queries in one session: results separated by an empty line
        assertEquals("n\n2\n\nx\n1\n", captureSql("SELECT count(*) AS n FROM claims", "SELECT 1 AS x").replace("\r", ""));
    }
}
