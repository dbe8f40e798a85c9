package fr.cpam.analytics.cli;

import fr.cpam.analytics.fraud.FraudSignals;
import fr.cpam.analytics.indicators.CovidShare;
import fr.cpam.analytics.indicators.IjBreakdown;
import fr.cpam.analytics.indicators.SpendingEvolution;
import fr.cpam.analytics.indicators.TopMovers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

@Command(name = "compute", mixinStandardHelpOptions = true,
        description = {"Recomputes the indicator tables from the silver tables.",
                "Families: spending (spending_evolution), movers (top_movers), covid (covid_share, covid_ij_motives),",
                "ij (ij_breakdown, ij_payments), fraud (fraud_signals, fraud_targets). Default: all of them."})
public final class ComputeCommand extends JobCommand {

    /** The indicator families this version computes (IJ runs before Covid, which reads the payments IJ links). */
    static final List<String> FAMILIES = List.of("spending", "movers", "covid", "ij", "fraud");

    @Option(names = "--only", paramLabel = "FAMILY[,FAMILY]", split = ",",
            description = "Only these families: ${COMPLETION-CANDIDATES}.", completionCandidates = Families.class)
    List<String> only;

    @Option(names = "--full", description = "Recompute every period (compute always does; nightly otherwise recomputes what changed).")
    boolean full;

    static final class Families implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return FAMILIES.iterator();
        }
    }

    @Override
    protected String commandName() {
        return "compute";
    }

    @Override
    protected int execute() {
        boolean all = only == null || only.isEmpty();
        Set<String> families = new LinkedHashSet<>(all ? FAMILIES : only);
        for (String f : families) {
            if (!FAMILIES.contains(f)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown indicator family '" + f + "'; available: " + String.join(", ", FAMILIES));
            }
        }
        if (all && !warehouse.exists("claims")) {
            // a warehouse of public Open DAMIR data only: the claims-level families have nothing to work on
            families.removeAll(List.of("movers", "ij", "fraud"));
            org.slf4j.LoggerFactory.getLogger(ComputeCommand.class)
                    .warn("no claims table: top_movers, ij_breakdown and the fraud signals are not computed "
                            + "(Open DAMIR has no items, IJ payments nor identifiers)");
        }
        computeFamilies(warehouse, config, run, families, null, Set.of(), out());
        return ExitCodes.OK;
    }

    /**
     * Computes the given families. With {@code changedMonths} (null: everything), each family
     * recomputes only what those payment months change: spending, movers, Covid and IJ the affected
     * periods, fraud signals the affected care years. {@code changedDatasets} are the silver tables
     * that received files: new sick-leave notices can relink IJ payments of any month, and new
     * notices, deaths or hospital stays can raise leads in any year, so those families then run whole.
     */
    static void computeFamilies(fr.cpam.analytics.spark.Warehouse warehouse, fr.cpam.analytics.config.JobConfig config,
                                fr.cpam.analytics.runlog.RunContext run, Set<String> families,
                                List<java.time.YearMonth> changedMonths, Set<String> changedDatasets, PrintWriter out) {
        List<java.time.YearMonth> ijMonths = changedDatasets.contains("sick_leave") ? null : changedMonths;
        List<java.time.YearMonth> fraudMonths = changedDatasets.stream()
                .anyMatch(t -> List.of("sick_leave", "beneficiaries", "hospital_stays").contains(t)) ? null : changedMonths;
        if (families.contains("spending")) {
            SpendingEvolution.Result r = SpendingEvolution.builder(warehouse).config(config).run(run)
                    .changedMonths(changedMonths).build().execute();
            run.wrote(SpendingEvolution.TABLE, r.rows());
            if (r.categoryMonthRows() >= 0) {
                run.wrote(SpendingEvolution.CATEGORY_MONTHS, r.categoryMonthRows());
            }
            out.printf("%s: %d rows%n", SpendingEvolution.TABLE, r.rows());
        }
        if (families.contains("movers")) {
            TopMovers.Result r = TopMovers.of(warehouse, config, run).changedMonths(changedMonths).execute();
            run.wrote(TopMovers.TABLE, r.rows());
            if (r.itemMonthRows() >= 0) {
                run.wrote(TopMovers.ITEM_MONTHS, r.itemMonthRows());
            }
            out.printf("%s: %d rows%n", TopMovers.TABLE, r.rows());
        }
        // IJ first: it links the payments to their notices and writes them, and Covid reads them back
        if (families.contains("ij")) {
            IjBreakdown.Result r = IjBreakdown.of(warehouse, config, run).changedMonths(ijMonths)
                    .fromCategoryMonths(families.contains("spending")).execute();
            run.wrote(IjBreakdown.TABLE, r.rows());
            out.printf("%s: %d rows (%d IJ payments, %d not linked to a notice)%n", IjBreakdown.TABLE, r.rows(),
                    r.payments(), r.unlinked());
        }
        if (families.contains("covid")) {
            CovidShare.Result r = CovidShare.of(warehouse, config, run).changedMonths(ijMonths)
                    .fromLinkedPayments(families.contains("ij")).execute();
            run.wrote(CovidShare.TABLE, r.rows());
            run.wrote(CovidShare.MOTIVES, r.motiveRows());
            if (r.domainMonthRows() >= 0) {
                run.wrote(CovidShare.DOMAIN_MONTHS, r.domainMonthRows());
            }
            out.printf("%s: %d rows, %s: %d rows%n", CovidShare.TABLE, r.rows(), CovidShare.MOTIVES, r.motiveRows());
        }
        if (families.contains("fraud")) {
            FraudSignals.Result r = FraudSignals.builder(warehouse).config(config).run(run).changedMonths(fraudMonths)
                    .fromLinkedPayments(families.contains("ij")).build().execute();
            run.wrote(FraudSignals.SIGNALS, r.rows());
            run.wrote(FraudSignals.TARGETS, r.targets());
            r.stateRows().forEach(run::wrote);
            out.printf("%s: %d leads %s, %s: %d entities%n", FraudSignals.SIGNALS, r.rows(), r.leadsBySignal(),
                    FraudSignals.TARGETS, r.targets());
        }
    }
}
