package fr.cpam.analytics.generate;

import fr.cpam.analytics.sources.IngestResult;
import fr.cpam.analytics.support.GroundTruth;
import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** End to end: generated files, loaded, hold to the cent what the generator says it wrote. */
class GeneratedDataIngestTest extends SparkTestBase {

    @Test
    void loadedAmountsEqualTheGroundTruth() throws Exception {
        Generator.builder().out(input()).orgs(List.of("092", "045")).from(2021).to(2022).beneficiaries(120).seed(11).build().execute();
        IngestResult r = ingest();
        assertEquals(0, r.rejected().size());

        Map<String, BigDecimal> expected = GroundTruth.expectedTotals(input());
        List<Row> byPoste = sql("SELECT ORG_AFF_BEN, substr(pay_month, 1, 4), poste, sum(amount) FROM claims WHERE in_scope "
                + "GROUP BY 1, 2, 3");
        assertFalse(byPoste.isEmpty());
        for (Row row : byPoste) {
            String key = "DCIR;" + row.getString(0) + ";" + row.getString(1) + ";" + row.getString(2);
            assertEquals(0, expected.get(key).compareTo(row.getDecimal(3)), key);
        }
        for (Row row : sql("SELECT ORG_CLE_REG, substr(pay_month, 1, 4), sum(amount) FROM opendamir WHERE in_scope GROUP BY 1, 2")) {
            String key = "OPENDAMIR;" + row.getString(0) + ";" + row.getString(1) + ";TOTAL";
            assertEquals(0, expected.get(key).compareTo(row.getDecimal(2)), key);
        }
        Map<String, Long> quarantine = GroundTruth.expectedQuarantine(input());
        for (Row row : sql("SELECT source_file, count(*) FROM quarantine GROUP BY source_file")) {
            assertEquals(quarantine.get(row.getString(0)), row.getLong(1), row.getString(0));
        }
        assertEquals(quarantine.values().stream().mapToLong(Long::longValue).sum(), r.linesQuarantined());
        assertTrue(count("SELECT count(*) FROM quarantine WHERE reasons LIKE '%RAW_NIR%'") >= 4, "one raw NIR per fund and year");
    }
}
