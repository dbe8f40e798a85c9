package fr.cpam.analytics.support;

import org.apache.spark.sql.SparkSession;

/** Lets command-line tests run commands on the suite's shared session. */
public final class TestHooks {
    private TestHooks() {
    }

    static void shareSession(SparkSession spark) {
        fr.cpam.analytics.cli.TestAccess.useSession(spark);
    }
}
