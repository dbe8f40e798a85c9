package fr.cpam.analytics.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class JobConfigTest {

    @TempDir
    Path tmp;

    @Test
    void layersDefaultsThenFileThenSet() throws Exception {
        File site = tmp.resolve("site.conf").toFile();
        Files.writeString(site.toPath(), "cpam { period.basis = care\n quality.max-quarantine-rate = 0.10\n warehouse = \"/data/wh\" }\n");
        JobConfig c = JobConfig.load(site, List.of("quality.max-quarantine-rate=0.2", "cpam.input.encoding=ISO-8859-1"));
        assertEquals("care", c.getString("period.basis"));            // file over default
        assertEquals(0.2, c.getDouble("quality.max-quarantine-rate")); // --set over file
        assertEquals("ISO-8859-1", c.getString("input.encoding"));     // --set with the cpam. prefix
        assertEquals("/data/wh", c.getString("warehouse"));
        assertEquals(8, c.getInt("spark.shuffle-partitions"));         // untouched default
    }

    @Test
    void secretsAreMaskedInTheLoggedConfiguration() {
        JobConfig c = JobConfig.defaults().with("spark.conf.\"spark.hadoop.fs.s3a.secret.key\"", "hunter2");
        String all = c.effectiveMasked().toString();
        assertFalse(all.contains("hunter2"), all);
        assertTrue(all.contains("****"));
    }

    @Test
    void badOverrideAndMissingFileAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> JobConfig.load(null, List.of("novalue")));
        assertThrows(IllegalArgumentException.class, () -> JobConfig.load(new File("/nope.conf"), List.of()));
    }

    @Test
    void hashChangesWithConfiguration() {
        assertNotEquals(JobConfig.defaults().hash(), JobConfig.defaults().with("period.basis", "care").hash());
        assertEquals(JobConfig.defaults().hash(), JobConfig.defaults().hash());
    }
}
