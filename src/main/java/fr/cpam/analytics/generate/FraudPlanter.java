package fr.cpam.analytics.generate;

import fr.cpam.analytics.generate.Population.Beneficiary;
import fr.cpam.analytics.generate.Population.ProKind;
import fr.cpam.analytics.generate.SickLeaveModel.Notice;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Plants the fraud patterns the signals must find, with their labels, and realistic
 * look-alikes that must not be flagged (a cancer patient seeing many doctors, a GP with a very
 * large practice, a rural nurse with long days but normal coefficients ...). Planted
 * professionals get ids numbered from 900001 so they never collide with ordinary ones.
 */
final class FraudPlanter {

    /** One line of {@code ground_truth/fraud_labels.csv}. */
    record Label(String signal, String entityType, String entityId, String org, String kind, String note) {
        String toCsv() {
            return signal + ";" + entityType + ";" + entityId + ";" + org + ";" + kind + ";" + note;
        }
    }

    /** A hospital stay of {@code reference/hospital_stays}. */
    record Stay(String finess, Beneficiary ben, LocalDate entry, LocalDate exit) {
    }

    final List<ClaimLine> lines = new ArrayList<>();
    final List<Notice> notices = new ArrayList<>();
    final List<Stay> stays = new ArrayList<>();
    final List<Label> labels = new ArrayList<>();

    private final Population pop;
    private final CareModel care;
    private final SickLeaveModel sickLeave;
    private final Random r;
    private final int from;
    private final int to;
    private int planted;
    private boolean billDuringStays;

    FraudPlanter(Population pop, CareModel care, SickLeaveModel sickLeave, long seed, int from, int to) {
        this.pop = pop;
        this.care = care;
        this.sickLeave = sickLeave;
        this.r = new Random(seed);
        this.from = from;
        this.to = to;
    }

    void plantAll() {
        ordinaryStays(); // first: planted care avoids stays, except where a stay is the point
        for (int i = 0; i < 3; i++) {
            doctorShopping();
            sameRxMultiPharmacy();
            ijOverlap();
            careAfterDeath();
            careDuringStay();
        }
        for (int i = 0; i < 2; i++) {
            ijPrescriberOutlier();
            nurseCapacity();
            impossibleDay();
            taxiTrips();
            offLabelCovid();
            peerOutlier();
        }
        cancerPatientLookalike();
        largePracticeLookalike();
        ruralNurseLookalike();
    }

    /** A stay the reference table lists and the beneficiary lives (ordinary care then avoids it). */
    private void addStay(String finess, Beneficiary b, LocalDate entry, LocalDate exit) {
        stays.add(new Stay(finess, b, entry, exit));
        b.stays.add(new LocalDate[]{entry, exit});
    }

    private String newPro(int digit) {
        return Population.proId(pop.org, digit, 900001 + planted++);
    }

    private Beneficiary pick(int minAge, int maxAge) {
        while (true) {
            Beneficiary b = pop.beneficiaries.get(r.nextInt(pop.beneficiaries.size()));
            int age = b.age(to);
            if (age >= minAge && age <= maxAge && b.deathDate == null) {
                return b;
            }
        }
    }

    private int year() {
        return from + r.nextInt(to - from + 1);
    }

    private LocalDate day(int year) {
        return LocalDate.of(year, 1, 1).plusDays(r.nextInt(300));
    }

    private ClaimLine line(Beneficiary b, String executant, ProKind kind, LocalDate care, int nature, BigDecimal expense, double rate) {
        ClaimLine l = new ClaimLine();
        l.ben = b;
        l.executant = executant;
        l.exeSpecialty = kind.specialty;
        l.exeActivity = kind.activity;
        l.careStart = care;
        l.careEnd = care;
        l.paid = care.plusDays(3 + r.nextInt(12));
        l.nature = nature;
        CareModel.fee(l, expense, rate, b);
        if (billDuringStays || !b.inHospital(care)) {
            lines.add(l);
        }
        return l;
    }

