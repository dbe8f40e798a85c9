package fr.cpam.analytics.cli;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.runlog.RunContext;
import fr.cpam.analytics.ops.WarehouseLock;
import fr.cpam.analytics.runlog.RunLog;
import fr.cpam.analytics.runlog.RunReport;
import fr.cpam.analytics.spark.Sparks;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Base of the commands that work on a warehouse: loads the layered configuration, logs it
 * (secrets masked), opens Spark, runs, and records the run in {@code run_log} whatever happens.
 */
public abstract class JobCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(JobCommand.class);

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--warehouse", paramLabel = "DIR",
            description = "Warehouse folder (local, hdfs:// or s3a://). Default: cpam.warehouse.")
    String warehouseDir;

    @Spec
    CommandSpec spec;

    /** Set by tests to reuse their shared session instead of building one. */
    static SparkSession sharedSession;

    protected JobConfig config;
    protected RunContext run;
    protected Warehouse warehouse;
    /** What the run loaded, for run_log (commands that load data set it). */
    protected BigDecimal amountLoaded = BigDecimal.ZERO;
    protected String message;

    /**
     * Where the command prints its results: picocli's out, standard output unless the caller
     * gave its own ({@link Main#run(PrintWriter, String...)}), so that concurrent callers each read
     * their own output.
     */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected abstract String commandName();

    protected abstract int execute() throws Exception;

    /** Whether this run is recorded in run_log (read-only commands are not). */
    protected boolean recordsRun() {
        return true;
    }

    /** Whether this command writes tables, and so holds the warehouse lock while it runs. */
    protected boolean writesWarehouse() {
        return recordsRun();
    }

    @Override
    public Integer call() throws Exception {
        config = JobConfig.load(configOptions.confFile, configOptions.overrides);
        if (warehouseDir != null) {
            config = config.with("warehouse", warehouseDir);
        }
        logEffectiveConfig(config);
        run = new RunContext(commandName());
        SparkSession spark = sharedSession != null ? sharedSession : Sparks.session(config);
        // a session built on another thread is not this one's active session, and Spark would
        // plan this thread's queries with default settings (java.sql dates instead of java.time)
        SparkSession.setActiveSession(spark);
        warehouse = new Warehouse(spark, config.getString("warehouse"));
        int exit = ExitCodes.FAILURE;
        Exception failure = null;
        WarehouseLock lock = null;
        try {
            if (writesWarehouse()) {
                lock = WarehouseLock.acquire(warehouse, run.runId(), commandName(), config.getDouble("ops.lock-stale-hours"));
            }
            exit = execute();
            return exit;
        } catch (Exception e) {
            failure = e;
            message = e.getClass().getSimpleName() + ": " + e.getMessage();
            throw e;
        } finally {
            if (recordsRun()) {
                try {
                    String status = failure != null ? "FAILED" : switch (exit) {
                        case ExitCodes.OK -> "SUCCESS";
                        case ExitCodes.FILES_REJECTED -> "PARTIAL";
                        case ExitCodes.QUALITY_GATE -> "QUALITY_GATE_FAILED";
                        default -> "FAILED";
                    };
                    int code = failure != null ? ExitCodes.FAILURE : exit;
                    RunLog.append(warehouse, run, status, code, amountLoaded, message, config.hash());
                    String report = RunReport.write(warehouse, run, status, code, amountLoaded, message, config.hash());
                    LOG.info("run {} {} (exit {}); report: {}", run.runId(), status, code, report);
                } catch (RuntimeException | java.io.IOException logFailure) {
                    LOG.error("could not write run_log for run {}: {}", run.runId(), logFailure.getMessage());
                }
            }
            if (lock != null) {
                lock.close();
            }
        }
    }

    static void logEffectiveConfig(JobConfig config) {
        StringBuilder sb = new StringBuilder("effective configuration (hash ").append(config.hash()).append("):");
        for (Map.Entry<String, String> e : config.effectiveMasked().entrySet()) {
            sb.append("\n  cpam.").append(e.getKey()).append(" = ").append(e.getValue());
        }
        LOG.info(sb.toString());
    }
}
