package fr.cpam.analytics.sources;

import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The contract's own sample files (shared/samples, copied into the test resources) load as specified. */
class ContractSamplesTest extends SparkTestBase {

    @Test
    void samplesLoadAndASecondIngestLoadsNothing() throws Exception {
        Path samples = Path.of("src/test/resources/contract-samples");
        try (Stream<Path> files = Files.walk(samples)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = input().resolve(samples.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        IngestResult r = ingest();
        assertEquals(5, r.filesLoaded());
        assertEquals(0, r.linesQuarantined());
        assertEquals(0, count("SELECT count(*) FROM quarantine"), "an empty quarantine table, not a missing one");
        // claims sample: 10 lines; the DPN_QLF 71 line is loaded but out of scope
        List<Row> byPoste = sql("SELECT poste, sum(amount) AS amount FROM claims WHERE in_scope GROUP BY poste ORDER BY poste");
        assertEquals(List.of("BIOLOGIE", "HONORAIRES_MEDICAUX", "INDEMNITES_JOURNALIERES", "MEDICAMENTS", "TRANSPORTS", "AUXILIAIRES_MEDICAUX")
                .stream().sorted().toList(), byPoste.stream().map(x -> x.getString(0)).toList());
        // 17.50 (G) + 17.50 (TC, SAS dates) = 35.00 of consultations; the 71 line is not counted
        assertEquals(new BigDecimal("35.00"), sql("SELECT sum(amount) FROM claims WHERE in_scope AND poste = 'HONORAIRES_MEDICAUX'").get(0).getDecimal(0));
        // nurse +9.77 and its regularisation -9.77
        assertEquals(0, sql("SELECT sum(amount) FROM claims WHERE sous_poste = 'INFIRMIERS'").get(0).getDecimal(0).signum());
        assertEquals(10, count("SELECT count(*) FROM claims"));
        assertEquals(5, count("SELECT count(*) FROM opendamir"));
        assertEquals(2, count("SELECT count(*) FROM sick_leave"));
        assertEquals(true, sql("SELECT is_covid FROM claims WHERE BIO_PRS_IDE = 5271").get(0).getBoolean(0));

        IngestResult again = ingest();
        assertEquals(0, again.filesLoaded());
        assertEquals(5, again.filesSkipped());
    }
}
