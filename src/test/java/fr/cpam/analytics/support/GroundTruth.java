package fr.cpam.analytics.support;

import java.io.IOException;
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
        List<String> lines = Files.readAllLines(generated.resolve("ground_truth/expected_quarantine.csv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(";");
            out.put(f[0], Long.parseLong(f[1]));
        }
        return out;
    }
}
