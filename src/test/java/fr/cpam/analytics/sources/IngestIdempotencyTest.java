package fr.cpam.analytics.sources;

import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/** File-level idempotency: unchanged files are skipped, a changed file replaces its own rows. */
class IngestIdempotencyTest extends SparkTestBase {

    private static final String H = IngestFixtureTest.CLAIMS_HEADER;

    private static String line(String ben, String amount, String payDate) {
        return ben + ";1;1980;2;092;092;921000011;1;1;;;;2022-03-02;;" + payDate + ";1110;10;;1;1;25.00;" + amount + ";0;;;;;;";
    }

    @Test
    void unchangedFilesAreSkippedAndChangedFilesReplaceTheirRows() throws Exception {
        write("claims/a.csv", H, line("P01", "17.50", "2022-03-09"), line("P02", "17.50", "2022-03-10"), line("P03", "bad", "2022-03-10"));
        write("claims/b.csv", H, line("P04", "10.00", "2022-04-09"));
        IngestResult first = ingest();
        assertEquals(2, first.filesLoaded());
        assertEquals(3, table("claims").count());
        assertEquals(1, table("quarantine").count());

        IngestResult second = ingest();
        assertEquals(0, second.filesLoaded(), "a second ingest loads nothing");
        assertEquals(2, second.filesSkipped());
        assertEquals(0, second.linesRead());
        assertEquals(3, table("claims").count());

        // a.csv is corrected: one line less, the bad amount fixed, another month
        write("claims/a.csv", H, line("P01", "20.00", "2022-03-09"), line("P03", "17.50", "2022-05-10"));
        Files.setLastModifiedTime(input().resolve("claims/a.csv"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        IngestResult third = ingest();
        assertEquals(1, third.filesLoaded());
        assertEquals(1, third.filesSkipped());
        assertEquals(List.of("2022-03", "2022-05"), third.changedMonths());
        List<Row> a = table("claims").filter(col("source_file").equalTo("claims/a.csv")).orderBy("line_number").collectAsList();
        assertEquals(2, a.size(), "the changed file's old rows are gone");
        assertEquals(new BigDecimal("20.00"), a.get(0).getAs("amount"));
        assertEquals(1, table("claims").filter(col("source_file").equalTo("claims/b.csv")).count(), "other files untouched");
        assertEquals(0, table("quarantine").count(), "the fixed file's quarantined line is replaced too");
        assertEquals(2, table("ingested_files").count(), "one catalog row per file");
        assertEquals(3, table("ingested_files").select("run_id").distinct().count() + 1,
                "b.csv keeps the run that loaded it, a.csv the third run");
    }

    @Test
    void aTableFromAnOlderVersionGetsTheCurrentStatisticsColumns() {
        write("claims/a.csv", H, line("P01", "17.50", "2022-03-09"));
        ingest();
        String path = warehouse().path("claims");
        assertTrue(statsColumns(path).contains("PRE_PRE_DTD"), statsColumns(path));
        // as an older version made it: no statistics on the prescription date
        spark().sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'source_file,EXE_SOI_DTD')");
        write("claims/b.csv", H, line("P04", "10.00", "2022-04-09"));
        ingest();
        // the next ingest sets the current list: b.csv's file carries statistics on PRE_PRE_DTD
        assertTrue(statsColumns(path).contains("PRE_PRE_DTD"), statsColumns(path));
        List<String> added = spark().read().text(path + "/_delta_log/*.json")
                .filter(col("value").contains("\"add\"").and(col("value").contains("pay_month=2022-04")))
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(1, added.size(), String.join("\n", added));
        assertTrue(added.get(0).contains("PRE_PRE_DTD"), added.get(0));
        assertEquals(2, table("claims").count());
    }

    private static String statsColumns(String path) {
        return io.delta.tables.DeltaTable.forPath(spark(), path).detail()
                .select(col("properties").getItem("delta.dataSkippingStatsColumns")).first().getString(0);
    }

    @Test
    void isoLatin1InputsAreReadWithTheConfiguredEncoding() throws Exception {
        java.nio.file.Path p = input().resolve("sick_leave/latin1.csv");
        Files.createDirectories(p.getParent());
        Files.write(p, ("ARR_NUM;BEN_NIR_PSA;ORG_AFF_BEN;PFS_PRE_NUM;IJR_EMP_NUM;ARR_DEB_DTE;ARR_FIN_DTE\n"
                + "A1;P01;092;921000011;SOCIÉTÉ;2022-03-01;2022-03-14\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        fr.cpam.analytics.sources.Ingest.builder(warehouse()).input(input().toString())
                .config(testConfig().with("input.encoding", "ISO-8859-1")).build().execute();
        assertEquals("SOCIÉTÉ", table("sick_leave").first().getAs("IJR_EMP_NUM"));
    }

    @Test
    void aRejectedFileIsRetriedAndKeepsTheLastGoodRows() throws Exception {
        write("claims/a.csv", H, line("P01", "17.50", "2022-03-09"));
        ingest();
        // the file is replaced by one with a broken header: rejected whole, the loaded rows stay
        write("claims/a.csv", "BEN_NIR_PSA;ORG_AFF_BEN", "P01;092");
        Files.setLastModifiedTime(input().resolve("claims/a.csv"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        IngestResult r = ingest();
        assertEquals(1, r.rejected().size());
        assertEquals(1, table("claims").count());
        assertEquals("REJECTED", table("ingested_files").first().getAs("status"));
        assertEquals(1, ingest().rejected().size(), "still rejected on the next run: the problem is reported until fixed");
    }
}
