package fr.cpam.analytics.cli;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.generate.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes a realistic synthetic input root, deterministic for a seed.",
                "Claims, sick_leave, opendamir and reference files in the contract's format, plus DIR/ground_truth/",
                "(planted fraud labels and look-alikes, expected totals and quarantine)."})
public final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Input root to write.")
    Path out;

    @Option(names = "--beneficiaries", paramLabel = "N", description = "Beneficiaries per fund (default: cpam.generate.beneficiaries).")
    Integer beneficiaries;

    @Option(names = "--from", paramLabel = "YEAR", description = "First year (default: cpam.generate.from).")
    Integer from;

    @Option(names = "--to", paramLabel = "YEAR", description = "Last year (default: cpam.generate.to).")
    Integer to;

    @Option(names = "--orgs", paramLabel = "092,045", description = "Funds (CPAM codes), comma-separated (default: cpam.generate.orgs).")
    String orgs;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: cpam.generate.seed).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Writer threads (default: all cores). The output does not depend on it.")
    Integer threads;

    @Override
    public Integer call() {
        JobConfig config = JobConfig.load(configOptions.confFile, configOptions.overrides);
        List<String> funds = Arrays.stream((orgs != null ? orgs : config.getString("generate.orgs")).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String f : funds) {
            if (!f.matches("\\d{3}")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--orgs takes 3-digit CPAM codes, got: " + f);
            }
        }
        Generator.Builder b = Generator.builder().out(out).orgs(funds)
                .beneficiaries(beneficiaries != null ? beneficiaries : config.getInt("generate.beneficiaries"))
                .from(from != null ? from : config.getInt("generate.from"))
                .to(to != null ? to : config.getInt("generate.to"))
                .seed(seed != null ? seed : config.getLong("generate.seed"));
        if (threads != null) {
            b.threads(threads);
        }
        Generator.Result r = b.build().execute();
        spec.commandLine().getOut().printf("generated %s: %d claim lines, %d sick-leave notices, %d Open DAMIR files, %d damaged lines (to quarantine) in %.1f s%n",
                out, r.claimLines(), r.notices(), r.openDamirFiles(), r.quarantineLines(), r.seconds());
        return ExitCodes.OK;
    }
}
