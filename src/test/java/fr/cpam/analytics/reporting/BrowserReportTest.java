package fr.cpam.analytics.reporting;

import fr.cpam.analytics.support.GeneratedWarehouse;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The report as a browser shows it: headless Chromium loads the file offline, the page's own
 * check marks every chart it laid out with marks in it, and a screenshot is kept under
 * {@code target/}. {@code jobs/test.sh} installs Chromium when missing and sets
 * {@code CPAM_REQUIRE_BROWSER=1}, so there the test cannot be skipped.
 */
class BrowserReportTest {

    static String chromium() {
        String env = System.getenv("CPAM_CHROMIUM");
        List<String> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        candidates.addAll(List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"));
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    private static String run(Path profile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void everyChartIsDrawnAndTheNarrativeShownInHeadlessChromium() throws Exception {
        if (chromium() == null) {
            assertNotEquals("1", System.getenv("CPAM_REQUIRE_BROWSER"), "Chromium is required here but not installed");
            Assumptions.abort("no Chromium on this machine (jobs/test.sh installs it)");
        }
        Path report = Path.of(GeneratedWarehouse.full(), "reports", "rapport.html");
        String html = Files.readString(report, StandardCharsets.UTF_8);
        int charts = html.split("<figure class=\"chart\"").length - 1;
        assertTrue(charts >= 5, "charts in the file: " + charts);
        Path profile = Files.createTempDirectory("chromium-profile");
        try {
            drawnAndShown(report, charts, profile);
        } finally {
            FileUtils.deleteQuietly(profile.toFile()); // Chromium's helpers may still hold a file
        }
    }

    private static void drawnAndShown(Path report, int charts, Path profile) throws IOException, InterruptedException {
        String dom = run(profile, "--virtual-time-budget=5000", "--dump-dom", report.toUri().toString());
        Matcher drawn = Pattern.compile("data-charts-drawn=\"(\\d+)\"").matcher(dom);
        assertTrue(drawn.find(), "the page's check ran");
        assertEquals(charts, Integer.parseInt(drawn.group(1)), "every chart laid out with its marks");
        assertEquals(charts, dom.split("data-drawn=\"true\"").length - 1);
        assertTrue(dom.contains("class=\"headline\">Les remboursements de soins de ville"), "the narrative is shown");
        assertTrue(dom.split("<p class=\"poste\">").length - 1 >= 5, "a paragraph per poste");

        Path target = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        run(profile, "--virtual-time-budget=5000", "--window-size=1100,5200", "--screenshot=" + target, report.toUri().toString());
        assertTrue(Files.exists(target), "screenshot written");
        byte[] png = Files.readAllBytes(target);
        assertTrue(png.length > 50_000, "a real page, not a blank one: " + png.length + " bytes");
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }
}
