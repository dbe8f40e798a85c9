package fr.cpam.analytics.generate;

import fr.cpam.analytics.generate.Population.Beneficiary;
import fr.cpam.analytics.generate.Population.ProKind;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

/**
 * Sick-leave notices and the IJ payments they give rise to. Maladie notices wait 3 days
 * (carence) except Covid derogatory ones; payments cover fortnights and are paid 5 to 20 days
 * after; a notice's chain (with its prolongations) switches from the "< 3 mois" natures to
 * "> 3 mois" after 90 days. A few notices are never transmitted, so their payments stay
 * unlinked, as in real data.
 */
final class SickLeaveModel {

    /** One avis d'arrêt de travail. */
    record Notice(String id, Beneficiary ben, String prescriber, int prescriberSpecialty, String employer,
                  int insurance, LocalDate start, LocalDate end, boolean prolongation, String covidMotive,
                  LocalDate chainStart, boolean transmitted) {
    }

    private final Population pop;
    private int sequence;

    SickLeaveModel(Population pop) {
        this.pop = pop;
    }

    String nextId() {
        return "A" + pop.org + String.format("%08d", ++sequence);
    }

    /** Notices of one beneficiary starting in {@code year}. */
    void notices(Beneficiary b, int year, Random r, List<Notice> out) {
        if (!b.worker || b.age(year) > 64) {
            return;
        }
        String gp = pop.pro(ProKind.GP, b.gp);
        for (int i = CareModel.poisson(r, 0.27 * (0.6 + 0.4 * b.propensity)); i > 0; i--) {
            LocalDate start = LocalDate.of(year, 1, 1).plusDays(r.nextInt(365));
            int days = (int) Math.min(360, Math.max(1, Math.round(Math.exp(Math.log(8) + 1.4 * r.nextGaussian()))));
            chain(b, gp, 1, 10, start, days, null, r, out);
        }
        if (r.nextDouble() < 0.035) { // work accident / occupational disease
            LocalDate start = LocalDate.of(year, 1, 1).plusDays(r.nextInt(365));
            int days = (int) Math.min(360, Math.max(2, Math.round(Math.exp(Math.log(20) + 1.2 * r.nextGaussian()))));
            chain(b, gp, 1, 40, start, days, null, r, out);
        }
        int age = b.age(year);
        if (b.sex == 2 && age >= 22 && age <= 42 && r.nextDouble() < 0.05) {
            LocalDate start = LocalDate.of(year, 1, 1).plusDays(r.nextInt(365));
            take(notice(b, gp, 7, 30, start, start.plusDays(111), false, null, start, r), out);
        }
        if (b.sex == 1 && age >= 22 && age <= 45 && r.nextDouble() < 0.03) {
            LocalDate start = LocalDate.of(year, 1, 1).plusDays(r.nextInt(365));
            take(notice(b, gp, 1, 30, start, start.plusDays(24), false, null, start, r), out);
        }
        for (int month = 1; month <= 12; month++) {
            String motive = covidMotive(YearMonth.of(year, month), r);
            if (motive != null) {
                LocalDate start = LocalDate.of(year, month, 1 + r.nextInt(28));
                int days = motive.equals("COVID_GARDE_ENFANT") || motive.equals("COVID_VULNERABLE")
                        ? 14 + r.nextInt(30) : 5 + r.nextInt(9);
                take(notice(b, gp, 1, 10, start, start.plusDays(days - 1), false, motive, start, r), out);
            }
        }
    }

    /** Derogatory notices: child care and vulnerable people in spring 2020, then positive cases and contacts. */
    private static String covidMotive(YearMonth m, Random r) {
        int y = m.getYear();
        int mo = m.getMonthValue();
        double u = r.nextDouble();
        if (y == 2020 && mo >= 3 && mo <= 5) {
            return u < 0.020 ? "COVID_GARDE_ENFANT" : u < 0.030 ? "COVID_VULNERABLE" : u < 0.035 ? "COVID_POSITIF" : null;
        }
        if ((y == 2020 && mo >= 9) || y == 2021) {
            return u < 0.007 ? "COVID_POSITIF" : u < 0.011 ? "COVID_CONTACT" : u < 0.012 ? "COVID_AUTRE" : null;
        }
        if (y == 2022) {
            double peak = mo <= 2 ? 3 : 1;
            return u < 0.009 * peak ? "COVID_POSITIF" : u < 0.013 * peak ? "COVID_CONTACT" : null;
        }
        return null;
    }

