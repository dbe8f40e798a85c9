package fr.cpam.analytics.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * One Open DAMIR monthly file ({@code A{YYYY}{MM}.csv.gz}) aggregated from the month's
 * generated claims, written as published: the real header (54 to 56 names depending on the
 * year, plus the trailing ';'), {@code .61}-style decimals, placeholder care dates for some
 * rows, identical rows kept, and a few non-legal-part rows ({@code PRS_REM_TYP} 2).
 */
final class OpenDamirWriter {

    /** The month's file name: {@code A202212.csv.gz}. */
    static String fileName(YearMonth month) {
        return "A" + Generator.yyyyMM(month) + ".csv.gz";
    }

    static final String[] HEADER = ("FLX_ANN_MOI;ORG_CLE_REG;AGE_BEN_SNDS;BEN_RES_REG;BEN_CMU_TOP;BEN_QLT_COD;BEN_SEX_COD;"
            + "DDP_SPE_COD;ETE_CAT_SNDS;ETE_REG_COD;ETE_TYP_SNDS;ETP_REG_COD;ETP_CAT_SNDS;MDT_TYP_COD;MFT_COD;PRS_FJH_TYP;"
            + "PRS_ACT_COG;PRS_ACT_NBR;PRS_ACT_QTE;PRS_DEP_MNT;PRS_PAI_MNT;PRS_REM_BSE;PRS_REM_MNT;FLT_ACT_COG;FLT_ACT_NBR;"
            + "FLT_ACT_QTE;FLT_PAI_MNT;FLT_DEP_MNT;FLT_REM_MNT;SOI_ANN;SOI_MOI;ASU_NAT;ATT_NAT;CPL_COD;CPT_ENV_TYP;"
            + "DRG_AFF_NAT;ETE_IND_TAA;EXO_MTF;MTM_NAT;PRS_NAT;PRS_PPU_SEC;PRS_REM_TAU;PRS_REM_TYP;PRS_PDS_QCP;EXE_INS_REG;"
            + "PSE_ACT_SNDS;PSE_ACT_CAT;PSE_SPE_SNDS;PSE_STJ_SNDS;PRE_INS_REG;PSP_ACT_SNDS;PSP_ACT_CAT;PSP_SPE_SNDS;"
            + "PSP_STJ_SNDS;TOP_PS5_TRG;ETB_DCS_MCO").split(";");

    /** Sums of one aggregate cell. */
    static final class Cell {
        BigDecimal quantity = BigDecimal.ZERO;
        BigDecimal expense = BigDecimal.ZERO;
        BigDecimal reimbursed = BigDecimal.ZERO;
    }

    private final Map<String, Cell> cells = new TreeMap<>();

    /** Adds one in-scope claim line (DPN_QLF 71 lines are not in Open DAMIR). */
    void add(ClaimLine l, String region, YearMonth paid) {
        int age = l.ben.age(paid.getYear());
        int band = age < 20 ? 0 : age < 30 ? 20 : age < 40 ? 30 : age < 50 ? 40 : age < 60 ? 50 : age < 70 ? 60 : age < 80 ? 70 : 80;
        String key = region + ";" + band + ";" + l.ben.sex + ";" + l.nature + ";" + l.insurance + ";"
                + l.careStart.getYear() + ";" + l.careStart.getMonthValue();
        Cell c = cells.computeIfAbsent(key, k -> new Cell());
        c.quantity = c.quantity.add(l.quantity);
        c.expense = c.expense.add(l.expense == null ? l.base : l.expense);
        c.reimbursed = c.reimbursed.add(l.reimbursed());
    }

    /** Writes the file; returns the legal-part reimbursed total it holds per region. */
    Map<String, BigDecimal> write(Path dir, YearMonth month, long seed) throws IOException {
        int names = month.getYear() <= 2020 ? HEADER.length - 2 : month.getYear() == 2021 ? HEADER.length - 1 : HEADER.length;
        Map<String, BigDecimal> totals = new TreeMap<>();
        Random r = new Random(seed);
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName(month));
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
             BufferedWriter w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)) {
            w.write(String.join(";", List.of(HEADER).subList(0, names)) + ";\n");
            for (Map.Entry<String, Cell> e : cells.entrySet()) {
                String[] k = e.getKey().split(";");
                Cell c = e.getValue();
                boolean unknownCare = r.nextDouble() < 0.01;
                String careYear = unknownCare ? (r.nextBoolean() ? "0000" : "0001") : k[5];
                String careMonth = unknownCare ? (careYear.equals("0000") ? "00" : "01") : String.format("%02d", Integer.parseInt(k[6]));
                // identical rows are legitimate in Open DAMIR: split some cells into two equal halves
                boolean split = c.reimbursed.unscaledValue().testBit(0) == false && c.expense.unscaledValue().testBit(0) == false
                        && c.quantity.stripTrailingZeros().scale() <= 0 && c.quantity.intValue() % 2 == 0 && r.nextDouble() < 0.2;
                int copies = split ? 2 : 1;
                BigDecimal div = BigDecimal.valueOf(copies);
                for (int i = 0; i < copies; i++) {
                    w.write(row(month, k, careYear, careMonth, c.quantity.divide(div), c.expense.divide(div),
                            c.reimbursed.divide(div), 0, names));
                }
                totals.merge(k[0], c.reimbursed, BigDecimal::add);
                if (r.nextDouble() < 0.01) { // a supplementary (non-legal) part: excluded from amounts
                    w.write(row(month, k, careYear, careMonth, BigDecimal.ZERO, BigDecimal.ZERO,
                            c.reimbursed.divide(BigDecimal.TEN).setScale(2, java.math.RoundingMode.HALF_UP), 2, names));
                }
            }
        }
        return totals;
    }

    private static String row(YearMonth month, String[] k, String careYear, String careMonth, BigDecimal qte,
                              BigDecimal expense, BigDecimal reimbursed, int remType, int names) {
        List<String> f = new ArrayList<>(names + 1);
        for (String h : List.of(HEADER).subList(0, names)) {
            f.add(switch (h) {
                case "FLX_ANN_MOI" -> Generator.yyyyMM(month);
                case "ORG_CLE_REG", "BEN_RES_REG" -> k[0];
                case "AGE_BEN_SNDS" -> k[1];
                case "BEN_SEX_COD" -> k[2];
                case "PRS_NAT" -> k[3];
                case "ASU_NAT" -> k[4];
                case "SOI_ANN" -> careYear;
                case "SOI_MOI" -> careMonth;
                case "PRS_ACT_QTE", "FLT_ACT_QTE" -> plain(qte);
                case "PRS_PAI_MNT", "FLT_PAI_MNT", "PRS_REM_BSE" -> plain(expense);
                case "PRS_REM_MNT", "FLT_REM_MNT" -> plain(reimbursed);
                case "PRS_REM_TYP" -> String.valueOf(remType);
                case "PRS_ACT_NBR", "TOP_PS5_TRG", "ETB_DCS_MCO" -> "";
                default -> "0";
            });
        }
        return String.join(";", f) + ";\n";
    }

    /** 0.61 is published as ".61". */
    static String plain(BigDecimal v) {
        String s = v.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
        if (s.startsWith("0.")) {
            return s.substring(1);
        }
        if (s.startsWith("-0.")) {
            return "-" + s.substring(2);
        }
        return s;
    }
}
