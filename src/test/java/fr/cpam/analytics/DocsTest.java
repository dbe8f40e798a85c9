package fr.cpam.analytics;

import fr.cpam.analytics.sources.ColumnSpec;
import fr.cpam.analytics.sources.SourceDataset;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The documentation says what the code does: every schema column is in docs/INPUTS.md with its type;
 * and its links lead somewhere: every relative link of the README and docs/ names a file that exists
 * and, with an anchor, a heading of that file.
 */
class DocsTest {

    @Test
    void everyInputColumnIsDocumentedWithItsType() throws Exception {
        String doc = Files.readString(Path.of("docs/INPUTS.md"));
        for (SourceDataset d : SourceDataset.values()) {
            for (ColumnSpec c : d.columns()) {
                String row = "| `" + c.name() + "` | " + c.type() + " | " + (c.required() ? "yes" : "no") + " |";
                assertTrue(doc.contains(row), d + ": " + row);
            }
        }
    }

    @Test
    void readmeNamesTheQuickStartCommands() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("jobs/demo.sh"));
        assertTrue(readme.contains("jobs/test.sh"));
        assertTrue(Files.isExecutable(Path.of("jobs/demo.sh")));
        assertTrue(Files.isExecutable(Path.of("jobs/test.sh")));
        assertTrue(Files.isExecutable(Path.of("jobs/run.sh")));
    }

    @Test
    void everyFraudSignalIsDocumentedAndConfigured() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("a lead for a human controller, never a decision"));
        fr.cpam.analytics.config.JobConfig config = fr.cpam.analytics.config.JobConfig.defaults();
        assertEquals(fr.cpam.analytics.fraud.FraudSignals.ALL.size(), config.getStringList("fraud.signals").size());
        for (fr.cpam.analytics.fraud.FraudSignal s : fr.cpam.analytics.fraud.FraudSignals.ALL) {
            assertTrue(readme.contains("| `" + s.code() + "` |"), s.code() + " in the README's signal table");
            assertTrue(config.hasPath("fraud." + s.configKey()), s.code() + " has a configuration block");
            assertTrue(config.getStringList("fraud.signals").contains(s.code()));
        }
    }

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkLeadsToAFileAndHeading() throws Exception {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (var s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http(s), mailto: not ours to check offline
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? doc : doc.resolveSibling(file).normalize();
                checked++;
                if (!Files.exists(linked)) {
                    broken.add(doc + ": " + target + " (no such file)");
                } else if (hash >= 0 && linked.toString().endsWith(".md")
                        && !anchors(linked).contains(target.substring(hash + 1))) {
                    broken.add(doc + ": " + target + " (no such heading)");
                }
            }
        }
        assertTrue(checked > 10, "links found: " + checked);
        assertEquals(List.of(), broken);
    }

    /** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens. */
    static Set<String> anchors(Path md) throws Exception {
        Set<String> out = new HashSet<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(md)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.matches("^#{1,6} .*")) {
                String slug = line.replaceFirst("^#+ ", "").strip().toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                String unique = slug;
                for (int n = 1; !out.add(unique); n++) {
                    unique = slug + "-" + n;
                }
            }
        }
        return out;
    }

    @Test
    void anchorsFollowGitHubsRule() throws Exception {
        Path md = Files.createTempFile("anchors", ".md");
        Files.writeString(md, "# Top\n## Profile: where the time goes, and why\n```\n# not a heading\n```\n## Top\n### `fraud.parallelism` à 2\n");
        assertEquals(Set.of("top", "profile-where-the-time-goes-and-why", "top-1", "fraudparallelism-à-2"), anchors(md));
        Files.delete(md);
    }
}