    private ClaimLine dispense(Beneficiary b, String pharmacy, String prescriber, LocalDate rxDate, LocalDate care,
                               Catalog.Drug d, int boxes) {
        ClaimLine l = line(b, pharmacy, ProKind.PHARMACY, care, 3313, d.price().multiply(BigDecimal.valueOf(boxes)), 0.65);
        l.prescriber = prescriber;
        l.preSpecialty = 1;
        l.prescriptionDate = rxDate;
        l.cip13 = d.cip13();
        l.atc = d.atc();
        l.boxes = BigDecimal.valueOf(boxes);
        l.quantity = BigDecimal.valueOf(boxes);
        return l;
    }

    /** Buprenorphine from 3 prescribers at 4 pharmacies, 28-day treatments overlapping. */
    private void doctorShopping() {
        Beneficiary b = pick(20, 55);
        int y = year();
        int g = r.nextInt(99);
        String[] gps = {pop.pro(ProKind.GP, g), pop.pro(ProKind.GP, g + 1), newPro(1)};
        String[] pharmacies = {pop.pro(ProKind.PHARMACY, 0), pop.pro(ProKind.PHARMACY, 1), pop.pro(ProKind.PHARMACY, 2), newPro(5)};
        LocalDate d = day(y);
        for (int i = 0; i < 18; i++) {
            dispense(b, pharmacies[i % 4], gps[i % 3], d.minusDays(1), d, Catalog.BUPRENORPHINE, 4);
            d = d.plusDays(8 + r.nextInt(4));
        }
        labels.add(new Label("DOCTOR_SHOPPING", "BENEFICIAIRE", b.id, pop.org, "PLANTED",
                "buprenorphine from 3 prescribers at 4 pharmacies in " + y));
    }

    /** The same prescription dispensed by two or three pharmacies. */
    private void sameRxMultiPharmacy() {
        Beneficiary b = pick(20, 70);
        String gp = pop.pro(ProKind.GP, b.gp);
        int y = year();
        for (int k = 0; k < 3; k++) {
            LocalDate rx = day(y);
            int n = 2 + r.nextInt(2);
            for (int p = 0; p < n; p++) {
                dispense(b, pop.pro(ProKind.PHARMACY, p + k), gp, rx, rx.plusDays(p * 2L), Catalog.OXYCODONE, 2);
            }
        }
        labels.add(new Label("SAME_RX_MULTI_PHARMACY", "BENEFICIAIRE", b.id, pop.org, "PLANTED",
                "3 prescriptions each dispensed by 2-3 pharmacies in " + y));
    }

    /** A GP whose patients get long sick leaves far more often than the peers'. */
    private void ijPrescriberOutlier() {
        String gp = newPro(1);
        for (int y = from; y <= to; y++) {
            for (int i = 0; i < 45; i++) {
                Beneficiary b = pick(20, 60);
                LocalDate d = day(y);
                line(b, gp, ProKind.GP, d, 1110, new BigDecimal("25.00"), 0.70);
                if (b.worker) {
                    sickLeave.chain(b, gp, 1, 10, d, 30 + r.nextInt(45), null, r, notices);
                }
            }
        }
        labels.add(new Label("IJ_PRESCRIBER_OUTLIER", "PRESCRIPTEUR", gp, pop.org, "PLANTED",
                "long sick leaves for most working-age patients"));
    }

