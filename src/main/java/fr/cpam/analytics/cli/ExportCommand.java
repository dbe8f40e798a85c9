package fr.cpam.analytics.cli;

import fr.cpam.analytics.reporting.Export;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Exports the reporting tables (spending_evolution, covid_share, ij_breakdown, top_movers) for",
                "downstream tools, one file per table: csv (';', decimal comma, UTF-8 with BOM), parquet, xlsx.",
                "Counts of 1 to 10 people are blanked, with the cells that would give them back (suppressed,",
                "suppressed_cells columns). Fraud identifiers are never exported."})
public final class ExportCommand extends JobCommand {

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (local, hdfs://, s3a://).")
    String out;

    @Option(names = "--format", paramLabel = "FORMAT[,FORMAT]", split = ",", defaultValue = "csv",
            description = "csv (default), parquet, xlsx; several separated by commas.")
    List<String> formats;

    @Override
    protected String commandName() {
        return "export";
    }

    /** Reads tables only: no lock, but the run is logged like any other. */
    @Override
    protected boolean writesWarehouse() {
        return false;
    }

    @Override
    protected int execute() {
        for (String f : formats) {
            if (!Export.FORMATS.contains(f)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown format '" + f + "'; available: " + String.join(", ", Export.FORMATS));
            }
        }
        if (!warehouse.exists("spending_evolution")) {
            throw new IllegalStateException("no spending_evolution table in " + warehouse.root() + ": run compute first");
        }
        List<Export.Written> written = run.stage("export", () -> Export.write(warehouse, out, formats));
        for (Export.Written w : written) {
            out().printf("%s: %d rows (%d with suppressed cells) -> %s%n", w.table(), w.rows(), w.suppressedRows(), w.path());
        }
        return ExitCodes.OK;
    }
}
