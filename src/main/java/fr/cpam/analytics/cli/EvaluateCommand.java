package fr.cpam.analytics.cli;

import fr.cpam.analytics.fraud.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Precision and recall of the fraud signals against known labels, printed as a table.",
                "Labels: signal;entity_type;entity_id;org;kind;note (kind PLANTED or LOOKALIKE), as the generator",
                "writes them to ground_truth/fraud_labels.csv. Goal: every planted case in the top 3 of its signal",
                "and fund, no look-alike in a top 10."})
public final class EvaluateCommand extends JobCommand {

    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "The labels file (';' separated, with a header).")
    File labels;

    @Option(names = "--k", defaultValue = "3", paramLabel = "K", description = "Precision at k: the top k leads of each fund (default: ${DEFAULT-VALUE}).")
    int k;

    @Override
    protected String commandName() {
        return "evaluate";
    }

    @Override
    protected boolean recordsRun() {
        return false;
    }

    @Override
    protected int execute() {
        if (!labels.isFile()) {
            throw new IllegalArgumentException("labels file not found: " + labels);
        }
        Evaluation.Report report = Evaluation.of(warehouse, labels.getAbsolutePath(), k);
        out().print(report.table());
        out().flush();
        return ExitCodes.OK;
    }
}
