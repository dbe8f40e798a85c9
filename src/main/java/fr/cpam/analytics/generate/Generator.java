package fr.cpam.analytics.generate;

import fr.cpam.analytics.reference.ReferenceData;
import fr.cpam.analytics.reference.ReferenceData.NatureMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a realistic synthetic input root in the contract's format, deterministic for a seed:
 * the same options give byte-identical files whatever the thread count, because every file
 * is drawn from its own random stream (seed, fund, month). One task per payment month writes
 * every fund's claims file of that month and the month's Open DAMIR file; memory holds one
 * line at a time plus the month's aggregates.
 *
 * <p>Besides the inputs it writes {@code ground_truth/}: the planted fraud cases and
 * look-alikes ({@code fraud_labels.csv}), the amounts a correct load must find per fund, year
 * and poste ({@code expected_totals.csv}) and the lines it must quarantine
 * ({@code expected_quarantine.csv}).
 */
public final class Generator {

    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);

    private final Path out;
    private final List<String> orgs;
    private final int from;
    private final int to;
    private final int beneficiaries;
    private final long seed;
    private final int threads;

    /**
     * Whether a generated file holds one payment month: that month's claims file of a fund
     * ({@code claims_092_202212.csv}) or its Open DAMIR file ({@code A202212.csv.gz}). A night
     * is staged by holding these back, then adding them.
     */
    public static boolean isMonthFile(Path file, YearMonth month) {
        String name = file.getFileName().toString();
        return name.equals(OpenDamirWriter.fileName(month)) || (name.startsWith("claims_") && name.endsWith("_" + yyyyMM(month) + ".csv"));
    }

    /** A fund's claims file of one payment month: {@code claims_092_202212.csv}. */
    static String claimsFileName(String org, YearMonth month) {
        return "claims_" + org + "_" + yyyyMM(month) + ".csv";
    }

    /** {@code 202212}: the month as the file names and Open DAMIR's {@code FLX_ANN_MOI} write it. */
    static String yyyyMM(YearMonth month) {
        return String.format(Locale.ROOT, "%d%02d", month.getYear(), month.getMonthValue());
    }

    private Generator(Builder b) {
        this.out = Objects.requireNonNull(b.out, "out");
        this.orgs = b.orgs;
        this.from = b.from;
        this.to = b.to;
        this.beneficiaries = b.beneficiaries;
        this.seed = b.seed;
        this.threads = b.threads;
        if (from > to) {
            throw new IllegalArgumentException("--from must not be after --to");
        }
        if (orgs.isEmpty() || beneficiaries < 50) {
            throw new IllegalArgumentException("at least one fund and 50 beneficiaries per fund are needed");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults of conf/application.conf's generate section. */
    public static final class Builder {
        private Path out;
        private List<String> orgs = List.of("092", "045");
        private int from = 2019;
        private int to = 2022;
        private int beneficiaries = 5000;
        private long seed = 42;
        private int threads = Runtime.getRuntime().availableProcessors();

        public Builder out(Path out) {
            this.out = out;
            return this;
        }

        public Builder orgs(List<String> orgs) {
            this.orgs = orgs;
            return this;
        }

        public Builder from(int from) {
            this.from = from;
            return this;
        }

        public Builder to(int to) {
            this.to = to;
            return this;
        }

        public Builder beneficiaries(int n) {
            this.beneficiaries = n;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = Math.max(1, threads);
            return this;
        }

        public Generator build() {
            return new Generator(this);
        }
    }

    /** What was written. */
    public record Result(long claimLines, long notices, long openDamirFiles, long quarantineLines, double seconds) {
    }

    /** The month-independent part of one fund: people, notices, planted cases, lines paid later. */
    private static final class Fund {
        final Population pop;
        final CareModel care;
        final Map<YearMonth, List<ClaimLine>> scheduled = new HashMap<>();
        final boolean sasStyle;

        Fund(Population pop, CareModel care, boolean sasStyle) {
            this.pop = pop;
            this.care = care;
            this.sasStyle = sasStyle;
        }
    }

    /** Per-month results merged into the ground truth. */
    private record MonthResult(Map<String, BigDecimal> totals, Map<String, Long> lineCounts, Map<String, Long> quarantine,
                               long lines) {
    }

    public Result execute() {
        long t0 = System.nanoTime();
        Catalog catalog = new Catalog(seed);
        Map<Integer, List<NatureMapping>> natures = new HashMap<>();
        for (NatureMapping m : ReferenceData.natureMappings()) {
            natures.computeIfAbsent(m.code(), k -> new ArrayList<>()).add(m);
        }
        List<Fund> funds = new ArrayList<>();
        List<FraudPlanter.Label> labels = new ArrayList<>();
        long notices = 0;
        try {
            for (int i = 0; i < orgs.size(); i++) {
                String org = orgs.get(i);
                long orgSeed = mix(seed, org.hashCode(), 0);
                Population pop = new Population(org, beneficiaries, orgSeed, from, to);
                Fund fund = new Fund(pop, new CareModel(pop, catalog, from), i % 2 == 1);
                notices += prepareFund(fund, orgSeed, labels);
                funds.add(fund);
            }
            List<YearMonth> months = new ArrayList<>();
            for (YearMonth m = YearMonth.of(from, 1); !m.isAfter(YearMonth.of(to, 12)); m = m.plusMonths(1)) {
                months.add(m);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<MonthResult>> futures = new ArrayList<>();
            for (YearMonth m : months) {
                futures.add(pool.submit(() -> writeMonth(m, funds, natures)));
            }
            Map<String, BigDecimal> totals = new TreeMap<>();
            Map<String, Long> lineCounts = new TreeMap<>();
            Map<String, Long> quarantine = new TreeMap<>();
            long lines = 0;
            for (Future<MonthResult> f : futures) {
                MonthResult r = f.get();
                r.totals.forEach((k, v) -> totals.merge(k, v, BigDecimal::add));
                r.lineCounts.forEach((k, v) -> lineCounts.merge(k, v, Long::sum));
                r.quarantine.forEach((k, v) -> quarantine.merge(k, v, Long::sum));
                lines += r.lines;
            }
            pool.shutdown();
            writeGroundTruth(labels, totals, lineCounts, quarantine);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long quarantined = quarantine.values().stream().mapToLong(Long::longValue).sum();
            LOG.info("generated {} claim lines, {} notices, {} Open DAMIR files in {} s", lines, notices, months.size(),
                    String.format("%.1f", seconds));
            return new Result(lines, notices, months.size(), quarantined, seconds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("generation failed: " + e.getMessage(), e);
        }
    }

    /** Notices, IJ payments, planted fraud, reference files of one fund. */
    private long prepareFund(Fund fund, long orgSeed, List<FraudPlanter.Label> labels) throws IOException {
        Population pop = fund.pop;
        SickLeaveModel sick = new SickLeaveModel(pop);
        FraudPlanter planter = new FraudPlanter(pop, fund.care, sick, mix(orgSeed, 7, 7), from, to);
        planter.plantAll();
        labels.addAll(planter.labels);
        Random r = new Random(mix(orgSeed, 3, 3));
        List<SickLeaveModel.Notice> all = new ArrayList<>();
        for (int y = from; y <= to; y++) {
            for (Population.Beneficiary b : pop.beneficiaries) {
                sick.notices(b, y, r, all);
            }
        }
        all.addAll(planter.notices);
        List<ClaimLine> ij = new ArrayList<>();
        for (SickLeaveModel.Notice n : all) {
            sick.payments(n, r, ij);
        }
        for (ClaimLine l : ij) {
            schedule(fund, l);
        }
        for (ClaimLine l : planter.lines) {
            schedule(fund, l);
        }
        Map<Integer, BufferedWriter> noticeFiles = new HashMap<>();
        try {
            for (SickLeaveModel.Notice n : all) {
                if (!n.transmitted()) {
                    continue; // never reached the fund's notice file: its payments stay unlinked
                }
                int y = n.start().getYear();
                if (y < from || y > to) {
                    continue;
                }
                BufferedWriter w = noticeFiles.get(y);
                if (w == null) {
                    w = writer(out.resolve("sick_leave").resolve("sick_leave_" + pop.org + "_" + y + ".csv"));
                    w.write(SickLeaveModel.csvHeader());
                    w.newLine();
                    noticeFiles.put(y, w);
                }
                w.write(SickLeaveModel.toCsv(n, pop.org));
                w.newLine();
            }
        } finally {
            for (BufferedWriter w : noticeFiles.values()) {
                w.close();
            }
        }
        try (BufferedWriter w = writer(out.resolve("reference/beneficiaries/beneficiaries_" + pop.org + ".csv"))) {
            w.write("BEN_NIR_PSA;BEN_RNG_GEM;BEN_NAI_ANN;BEN_SEX_COD;BEN_RES_DPT;BEN_DCD_DTE");
            w.newLine();
            for (Population.Beneficiary b : pop.beneficiaries) {
                w.write(b.id + ";1;" + b.birthYear + ";" + b.sex + ";" + pop.org + ";" + (b.deathDate == null ? "" : b.deathDate));
                w.newLine();
            }
        }
        try (BufferedWriter w = writer(out.resolve("reference/hospital_stays/hospital_stays_" + pop.org + ".csv"))) {
            w.write("ETA_NUM;BEN_NIR_PSA;BEN_RNG_GEM;SEJ_ENT_DTE;SEJ_SOR_DTE");
            w.newLine();
            for (FraudPlanter.Stay s : planter.stays) {
                w.write(s.finess() + ";" + s.ben().id + ";1;" + s.entry() + ";" + s.exit());
                w.newLine();
            }
        }
        return all.size();
    }

    private void schedule(Fund fund, ClaimLine l) {
        YearMonth m = YearMonth.from(l.paid);
        if (m.getYear() >= from && m.getYear() <= to) {
            fund.scheduled.computeIfAbsent(m, k -> new ArrayList<>()).add(l);
        }
    }

    private MonthResult writeMonth(YearMonth month, List<Fund> funds, Map<Integer, List<NatureMapping>> natures) throws IOException {
        Map<String, BigDecimal> totals = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        Map<String, Long> quarantine = new HashMap<>();
        OpenDamirWriter damir = new OpenDamirWriter();
        long lines = 0;
        for (Fund fund : funds) {
            String org = fund.pop.org;
            String rel = "claims/" + org + "/" + claimsFileName(org, month);
            Random r = new Random(mix(seed, org.hashCode(), month.getYear() * 100L + month.getMonthValue()));
            long[] written = {0, 0};
            try (BufferedWriter w = writer(out.resolve(rel))) {
                w.write(ClaimLine.HEADER);
                w.newLine();
                java.util.function.Consumer<ClaimLine> sink = l -> {
                    try {
                        emit(l, org, fund.sasStyle, w, r, month, natures, totals, counts, damir, fund.pop.region, written);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                for (Population.Beneficiary b : fund.pop.beneficiaries) {
                    fund.care.generate(b, month, r, sink);
                }
                for (ClaimLine l : fund.scheduled.getOrDefault(month, List.of())) {
                    sink.accept(l);
                }
                if (month.getMonthValue() == 1) {
                    w.write(rawNirLine(fund, r, month));
                    w.newLine();
                    written[1]++;
                }
            }
            lines += written[0];
            if (written[1] > 0) {
                quarantine.put(rel, written[1]);
            }
        }
        Map<String, BigDecimal> damirTotals = damir.write(out.resolve("opendamir"), month, mix(seed, 99, month.getYear() * 100L + month.getMonthValue()));
        damirTotals.forEach((region, amount) -> totals.merge("OPENDAMIR;" + region + ";" + month.getYear() + ";TOTAL", amount, BigDecimal::add));
        return new MonthResult(totals, counts, quarantine, lines);
    }

    /**
     * Writes one line, and sometimes its regularisation pair (+/-), an information copy
     * (DPN_QLF 71), or a damaged twin that must be quarantined.
     */
    private void emit(ClaimLine l, String org, boolean sas, BufferedWriter w, Random r, YearMonth month,
                      Map<Integer, List<NatureMapping>> natures, Map<String, BigDecimal> totals, Map<String, Long> counts,
                      OpenDamirWriter damir, String region, long[] written) throws IOException {
        write(w, l, org, sas, natures, totals, counts, damir, region, month, written);
        double u = r.nextDouble();
        if (u < 0.010) {
            write(w, l.negated(), org, sas, natures, totals, counts, damir, region, month, written);
            write(w, l, org, sas, natures, totals, counts, damir, region, month, written);
        } else if (u < 0.014) {
            ClaimLine info = l.copy();
            info.dpnQlf = 71;
            write(w, info, org, sas, natures, totals, counts, damir, region, month, written);
        } else if (u < 0.0143) {
            String line = l.toCsv(org, sas);
            String[] f = line.split(";", -1);
            switch (r.nextInt(4)) {
                case 0 -> f[12] = "2021-02-30";       // impossible date
                case 1 -> f[21] = "12.3.4";           // bad amount
                case 2 -> f[15] = "";                 // missing nature
                default -> f[13] = "1999-12-31";      // end before start and out of range
            }
            w.write(String.join(";", f));
            w.newLine();
            written[1]++;
        }
    }

    private void write(BufferedWriter w, ClaimLine l, String org, boolean sas, Map<Integer, List<NatureMapping>> natures,
                       Map<String, BigDecimal> totals, Map<String, Long> counts, OpenDamirWriter damir, String region,
                       YearMonth month, long[] written) throws IOException {
        w.write(l.toCsv(org, sas));
        w.newLine();
        written[0]++;
        if (l.dpnQlf == null) {
            String poste = posteOf(l, natures);
            totals.merge("DCIR;" + org + ";" + month.getYear() + ";" + poste, l.reimbursed(), BigDecimal::add);
            totals.merge("DCIR;" + org + ";" + month.getYear() + ";TOTAL", l.reimbursed(), BigDecimal::add);
            counts.merge(org + ";" + month.getYear(), 1L, Long::sum);
            damir.add(l, region, month);
        }
    }

    static String posteOf(ClaimLine l, Map<Integer, List<NatureMapping>> natures) {
        for (NatureMapping m : natures.getOrDefault(l.nature, List.of())) {
            if (!l.careStart.isBefore(m.validFrom()) && !l.careStart.isAfter(m.validTo())) {
                return m.poste();
            }
        }
        return "AUTRES";
    }

    /** A line whose beneficiary id is a raw NIR: the privacy rule must quarantine and mask it. */
    private static String rawNirLine(Fund fund, Random r, YearMonth month) {
        String body = String.format("%d%02d%02d%s%03d%03d", 1 + r.nextInt(2), 50 + r.nextInt(40), 1 + r.nextInt(12),
                fund.pop.org.substring(1), 1 + r.nextInt(900), 1 + r.nextInt(900));
        long key = 97 - Long.parseLong(body) % 97;
        String nir = body + String.format("%02d", key);
        ClaimLine l = fund.care.base(fund.pop.beneficiaries.get(0), month, r, Population.ProKind.GP, 0);
        l.nature = 1110;
        CareModel.fee(l, new BigDecimal("25.00"), 0.7, l.ben);
        return l.toCsv(fund.pop.org, fund.sasStyle).replaceFirst("^[^;]+", nir);
    }

    private void writeGroundTruth(List<FraudPlanter.Label> labels, Map<String, BigDecimal> totals,
                                  Map<String, Long> counts, Map<String, Long> quarantine) throws IOException {
        Path gt = out.resolve("ground_truth");
        try (BufferedWriter w = writer(gt.resolve("fraud_labels.csv"))) {
            w.write("signal;entity_type;entity_id;org;kind;note");
            w.newLine();
            for (FraudPlanter.Label l : labels) {
                w.write(l.toCsv());
                w.newLine();
            }
        }
        try (BufferedWriter w = writer(gt.resolve("expected_totals.csv"))) {
            w.write("source;org;year;poste;amount");
            w.newLine();
            for (Map.Entry<String, BigDecimal> e : totals.entrySet()) {
                w.write(e.getKey() + ";" + e.getValue().toPlainString());
                w.newLine();
            }
        }
        try (BufferedWriter w = writer(gt.resolve("expected_lines.csv"))) {
            w.write("org;year;lines_in_scope");
            w.newLine();
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                w.write(e.getKey() + ";" + e.getValue());
                w.newLine();
            }
        }
        try (BufferedWriter w = writer(gt.resolve("expected_quarantine.csv"))) {
            w.write("source_file;lines");
            w.newLine();
            for (Map.Entry<String, Long> e : quarantine.entrySet()) {
                w.write(e.getKey() + ";" + e.getValue());
                w.newLine();
            }
        }
    }

    private static BufferedWriter writer(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.newBufferedWriter(p, StandardCharsets.UTF_8);
    }

    /** A well-spread seed for one random stream (SplitMix64 finaliser). */
    static long mix(long seed, long a, long b) {
        long z = seed + 0x9E3779B97F4A7C15L * (a + 31 * b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static LocalDate clamp(LocalDate d, LocalDate min) {
        return d.isBefore(min) ? min : d;
    }
}
