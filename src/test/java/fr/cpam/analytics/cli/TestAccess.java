package fr.cpam.analytics.cli;

import org.apache.spark.sql.SparkSession;

/** Test-only access to the commands' session hook. */
public final class TestAccess {
    private TestAccess() {
    }

    public static void useSession(SparkSession spark) {
        JobCommand.sharedSession = spark;
    }
}
