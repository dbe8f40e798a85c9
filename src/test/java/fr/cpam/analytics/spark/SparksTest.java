package fr.cpam.analytics.spark;

import fr.cpam.analytics.config.JobConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SparksTest {

    @Test
    void sparksCatalogFolderIsTheWarehouseNotASpareFolderWhereTheCommandRuns() {
        JobConfig c = JobConfig.defaults().with("warehouse", "/data/wh");
        assertEquals("/data/wh", Sparks.settings(c, false, false).get("spark.sql.warehouse.dir"));
        // given to spark-submit: left alone
        assertFalse(Sparks.settings(c, true, true).containsKey("spark.sql.warehouse.dir"));
        // given in the configuration's Spark settings: applied after, so it wins
        JobConfig explicit = JobConfig.load(null, List.of("spark.conf.\"spark.sql.warehouse.dir\"=/elsewhere"));
        assertEquals("/elsewhere", Sparks.settings(explicit, false, false).get("spark.sql.warehouse.dir"));
    }

    @Test
    void theLocalLauncherKeepsItsHeapAndSparkSubmitGetsTheConfiguredOne() {
        JobConfig c = JobConfig.defaults();
        Map<String, String> local = Sparks.settings(c, false, false);
        assertFalse(local.containsKey("spark.driver.memory"));
        assertEquals("4g", Sparks.settings(c, true, false).get("spark.driver.memory"));
        assertEquals("8", local.get("spark.sql.shuffle.partitions"));
        assertEquals("io.delta.sql.DeltaSparkSessionExtension", local.get("spark.sql.extensions"));
    }
}