    /** A notice and, sometimes, its prolongations. */
    void chain(Beneficiary b, String prescriber, int specialty, int insurance, LocalDate start, int days,
               String motive, Random r, List<Notice> out) {
        LocalDate chainStart = start;
        LocalDate s = start;
        int d = days;
        boolean prolongation = false;
        do {
            Notice n = notice(b, prescriber, specialty, insurance, s, s.plusDays(d - 1), prolongation, motive, chainStart, r);
            if (!take(n, out)) {
                break;
            }
            s = n.end().plusDays(1);
            d = (int) Math.max(3, Math.round(Math.exp(Math.log(14) + 0.8 * r.nextGaussian())));
            prolongation = true;
        } while (r.nextDouble() < 0.15);
    }

    /**
     * Keeps a notice unless it overlaps one the person already has: nobody is off work twice
     * on the same day (only the IJ_OVERLAP fraud pays days twice).
     */
    boolean take(Notice n, List<Notice> out) {
        for (LocalDate[] busy : n.ben().offWork) {
            if (!n.start().isAfter(busy[1]) && !busy[0].isAfter(n.end())) {
                return false;
            }
        }
        n.ben().offWork.add(new LocalDate[]{n.start(), n.end()});
        out.add(n);
        return true;
    }

    Notice notice(Beneficiary b, String prescriber, int specialty, int insurance, LocalDate start, LocalDate end,
                  boolean prolongation, String motive, LocalDate chainStart, Random r) {
        return new Notice(nextId(), b, prescriber, specialty, "E" + pop.org + String.format("%06d", r.nextInt(4000)),
                insurance, start, end, prolongation, motive, chainStart, r.nextDouble() >= 0.03);
    }

    /** IJ payment lines of a notice, by fortnight. */
    void payments(Notice n, Random r, List<ClaimLine> out) {
        boolean maternity = n.insurance() == 30 && n.end().isAfter(n.start().plusDays(60));
        boolean paternity = n.insurance() == 30 && !maternity;
        int wait = n.insurance() == 10 && n.covidMotive() == null && !n.prolongation() ? 3 : 0;
        LocalDate from = n.start().plusDays(wait);
        double daily = n.ben().dailyIj * (n.insurance() == 40 ? 1.2 : n.insurance() == 30 ? 1.3 : 1.0);
        while (!from.isAfter(n.end())) {
            LocalDate to = from.plusDays(13).isAfter(n.end()) ? n.end() : from.plusDays(13);
            if (!n.ben().aliveOn(to)) {
                break;
            }
            int days = (int) ChronoUnit.DAYS.between(from, to) + 1;
            ClaimLine l = new ClaimLine();
            l.ben = n.ben();
            l.executant = "000000000";
            l.exeActivity = 0;
            l.prescriber = n.prescriber();
            l.preSpecialty = n.prescriberSpecialty();
            l.prescriptionDate = n.start();
            l.careStart = from;
            l.careEnd = to;
            l.paid = to.plusDays(5 + r.nextInt(16));
            l.insurance = n.insurance();
            boolean longLeave = ChronoUnit.DAYS.between(n.chainStart(), from) >= 90;
            l.nature = maternity ? (from.isBefore(n.start().plusDays(42)) ? 6121 : 6122)
                    : paternity ? 6212 : longLeave ? 6112 : 6111;
            l.quantity = BigDecimal.valueOf(days);
            l.coefficient = BigDecimal.ONE;
            l.expense = Money.eur(daily).multiply(BigDecimal.valueOf(days));
            l.base = l.expense;
            l.complement = BigDecimal.ZERO;
            out.add(l);
            from = to.plusDays(1);
        }
    }

    static String csvHeader() {
        return "ARR_NUM;BEN_NIR_PSA;BEN_RNG_GEM;ORG_AFF_BEN;PFS_PRE_NUM;PSP_SPE_COD;IJR_EMP_NUM;RGO_ASU_NAT;"
                + "ARR_DEB_DTE;ARR_FIN_DTE;ARR_PRO_TOP;ARR_DRG_MTF";
    }

    static String toCsv(Notice n, String org) {
        return n.id() + ";" + n.ben().id + ";1;" + org + ";" + n.prescriber() + ";" + n.prescriberSpecialty() + ";"
                + n.employer() + ";" + n.insurance() + ";" + n.start() + ";" + n.end() + ";"
                + (n.prolongation() ? 1 : 0) + ";" + (n.covidMotive() == null ? "" : n.covidMotive());
    }
}
