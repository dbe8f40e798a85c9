package fr.cpam.analytics.support;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the generator says it wrote, read from its {@code ground_truth/} folder. */
public final class GroundTruth {

    private GroundTruth() {
    }

    /**
     * The damaged lines the generator planted, per input file (its path under the input folder,
     * as {@code quarantine.source_file} names it): {@code ground_truth/expected_quarantine.csv}.
     */
    public static Map<String, Long> expectedQuarantine(Path generated) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String[] f : rows(generated, "expected_quarantine.csv")) {
            out.put(f[0], Long.parseLong(f[1]));
        }
        return out;
    }

    /**
     * The amounts the generator wrote ({@code ground_truth/expected_totals.csv}), keyed
     * {@code source;org;year;poste} (e.g. {@code DCIR;092;2019;TOTAL}).
     */
    public static Map<String, BigDecimal> expectedTotals(Path generated) throws IOException {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (String[] f : rows(generated, "expected_totals.csv")) {
            out.put(f[0] + ";" + f[1] + ";" + f[2] + ";" + f[3], new BigDecimal(f[4]));
        }
        return out;
    }

    /** The data rows (header aside) of a ground-truth file, split on {@code ;}. */
    private static List<String[]> rows(Path generated, String file) throws IOException {
        List<String> lines = Files.readAllLines(generated.resolve("ground_truth").resolve(file));
        return lines.subList(1, lines.size()).stream().map(l -> l.split(";")).toList();
    }
}
