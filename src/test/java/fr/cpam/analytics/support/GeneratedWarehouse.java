package fr.cpam.analytics.support;

import fr.cpam.analytics.cli.Main;
import fr.cpam.analytics.generate.Generator;
import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One small generated input (fund 092, 2021-2022, 150 beneficiaries) and the warehouse a
 * {@code nightly --full} builds from it, each made once per suite run and shared by the tests
 * that need real tables (nightly, report, export, notebooks, browser). Read-only for them.
 */
public final class GeneratedWarehouse {

    /** Two cheap fraud signals are enough to publish the family (the fraud suite tests all 11). */
    public static final List<String> SETTINGS = List.of("--set", "ingest.today=" + SparkTestBase.TODAY,
            "--set", "fraud.signals=IJ_OVERLAP,CARE_AFTER_DEATH");

    private static Path input;
    private static String full;
    /** The folders made here, deleted when the suite's JVM exits (no JUnit scope outlives a class). */
    private static final List<Path> MADE = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MADE.forEach(p -> FileUtils.deleteQuietly(p.toFile())), "generated-warehouse-cleanup"));
    }

    private GeneratedWarehouse() {
    }

    public static synchronized Path input() {
        if (input == null) {
            try {
                input = Files.createTempDirectory("generated-input");
                MADE.add(input);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Generator.builder().out(input).orgs(List.of("092")).from(2021).to(2022).beneficiaries(150).seed(5).build().execute();
        }
        return input;
    }

    /** The warehouse of {@code nightly --full} on the whole input: tables, reports and run log. */
    public static synchronized String full() {
        if (full == null) {
            SparkTestBase.spark();
            try {
                Path folder = Files.createTempDirectory("generated-full");
                MADE.add(folder);
                String wh = folder.resolve("wh").toString();
                List<String> args = new java.util.ArrayList<>(List.of("nightly", "--input", input().toString(), "--warehouse", wh, "--full"));
                args.addAll(SETTINGS);
                int exit = Main.run(args.toArray(new String[0]));
                if (exit != 0) {
                    throw new IllegalStateException("nightly --full on the generated input ended with exit " + exit);
                }
                full = wh;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return full;
    }
}
