package fr.cpam.analytics.generate;

import fr.cpam.analytics.generate.Population.Beneficiary;
import fr.cpam.analytics.generate.Population.ProKind;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Ordinary soins de ville of one beneficiary paid in one month. Rates are yearly events for a
 * person of average propensity, shaped by season, age, the Covid years and a slow growth;
 * amounts follow the tariffs of 2019-2022 and the usual reimbursement rates (100 % for the
 * chronically ill). Calibrated so that a fund's mix is that of a real one: médicaments ~30 %,
 * honoraires médicaux ~22 %, IJ ~15 %, auxiliaires ~9 %, biologie ~6 %, dentaires ~6 %,
 * LPP ~6 %, transports ~3 % (IJ come from {@link SickLeaveModel}).
 */
final class CareModel {

    /** Winter peak, summer trough. */
    private static final double[] SEASON = {1.15, 1.10, 1.05, 0.98, 0.95, 0.92, 0.85, 0.75, 0.98, 1.05, 1.08, 1.14};

    private final Population pop;
    private final Catalog catalog;
    private final int fromYear;

    CareModel(Population pop, Catalog catalog, int fromYear) {
        this.pop = pop;
        this.catalog = catalog;
        this.fromYear = fromYear;
    }

    /** Non-Covid care volume: 2020's lockdown, then a slow growth of 2 % a year. */
    static double activity(YearMonth m) {
        double f = Math.pow(1.02, m.getYear() - 2019);
        if (m.getYear() == 2020) {
            f *= switch (m.getMonthValue()) {
                case 3 -> 0.85;
                case 4 -> 0.60;
                case 5 -> 0.75;
                default -> 1.0;
            };
        }
        return f * SEASON[m.getMonthValue() - 1];
    }

    /** Covid tests per person and year, by month (zero before March 2020). */
    static double covidTestRate(YearMonth m) {
        int y = m.getYear();
        int mo = m.getMonthValue();
        if (y < 2020 || (y == 2020 && mo < 3)) {
            return 0;
        }
        if (y == 2020) {
            return mo < 9 ? 0.5 : 1.6;
        }
        if (y == 2021) {
            return mo == 8 || mo == 12 ? 3.4 : 2.1;
        }
        if (y == 2022) {
            return mo <= 2 ? 3.6 : 0.9;
        }
        return 0.2;
    }

    void generate(Beneficiary b, YearMonth month, Random r, Consumer<ClaimLine> out) {
        double act = activity(month) * b.propensity / 12.0;
        int age = b.age(month.getYear());
        boolean covidEra = month.getYear() >= 2020 && !(month.getYear() == 2020 && month.getMonthValue() < 3);
        // consultations with the GP, part of them teleconsultations once they are common
        double tele = covidEra ? 0.14 : 0.02;
        for (int i = poisson(r, act * (b.chronic ? 6.5 : 3.6)); i > 0; i--) {
            boolean t = r.nextDouble() < tele;
            ClaimLine l = base(b, month, r, ProKind.GP, b.gp);
            l.nature = t ? 1191 : 1110;
            doctorFee(l, new BigDecimal("25.00"), b);
            emit(l, out);
        }
        if (age >= 75) {
            for (int i = poisson(r, act * 1.6); i > 0; i--) {
                ClaimLine l = base(b, month, r, ProKind.GP, b.gp);
                l.nature = 1210;
                doctorFee(l, new BigDecimal("35.00"), b);
                emit(l, out);
            }
        }
        for (int i = poisson(r, act * 1.7); i > 0; i--) {
            int s = r.nextInt(pop.count(ProKind.SPECIALIST));
            ClaimLine l = base(b, month, r, ProKind.SPECIALIST, s);
            l.exeSpecialty = pop.specialistSpecialty[s];
            l.nature = 1112;
            prescribedBy(l, b, r);
            doctorFee(l, new BigDecimal("30.00"), b);
            emit(l, out);
        }
        for (int i = poisson(r, act * 0.9); i > 0; i--) {
            int s = r.nextInt(pop.count(ProKind.SPECIALIST));
            ClaimLine l = base(b, month, r, ProKind.SPECIALIST, s);
            l.exeSpecialty = pop.specialistSpecialty[s];
            l.nature = r.nextBoolean() ? 1352 : 1351;
            l.ccam = Catalog.CCAM[r.nextInt(Catalog.CCAM.length)];
            doctorFee(l, Money.eur(25 + 120 * Population.gamma2(r)), b);
            emit(l, out);
        }
        pharmacy(b, month, r, act, out);
        auxiliaries(b, month, r, act, age, out);
        biology(b, month, r, act, out);
        for (int i = poisson(r, act * 0.75); i > 0; i--) {
            ClaimLine l = base(b, month, r, ProKind.DENTIST, r.nextInt(pop.count(ProKind.DENTIST)));
            l.nature = Catalog.DENTAL_NATURES[r.nextInt(Catalog.DENTAL_NATURES.length)];
            fee(l, Money.eur(30 + 130 * Population.gamma2(r)), 0.70, b);
            emit(l, out);
        }
        for (int i = poisson(r, act * (0.18 + age / 200.0)); i > 0; i--) {
            ClaimLine l = base(b, month, r, ProKind.SUPPLIER, r.nextInt(pop.count(ProKind.SUPPLIER)));
            l.nature = Catalog.LPP_NATURES[r.nextInt(Catalog.LPP_NATURES.length)];
            prescribedBy(l, b, r);
            fee(l, Money.eur(40 + 180 * Population.gamma2(r)), 0.60, b);
            emit(l, out);
        }
        if (b.chronic || age >= 70) {
            for (int i = poisson(r, act * 0.7); i > 0; i--) {
                double u = r.nextDouble();
                ProKind k = u < 0.6 ? ProKind.TAXI : ProKind.AMBULANCE;
                ClaimLine l = base(b, month, r, k, r.nextInt(pop.count(k)));
                l.nature = u < 0.6 ? 4214 : u < 0.85 ? 4212 : 4213;
                prescribedBy(l, b, r);
                fee(l, Money.eur(u < 0.6 ? 30 + 40 * Population.gamma2(r) : 60 + 90 * Population.gamma2(r)), 0.65, b);
                emit(l, out);
            }
        }
        for (int i = poisson(r, act * 0.05); i > 0; i--) {
            ClaimLine l = base(b, month, r, ProKind.SUPPLIER, r.nextInt(pop.count(ProKind.SUPPLIER)));
            l.nature = 4141; // forfait thermal: AUTRES
            prescribedBy(l, b, r);
            fee(l, Money.eur(180 + 150 * r.nextDouble()), 0.65, b);
            emit(l, out);
        }
        if (month.getYear() >= 2021) {
            for (int i = poisson(r, month.getYear() == 2021 ? 0.08 : 0.03); i > 0; i--) {
                ClaimLine l = base(b, month, r, ProKind.GP, b.gp);
                l.nature = 1929; // Covid-19 vaccination
                fee(l, new BigDecimal("9.60"), 1.0, b);
                emit(l, out);
            }
        }
    }

