package fr.cpam.analytics.cli;

import fr.cpam.analytics.sources.FileStats;
import fr.cpam.analytics.sources.Ingest;
import fr.cpam.analytics.sources.IngestResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Loads new or changed input files into the silver Delta tables.",
                "Bad lines go to quarantine with their reasons; unchanged files are skipped.",
                "Exit 0: done (also when nothing is new); 4: some files were rejected whole (the rest is loaded)."})
public final class IngestCommand extends JobCommand {

    @Option(names = "--input", paramLabel = "DIR", required = true,
            description = "Input root (claims/, sick_leave/, opendamir/, reference/...).")
    String input;

    @Override
    protected String commandName() {
        return "ingest";
    }

    @Override
    protected int execute() {
        IngestResult r = Ingest.builder(warehouse).input(input).config(config).run(run).build().execute();
        amountLoaded = r.amountLoaded();
        out().printf("run %s: %d file(s) seen, %d loaded, %d skipped (unchanged), %d rejected%n",
                run.runId(), r.filesSeen(), r.filesLoaded(), r.filesSkipped(), r.rejected().size());
        out().printf("lines: %d read, %d loaded, %d quarantined; amount loaded %s EUR%n",
                r.linesRead(), r.linesLoaded(), r.linesQuarantined(), r.amountLoaded().toPlainString());
        for (FileStats f : r.rejected()) {
            err().printf("REJECTED %s: %s%n", f.sourceFile(), f.message());
        }
        if (r.hasRejectedFiles()) {
            message = r.rejected().size() + " file(s) rejected: " + r.rejected().get(0).sourceFile();
            return ExitCodes.FILES_REJECTED;
        }
        return ExitCodes.OK;
    }
}
