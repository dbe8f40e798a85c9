package fr.cpam.analytics.cli;

import fr.cpam.analytics.reporting.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes the human report: one self-contained HTML file per fund and year (French narrative,",
                "charts, tables, fraud summary without identifiers, data-quality appendix). Opens offline.",
                "Without --org, one file per fund (FILE_<org>.html); without --year, the latest complete year."})
public final class ReportCommand extends JobCommand {

    @Option(names = "--out", paramLabel = "FILE.html", required = true, description = "The HTML file to write (local, hdfs://, s3a://).")
    String out;

    @Option(names = "--org", paramLabel = "ORG", description = "The fund (ORG_AFF_BEN, e.g. 092). Default: every fund.")
    String org;

    @Option(names = "--year", paramLabel = "YEAR", description = "The year. Default: the fund's latest complete year.")
    Integer year;

    @Override
    protected String commandName() {
        return "report";
    }

    /** Reads tables only: no lock, but the run is logged like any other. */
    @Override
    protected boolean writesWarehouse() {
        return false;
    }

    @Override
    protected int execute() {
        List<Reports.Written> written = run.stage("report", () -> Reports.write(warehouse, out, org, year, run.runId()));
        for (Reports.Written w : written) {
            out().printf("report %s %s %d: %s%n", w.source(), w.org(), w.year(), w.path());
        }
        return ExitCodes.OK;
    }
}