    private void pharmacy(Beneficiary b, YearMonth month, Random r, double act, Consumer<ClaimLine> out) {
        int visits = poisson(r, act * 9.0) + (b.chronic && r.nextDouble() < 0.9 ? 1 : 0);
        for (int v = 0; v < visits; v++) {
            ClaimLine first = base(b, month, r, ProKind.PHARMACY, r.nextDouble() < 0.85 ? b.pharmacy : r.nextInt(1000));
            prescribedBy(first, b, r);
            int lines = 1 + r.nextInt(3);
            int boxes = 0;
            for (int k = 0; k < lines; k++) {
                Catalog.Drug d = drug(r, month.getYear());
                ClaimLine l = first.copy();
                int q = 1 + (r.nextDouble() < 0.3 ? 1 : 0) + (b.chronic && r.nextDouble() < 0.4 ? 1 : 0);
                boxes += q;
                l.cip13 = d.cip13();
                l.atc = d.atc();
                l.boxes = BigDecimal.valueOf(q);
                l.quantity = BigDecimal.valueOf(q);
                double rate = b.chronic ? 1.0 : 0.65;
                l.nature = b.chronic ? 3311 : r.nextDouble() < 0.1 ? 3341 : 3313;
                if (l.nature == 3341) {
                    rate = 0.15;
                }
                fee(l, d.price().multiply(BigDecimal.valueOf(q)), rate, b);
                emit(l, out);
            }
            ClaimLine fee = first.copy();
            fee.nature = 3364; // honoraire de dispensation par boîte
            fee.quantity = BigDecimal.valueOf(boxes);
            fee(fee, new BigDecimal("1.02").multiply(BigDecimal.valueOf(boxes)), b.chronic ? 1.0 : 0.70, b);
            emit(fee, out);
        }
    }

    private void auxiliaries(Beneficiary b, YearMonth month, Random r, double act, int age, Consumer<ClaimLine> out) {
        if (r.nextDouble() < act * (0.40 + age / 90.0)) { // a nursing episode this month
            int acts = 3 + r.nextInt(10);
            for (int i = 0; i < acts; i++) {
                ClaimLine l = base(b, month, r, ProKind.NURSE, b.nurse);
                prescribedBy(l, b, r);
                l.nature = 3111;
                l.coefficient = BigDecimal.valueOf(1 + r.nextInt(4));
                fee(l, new BigDecimal("3.15").multiply(l.coefficient), 0.60, b);
                emit(l, out);
            }
        }
        if (b.dependent) { // daily nursing care: AIS 3, about every other day
            int days = 10 + r.nextInt(8);
            for (int i = 0; i < days; i++) {
                ClaimLine l = base(b, month, r, ProKind.NURSE, b.nurse);
                l.prescriber = pop.pro(ProKind.GP, b.gp);
                l.preSpecialty = 1;
                l.nature = 3112;
                l.coefficient = new BigDecimal("3");
                fee(l, new BigDecimal("7.95"), 1.0, b);
                emit(l, out);
            }
        }
        if (r.nextDouble() < act * 0.28) { // physiotherapy series
            int sessions = 4 + r.nextInt(6);
            int kine = r.nextInt(pop.count(ProKind.PHYSIO));
            for (int i = 0; i < sessions; i++) {
                ClaimLine l = base(b, month, r, ProKind.PHYSIO, kine);
                prescribedBy(l, b, r);
                l.nature = 3122;
                l.coefficient = new BigDecimal("7.5");
                fee(l, new BigDecimal("16.13"), 0.60, b);
                emit(l, out);
            }
        }
    }

