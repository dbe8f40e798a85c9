package fr.cpam.analytics.reporting;

import fr.cpam.analytics.cli.Main;
import fr.cpam.analytics.spark.Warehouse;
import fr.cpam.analytics.support.GeneratedWarehouse;
import fr.cpam.analytics.support.SparkTestBase;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The report and the exports on the tables of a real (generated) warehouse: the figures they
 * show are recomputed here from the silver claims, no identifier leaks, no small count is
 * exported, and every format reads back.
 */
class ReportAndExportTest extends SparkTestBase {

    private static String[] args(String... a) {
        List<String> all = new java.util.ArrayList<>(List.of(a));
        all.addAll(GeneratedWarehouse.SETTINGS);
        return all.toArray(new String[0]);
    }

    @Test
    void nightlyWritesTheReportOfTheLatestYearWithTheTablesFiguresAndNoIdentifier() throws Exception {
        String wh = GeneratedWarehouse.full();
        Path report = Path.of(wh, "reports", "rapport.html");
        assertTrue(Files.exists(report), "nightly writes the report");
        String html = Files.readString(report, StandardCharsets.UTF_8);

        // the 2022 total, recomputed from the silver claims (in scope, paid in 2022)
        BigDecimal total = spark().read().format("delta").load(wh + "/claims")
                .filter(col("in_scope").and(col("pay_month").startsWith("2022"))).agg(sum("amount")).first().getDecimal(0);
        assertTrue(html.contains("Les remboursements de soins de ville des assurés de la CPAM 092 atteignent "
                + French.euros(total) + " en 2022"), "headline with " + French.euros(total));
        // one paragraph per poste with reimbursements, a chart per figure the data allows
        long postes = spark().read().format("delta").load(wh + "/spending_evolution")
                .filter("source = 'DCIR' AND period_type = 'YEAR' AND period = '2022' AND sous_poste = 'TOTAL' AND poste <> 'TOTAL' AND amount > 0").count();
        assertEquals(postes, html.split("<p class=\"poste\">").length - 1);
        assertEquals(6, html.split("<figure class=\"chart\"").length - 1, "evolution, amounts, shares, months, Covid, IJ by risk");
        assertTrue(html.contains("id=\"fraude\"") && html.contains("id=\"qualite\""));
        // offline: nothing is fetched
        assertFalse(html.contains("src=\"http") || html.contains("href=\"http") || html.contains("@import"));
        // no lead's identifier, nor a count of 1 to 10 in the fraud summary
        for (Row r : spark().read().format("delta").load(wh + "/fraud_signals").select("entity_id").distinct().collectAsList()) {
            assertFalse(html.contains(r.getString(0)), "identifier " + r.getString(0) + " in the report");
        }
    }

    @Test
    void reportForAFundAndYearAndAClearErrorForAnUnknownFund() throws Exception {
        String wh = GeneratedWarehouse.full();
        Path out = tmp.resolve("r2021.html");
        assertEquals(0, Main.run(args("report", "--warehouse", wh, "--out", out.toString(), "--org", "092", "--year", "2021")));
        String html = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(html.contains("<h1>Les dépenses de soins de ville en 2021</h1>"));
        assertFalse(html.contains("par rapport à 2020"), "no previous year in the data: no evolution written");
        assertEquals(1, Main.run(args("report", "--warehouse", wh, "--out", tmp.resolve("x.html").toString(), "--org", "999")));
        assertFalse(Files.exists(tmp.resolve("x.html")));
    }

    @Test
    void exportsEveryFormatWithSmallCountsBlankedAndFlagged() throws Exception {
        String wh = GeneratedWarehouse.full();
        Path out = tmp.resolve("export");
        assertEquals(0, Main.run(args("export", "--warehouse", wh, "--out", out.toString(), "--format", "csv,parquet,xlsx")));
        Warehouse w = new Warehouse(spark(), wh);
        for (String table : Export.TABLES) {
            long rows = w.read(table).count();
            // parquet: every row, typed, and no count of 1 to 10
            Dataset<Row> back = spark().read().parquet(out.resolve(table + ".parquet").toString());
            assertEquals(rows, back.count(), table);
            assertTrue(Arrays.asList(back.columns()).containsAll(List.of("suppressed", "suppressed_cells")));
            for (String c : List.of("consumers", "consumers_prev", "beneficiaries")) {
                if (Arrays.asList(back.columns()).contains(c)) {
                    assertEquals(0, back.filter(col(c).between(1, 10)).count(), table + "." + c);
                }
            }
            // csv: BOM, ';', a header, one line per row
            byte[] bytes = Files.readAllBytes(out.resolve(table + ".csv"));
            assertArrayEquals(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(bytes, 3));
            List<String> lines = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).lines().toList();
            assertEquals(rows + 1, lines.size(), table);
            assertTrue(lines.get(0).contains(";suppressed;suppressed_cells"), lines.get(0));
            // xlsx: one sheet, the header and every row
            try (InputStream in = Files.newInputStream(out.resolve(table + ".xlsx")); Workbook book = new XSSFWorkbook(in)) {
                Sheet sheet = book.getSheetAt(0);
                assertEquals(table, sheet.getSheetName());
                assertEquals(rows, sheet.getLastRowNum());
            }
        }
        // every consumer count of 1 to 10 in the table is blank in the export, and flagged
        Dataset<Row> small = w.read("spending_evolution").filter(col("consumers").between(1, 10))
                .select("source", "org", "period_type", "period", "poste", "sous_poste");
        Dataset<Row> exported = spark().read().parquet(out.resolve("spending_evolution.parquet").toString());
        Dataset<Row> joined = small.join(exported, small.columns());
        assertEquals(small.count(), joined.count());
        assertEquals(0, joined.filter(col("consumers").isNotNull().or(not(col("suppressed")))
                .or(col("amount_per_consumer").isNotNull())).count());

        // csv decimals use a comma: the TOTAL of 2022 as the table has it
        BigDecimal amount = w.read("spending_evolution").filter("source = 'DCIR' AND period_type = 'YEAR' AND period = '2022' "
                + "AND poste = 'TOTAL'").first().getAs("amount");
        String csv = Files.readString(out.resolve("spending_evolution.csv"), StandardCharsets.UTF_8);
        assertTrue(csv.contains(";" + amount.toPlainString().replace('.', ',') + ";"), amount.toPlainString());
        // fraud tables are never exported
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("fraud")));
        }
    }
}
