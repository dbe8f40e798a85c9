package fr.cpam.analytics;

import fr.cpam.analytics.sources.ColumnSpec;
import fr.cpam.analytics.sources.SourceDataset;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The documentation says what the code does: every schema column is in docs/INPUTS.md with its type. */
class DocsTest {

    @Test
    void everyInputColumnIsDocumentedWithItsType() throws Exception {
        String doc = Files.readString(Path.of("docs/INPUTS.md"));
        for (SourceDataset d : SourceDataset.values()) {
            for (ColumnSpec c : d.columns()) {
                String row = "| `" + c.name() + "` | " + c.type() + " | " + (c.required() ? "yes" : "no") + " |";
                assertTrue(doc.contains(row), d + ": " + row);
            }
        }
    }

    @Test
    void readmeNamesTheQuickStartCommands() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("jobs/demo.sh"));
        assertTrue(readme.contains("jobs/test.sh"));
        assertTrue(Files.isExecutable(Path.of("jobs/demo.sh")));
        assertTrue(Files.isExecutable(Path.of("jobs/test.sh")));
        assertTrue(Files.isExecutable(Path.of("jobs/run.sh")));
    }

    @Test
    void everyFraudSignalIsDocumentedAndConfigured() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("a lead for a human controller, never a decision"));
        fr.cpam.analytics.config.JobConfig config = fr.cpam.analytics.config.JobConfig.defaults();
        assertEquals(fr.cpam.analytics.fraud.FraudSignals.ALL.size(), config.getStringList("fraud.signals").size());
        for (fr.cpam.analytics.fraud.FraudSignal s : fr.cpam.analytics.fraud.FraudSignals.ALL) {
            assertTrue(readme.contains("| `" + s.code() + "` |"), s.code() + " in the README's signal table");
            assertTrue(config.hasPath("fraud." + s.configKey()), s.code() + " has a configuration block");
            assertTrue(config.getStringList("fraud.signals").contains(s.code()));
        }
    }
}