    private void biology(Beneficiary b, YearMonth month, Random r, double act, Consumer<ClaimLine> out) {
        for (int i = poisson(r, act * 1.6); i > 0; i--) {
            ClaimLine first = base(b, month, r, ProKind.LAB, r.nextInt(pop.count(ProKind.LAB)));
            prescribedBy(first, b, r);
            for (int k = 0; k < 2; k++) {
                ClaimLine l = first.copy();
                l.nature = 3211;
                l.nabm = Catalog.NABM[r.nextInt(Catalog.NABM.length)];
                fee(l, Money.eur(6 + 24 * Population.gamma2(r)), 0.60, b);
                emit(l, out);
            }
            ClaimLine p = first.copy();
            p.nature = 3222;
            fee(p, new BigDecimal("4.50"), 0.60, b);
            emit(p, out);
        }
        double tests = covidTestRate(month) / 12.0 * (0.5 + b.propensity / 2);
        for (int i = poisson(r, tests); i > 0; i--) {
            ClaimLine l = base(b, month, r, ProKind.LAB, r.nextInt(pop.count(ProKind.LAB)));
            l.nature = 3211;
            boolean antigen = month.isAfter(YearMonth.of(2020, 10)) && r.nextDouble() < 0.35;
            l.nabm = antigen ? 4274 : r.nextDouble() < 0.05 ? 4719 : 5271;
            double price = antigen ? 22.0 : l.nabm == 4719 ? 9.45 : month.getYear() == 2020 ? 54.0
                    : month.getYear() == 2021 ? 43.2 : 32.4;
            fee(l, Money.eur(price), 1.0, b);
            if (!l.careStart.isBefore(LocalDate.of(2020, 3, 7))) {
                emit(l, out);
            }
        }
    }

    private Catalog.Drug drug(Random r, int year) {
        while (true) {
            Catalog.Drug d = catalog.drugs[r.nextInt(catalog.drugs.length)];
            double weight = Math.pow(1 + d.trend(), year - fromYear) / 1.4;
            if (r.nextDouble() < weight) {
                return d;
            }
        }
    }

    /** A line paid in {@code month}, care 0 to 30 days earlier, billed by a professional of kind k. */
    ClaimLine base(Beneficiary b, YearMonth month, Random r, ProKind k, int proIndex) {
        ClaimLine l = new ClaimLine();
        l.ben = b;
        l.paid = month.atDay(1 + r.nextInt(month.lengthOfMonth()));
        l.careStart = l.paid.minusDays(r.nextInt(31));
        l.careEnd = l.careStart;
        l.executant = pop.pro(k, proIndex);
        l.exeSpecialty = k.specialty;
        l.exeActivity = k.activity;
        return l;
    }

    private void prescribedBy(ClaimLine l, Beneficiary b, Random r) {
        l.prescriber = pop.pro(ProKind.GP, r.nextDouble() < 0.85 ? b.gp : r.nextInt(1000));
        l.preSpecialty = 1;
        l.prescriptionDate = l.careStart.minusDays(r.nextInt(10));
    }

    private static void doctorFee(ClaimLine l, BigDecimal tariff, Beneficiary b) {
        fee(l, tariff, 0.70, b);
    }

    /** Expense and reimbursement: the rate applies to the tariff, 100 % for the chronically ill. */
    static void fee(ClaimLine l, BigDecimal expense, double rate, Beneficiary b) {
        l.expense = expense.setScale(2, java.math.RoundingMode.HALF_UP);
        l.base = Money.rate(l.expense, b.chronic ? 1.0 : rate);
        l.complement = BigDecimal.ZERO;
    }

    /**
     * The dead receive no care, and nobody receives ville care while in hospital: such a line is
     * never emitted (only fraud plants them).
     */
    private static void emit(ClaimLine l, Consumer<ClaimLine> out) {
        if (l.ben.aliveOn(l.careStart) && !l.ben.inHospital(l.careStart)) {
            out.accept(l);
        }
    }

    static int poisson(Random r, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        double l = Math.exp(-lambda);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l && k < 1000);
        return k - 1;
    }
}
