package fr.cpam.analytics.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The job's single entry point: {@code cpam-analytics COMMAND [OPTIONS]}. */
@Command(name = "cpam-analytics", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Reimbursement evolution, Covid share and fraud targeting for CPAM funds, on Spark and Delta.",
        subcommands = {GenerateCommand.class, IngestCommand.class, ComputeCommand.class, SqlCommand.class,
                EvaluateCommand.class, NightlyCommand.class, ReportCommand.class, ExportCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses and runs; returns the exit code of CLI.md. */
    public static int run(String... args) {
        return run(null, args);
    }

    /**
     * The same, the command's results printed to {@code out} (null: standard output): each caller
     * reads its own, even with other commands running at the same time in this JVM.
     */
    public static int run(java.io.PrintWriter out, String... args) {
        CommandLine cl = new CommandLine(new Main());
        if (out != null) {
            cl.setOut(out);
        }
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("ERROR: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            // a user's mistake (bad query, bad setting) needs its message, not a stack trace
            boolean userError = e instanceof org.apache.spark.sql.AnalysisException || e instanceof IllegalArgumentException
                    || e instanceof fr.cpam.analytics.ops.WarehouseLock.HeldException
                    || e instanceof com.typesafe.config.ConfigException;
            if (userError) {
                org.slf4j.LoggerFactory.getLogger(Main.class).error("run failed: {}", e.getMessage());
            } else {
                org.slf4j.LoggerFactory.getLogger(Main.class).error("run failed", e);
            }
            return ExitCodes.FAILURE;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"cpam-analytics " + fr.cpam.analytics.runlog.RunLog.version()};
        }
    }
}
