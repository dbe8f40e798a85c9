package fr.cpam.analytics.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The beneficiaries and health professionals of one fund, drawn deterministically from a seed. */
final class Population {

    /** One beneficiary (BEN_NIR_PSA, BEN_RNG_GEM = 1). */
    static final class Beneficiary {
        final String id;
        final int birthYear;
        final int sex;
        final double propensity;   // how much care this person uses (gamma-like, mean 1)
        final boolean chronic;     // monthly pharmacy, more visits
        final boolean dependent;   // daily nursing care
        final boolean worker;      // salaried: may receive IJ
        final double dailyIj;      // daily IJ amount in euros
        final int gp;              // index of the médecin traitant
        final int pharmacy;        // usual pharmacy
        final int nurse;
        LocalDate deathDate;       // null when alive
        final List<LocalDate[]> stays = new ArrayList<>(0); // hospital stays {entry, exit}, set before care is drawn
        final List<LocalDate[]> offWork = new ArrayList<>(0); // sick-leave notices {first, last day} already drawn

        Beneficiary(String id, int birthYear, int sex, double propensity, boolean chronic, boolean dependent,
                    boolean worker, double dailyIj, int gp, int pharmacy, int nurse) {
            this.id = id;
            this.birthYear = birthYear;
            this.sex = sex;
            this.propensity = propensity;
            this.chronic = chronic;
            this.dependent = dependent;
            this.worker = worker;
            this.dailyIj = dailyIj;
            this.gp = gp;
            this.pharmacy = pharmacy;
            this.nurse = nurse;
        }

        int age(int year) {
            return year - birthYear;
        }

        boolean aliveOn(LocalDate d) {
            return deathDate == null || !d.isAfter(deathDate);
        }

        /** Strictly inside a hospital stay: ordinary ville care is not billed then (entry and exit days are). */
        boolean inHospital(LocalDate d) {
            for (LocalDate[] s : stays) {
                if (d.isAfter(s[0]) && d.isBefore(s[1])) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Kinds of professionals: id digit, specialty (PSE_SPE_COD), activity (PSE_ACT_NAT), count per 1,000 people. */
    enum ProKind {
        GP(1, 1, 1, 1.2), SPECIALIST(2, 0, 1, 1.0), NURSE(3, 0, 24, 1.8), PHYSIO(4, 0, 26, 0.8),
        PHARMACY(5, 0, 50, 0.4), LAB(6, 38, 39, 0.12), TAXI(7, 0, 56, 0.5), AMBULANCE(8, 0, 55, 0.15),
        DENTIST(9, 19, 19, 0.6), SUPPLIER(0, 0, 60, 0.2);

        final int digit;
        final int specialty;
        final int activity;
        final double perThousand;

        ProKind(int digit, int specialty, int activity, double perThousand) {
            this.digit = digit;
            this.specialty = specialty;
            this.activity = activity;
            this.perThousand = perThousand;
        }
    }

    static final int[] SPECIALIST_SPECIALTIES = {3, 5, 6, 7, 8, 11, 13, 14, 15, 32, 33, 42};

    final String org;
    final String region;
    final List<Beneficiary> beneficiaries = new ArrayList<>();
    final String[][] pros = new String[ProKind.values().length][];
    final int[] specialistSpecialty;

    Population(String org, int size, long seed, int fromYear, int toYear) {
        this.org = org;
        this.region = Regions.regionOf(org);
        Random r = new Random(seed);
        for (ProKind k : ProKind.values()) {
            // at least 8 of each kind, so even a small fund has peer groups for the fraud signals
            int n = Math.max(8, (int) Math.round(size * k.perThousand / 1000.0));
            pros[k.ordinal()] = new String[n];
            for (int i = 0; i < n; i++) {
                pros[k.ordinal()][i] = proId(org, k.digit, i + 1);
            }
        }
        specialistSpecialty = new int[pros[ProKind.SPECIALIST.ordinal()].length];
        for (int i = 0; i < specialistSpecialty.length; i++) {
            specialistSpecialty[i] = SPECIALIST_SPECIALTIES[i % SPECIALIST_SPECIALTIES.length];
        }
        for (int i = 0; i < size; i++) {
            int age = sampleAge(r);
            int birthYear = toYear - age;
            int sex = r.nextBoolean() ? 1 : 2;
            double propensity = gamma2(r) * (0.6 + age / 80.0);
            boolean chronic = r.nextDouble() < 0.08 + age / 160.0;
            boolean dependent = age >= 75 && r.nextDouble() < 0.12;
            boolean worker = age >= 18 && age <= 64 && r.nextDouble() < 0.72;
            double daily = 25 + r.nextInt(3600) / 100.0;
            Beneficiary b = new Beneficiary(benId(org, i + 1), birthYear, sex, propensity, chronic, dependent, worker,
                    daily, r.nextInt(count(ProKind.GP)), r.nextInt(count(ProKind.PHARMACY)), r.nextInt(count(ProKind.NURSE)));
            // mortality rises with age; deaths spread over the generated years
            double yearly = age < 60 ? 0.002 : age < 75 ? 0.01 : 0.045;
            int years = toYear - fromYear + 1;
            if (r.nextDouble() < yearly * years) {
                b.deathDate = LocalDate.of(fromYear + r.nextInt(years), 1, 1).plusDays(r.nextInt(365));
            }
            beneficiaries.add(b);
        }
    }

    int count(ProKind k) {
        return pros[k.ordinal()].length;
    }

    String pro(ProKind k, int index) {
        String[] list = pros[k.ordinal()];
        return list[Math.floorMod(index, list.length)];
    }

    static String proId(String org, int digit, int index) {
        return org.substring(org.length() - 2) + digit + String.format("%06d", index);
    }

    static String benId(String org, int index) {
        return "P" + org + String.format("%013d", index);
    }

    /** Age pyramid of a French département, roughly. */
    private static int sampleAge(Random r) {
        double u = r.nextDouble();
        if (u < 0.23) {
            return r.nextInt(18);
        }
        if (u < 0.80) {
            return 18 + r.nextInt(47);
        }
        if (u < 0.92) {
            return 65 + r.nextInt(10);
        }
        return 75 + r.nextInt(25);
    }

    /** Gamma(2, 0.5): mean 1, right-skewed, never negative. */
    static double gamma2(Random r) {
        return (-Math.log(1 - r.nextDouble()) - Math.log(1 - r.nextDouble())) / 2.0;
    }
}