    /** IJ paid twice for the same days (not a regularisation). */
    private void ijOverlap() {
        Beneficiary b;
        Notice n;
        do { // a worker free of any other notice over those days
            b = pick(25, 60);
            LocalDate start = day(year());
            Notice drawn = sickLeave.notice(b, pop.pro(ProKind.GP, b.gp), 1, 10, start, start.plusDays(40), false, null, start, r);
            n = new Notice(drawn.id(), drawn.ben(), drawn.prescriber(), drawn.prescriberSpecialty(), drawn.employer(),
                    drawn.insurance(), drawn.start(), drawn.end(), false, null, drawn.start(), true);
        } while (!b.worker || !sickLeave.take(n, notices));
        List<ClaimLine> paid = new ArrayList<>();
        sickLeave.payments(n, r, paid);
        lines.addAll(paid);
        for (ClaimLine p : paid.subList(0, Math.min(2, paid.size()))) {
            ClaimLine again = p.copy();
            again.paid = p.paid.plusDays(30);
            lines.add(again);
        }
        labels.add(new Label("IJ_OVERLAP", "BENEFICIAIRE", b.id, pop.org, "PLANTED", "two fortnights paid twice"));
    }

    /** A nurse billing far beyond the convention's yearly ceiling, with days of 6 AIS 3 for one patient. */
    private void nurseCapacity() {
        String nurse = newPro(3);
        int y = year();
        List<Beneficiary> patients = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            patients.add(pick(70, 99));
        }
        for (LocalDate d = LocalDate.of(y, 1, 2); d.getYear() == y; d = d.plusDays(1)) {
            for (Beneficiary b : patients) {
                int acts = b == patients.get(0) && d.getDayOfMonth() % 5 == 0 ? 6 : 1;
                for (int a = 0; a < acts; a++) {
                    ClaimLine l = line(b, nurse, ProKind.NURSE, d, 3112, new BigDecimal("7.95"), 1.0);
                    l.coefficient = new BigDecimal("3");
                    l.prescriber = pop.pro(ProKind.GP, b.gp);
                    l.preSpecialty = 1;
                }
            }
        }
        labels.add(new Label("NURSE_CAPACITY", "PROFESSIONNEL", nurse, pop.org, "PLANTED",
                "about 20,800 AIS coefficients in " + y));
    }

    /**
     * A physiotherapist billing 32 half-hour sessions a day (16 h) on 12 days, to 96 patients of
     * 4 sessions each: an ordinary number of sessions per patient, an impossible day.
     */
    private void impossibleDay() {
        String kine = newPro(4);
        int y = year();
        List<Beneficiary> patients = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            patients.add(pick(18, 90));
        }
        LocalDate d = day(y);
        for (int day = 0; day < 12; day++, d = d.plusDays(1)) {
            for (int k = 0; k < 32; k++) {
                Beneficiary b = patients.get((day * 32 + k) % patients.size());
                ClaimLine l = line(b, kine, ProKind.PHYSIO, d, 3122, new BigDecimal("16.13"), 0.60);
                l.coefficient = new BigDecimal("7.5");
            }
        }
        labels.add(new Label("IMPOSSIBLE_DAY", "PROFESSIONNEL", kine, pop.org, "PLANTED",
                "32 physiotherapy sessions a day (16 h) on 12 days"));
    }

    /** A taxi with 12 trips a day, where peers make 1 to 3. */
    private void taxiTrips() {
        String taxi = newPro(7);
        int y = year();
        LocalDate d = day(y);
        for (int day = 0; day < 20; day++, d = d.plusDays(1)) {
            for (int t = 0; t < 12; t++) {
                Beneficiary b = pick(50, 95);
                ClaimLine l = line(b, taxi, ProKind.TAXI, d, 4214, new BigDecimal("48.00"), 0.65);
                l.prescriber = pop.pro(ProKind.GP, b.gp);
                l.preSpecialty = 1;
            }
        }
        labels.add(new Label("TAXI_TRIPS_PER_DAY", "PROFESSIONNEL", taxi, pop.org, "PLANTED", "12 trips a day on 20 days"));
    }

    /** Care billed after the beneficiary's death, by a nurse and a pharmacy. */
    private void careAfterDeath() {
        Beneficiary b = pick(70, 99);
        LocalDate death = LocalDate.of(from, 3, 1).plusDays(r.nextInt(Math.max(200, 365 * (to - from))));
        b.deathDate = death;
        String nurse = newPro(3);
        for (int i = 1; i <= 12; i++) {
            ClaimLine l = line(b, nurse, ProKind.NURSE, death.plusDays(i * 2L), 3111, new BigDecimal("9.45"), 0.60);
            l.coefficient = new BigDecimal("3");
        }
        labels.add(new Label("CARE_AFTER_DEATH", "PROFESSIONNEL", nurse, pop.org, "PLANTED", "nursing billed after death"));
        labels.add(new Label("CARE_AFTER_DEATH", "BENEFICIAIRE", b.id, pop.org, "PLANTED", "nursing billed after death"));
        // look-alike: care before death paid after it (a normal late payment)
        Beneficiary c = pick(75, 99);
        c.deathDate = death.plusDays(40);
        ClaimLine late = line(c, pop.pro(ProKind.GP, c.gp), ProKind.GP, c.deathDate.minusDays(2), 1210,
                new BigDecimal("35.00"), 0.70);
        late.paid = c.deathDate.plusDays(10);
        labels.add(new Label("CARE_AFTER_DEATH", "BENEFICIAIRE", c.id, pop.org, "LOOKALIKE", "visit before death, paid after"));
    }

    /** A nurse billing daily care for a patient who is in hospital. */
    private void careDuringStay() {
        Beneficiary b = pick(70, 95);
        int y = year();
        LocalDate entry = day(y);
        LocalDate exit = entry.plusDays(12 + r.nextInt(8));
        String finess = "92" + String.format("%07d", 100 + r.nextInt(800));
        addStay(finess, b, entry, exit);
        String nurse = newPro(3);
        billDuringStays = true;
        for (LocalDate d = entry.plusDays(1); d.isBefore(exit); d = d.plusDays(1)) {
            ClaimLine l = line(b, nurse, ProKind.NURSE, d, 3112, new BigDecimal("7.95"), 1.0);
            l.coefficient = new BigDecimal("3");
        }
        billDuringStays = false;
        // look-alike: the ambulance that takes the patient in (transport is excluded from the check)
        String ambulance = pop.pro(ProKind.AMBULANCE, 0);
        line(b, ambulance, ProKind.AMBULANCE, entry, 4212, new BigDecimal("120.00"), 0.65);
        labels.add(new Label("CARE_DURING_HOSPITAL_STAY", "PROFESSIONNEL", nurse, pop.org, "PLANTED",
                "daily nursing billed during a hospital stay"));
    }

    /** Ivermectin with azithromycin for many patients in 2020-2021. */
    private void offLabelCovid() {
        String gp = newPro(1);
        int y = Math.max(from, Math.min(to, 2020 + r.nextInt(2)));
        for (int i = 0; i < 30; i++) {
            Beneficiary b = pick(18, 80);
            LocalDate d = LocalDate.of(y, 3, 15).plusDays(r.nextInt(250));
            line(b, gp, ProKind.GP, d, 1110, new BigDecimal("25.00"), 0.70);
            String pharmacy = pop.pro(ProKind.PHARMACY, b.pharmacy);
            dispense(b, pharmacy, gp, d, d.plusDays(1), Catalog.IVERMECTIN, 1);
            dispense(b, pharmacy, gp, d, d.plusDays(1), i % 3 == 0 ? Catalog.HYDROXYCHLOROQUINE : Catalog.AZITHROMYCIN, 1);
        }
        labels.add(new Label("OFF_LABEL_COVID", "PRESCRIPTEUR", gp, pop.org, "PLANTED",
                "ivermectin with azithromycin or hydroxychloroquine for 30 patients in " + y));
    }

    /** A GP billing a dozen consultations a year to each patient. */
    private void peerOutlier() {
        String gp = newPro(1);
        int y = year();
        for (int i = 0; i < 60; i++) {
            Beneficiary b = pick(18, 90);
            for (int k = 0; k < 14; k++) {
                line(b, gp, ProKind.GP, LocalDate.of(y, 1, 3).plusDays(k * 25L + r.nextInt(10)), 1110,
                        new BigDecimal("25.00"), 0.70);
            }
        }
        labels.add(new Label("PEER_OUTLIER", "PROFESSIONNEL", gp, pop.org, "PLANTED", "14 consultations per patient in " + y));
    }

    /** Look-alike of doctor shopping: a cancer patient with several oncologists, non-abuse drugs. */
    private void cancerPatientLookalike() {
        Beneficiary b = pick(45, 80);
        int y = year();
        LocalDate d = day(y);
        for (int i = 0; i < 10; i++) {
            dispense(b, pop.pro(ProKind.PHARMACY, i % 2), pop.pro(ProKind.SPECIALIST, i % 4), d, d, Catalog.CANCER_DRUG, 1);
            dispense(b, pop.pro(ProKind.PHARMACY, i % 2), pop.pro(ProKind.SPECIALIST, i % 4), d, d, Catalog.PAIN_RELIEF, 2);
            d = d.plusDays(20);
        }
        labels.add(new Label("DOCTOR_SHOPPING", "BENEFICIAIRE", b.id, pop.org, "LOOKALIKE",
                "cancer patient: 4 oncologists, 2 pharmacies, no drug of abuse interest"));
    }

    /** Look-alike of the IJ prescriber outlier: a very large practice with ordinary sick leaves. */
    private void largePracticeLookalike() {
        String gp = newPro(1);
        for (int y = from; y <= to; y++) {
            for (int i = 0; i < 350; i++) {
                Beneficiary b = pick(5, 90);
                line(b, gp, ProKind.GP, day(y), 1110, new BigDecimal("25.00"), 0.70);
                if (b.worker && b.age(y) <= 64 && r.nextDouble() < 0.15) {
                    sickLeave.chain(b, gp, 1, 10, day(y), 3 + r.nextInt(10), null, r, notices);
                }
            }
        }
        labels.add(new Label("IJ_PRESCRIBER_OUTLIER", "PRESCRIPTEUR", gp, pop.org, "LOOKALIKE",
                "very large practice, ordinary sick leaves"));
        labels.add(new Label("PEER_OUTLIER", "PROFESSIONNEL", gp, pop.org, "LOOKALIKE", "very large practice"));
    }

    /** Look-alike of nurse capacity / impossible day: long rural days, ordinary coefficients. */
    private void ruralNurseLookalike() {
        String nurse = newPro(3);
        int y = year();
        List<Beneficiary> patients = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            patients.add(pick(70, 99));
        }
        for (LocalDate d = LocalDate.of(y, 1, 2); d.getYear() == y; d = d.plusDays(1)) {
            for (Beneficiary b : patients) {
                ClaimLine l = line(b, nurse, ProKind.NURSE, d, 3112, new BigDecimal("7.95"), 1.0);
                l.coefficient = new BigDecimal("3");
                line(b, nurse, ProKind.NURSE, d, 1848, new BigDecimal("2.75"), 1.0).coefficient = BigDecimal.ONE;
            }
        }
        labels.add(new Label("NURSE_CAPACITY", "PROFESSIONNEL", nurse, pop.org, "LOOKALIKE",
                "rural nurse: long days, about 10,000 coefficients a year"));
        labels.add(new Label("IMPOSSIBLE_DAY", "PROFESSIONNEL", nurse, pop.org, "LOOKALIKE", "rural nurse: long days"));
    }

    /** Ordinary stays: about 6 % of people a year, 1 to 10 days. */
    private void ordinaryStays() {
        for (Beneficiary b : pop.beneficiaries) {
            for (int y = from; y <= to; y++) {
                if (r.nextDouble() < 0.03 + b.age(y) / 1500.0) {
                    LocalDate entry = day(y);
                    addStay("92" + String.format("%07d", 100 + r.nextInt(800)), b, entry, entry.plusDays(1 + r.nextInt(10)));
                }
            }
        }
    }
}
