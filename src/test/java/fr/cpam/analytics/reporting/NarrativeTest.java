package fr.cpam.analytics.reporting;

import fr.cpam.analytics.reporting.ReportData.Category;
import fr.cpam.analytics.reporting.ReportData.Covid;
import fr.cpam.analytics.reporting.ReportData.Mover;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The narrative of a hand-made year (figures chosen so every sentence can be checked by
 * hand): the headline, a poste going down with its Covid tests, one going up with its consumers
 * and its top mover, and the sentences that must not be written.
 */
class NarrativeTest {

    private static final String N = "\u202F";

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    /** A category row whose derived figures are computed here, as spending_evolution does. */
    private static Category cat(String poste, String sous, String label, String amount, String prev, String total,
                                String totalEvolution, Long consumers, Long consumersPrev) {
        BigDecimal a = d(amount);
        BigDecimal p = prev == null ? null : d(prev);
        BigDecimal evo = p == null ? null : a.subtract(p);
        BigDecimal pct = p == null ? null : evo.multiply(d("100")).divide(p, 2, RoundingMode.HALF_UP);
        BigDecimal share = a.multiply(d("100")).divide(d(total), 2, RoundingMode.HALF_UP);
        BigDecimal contribution = evo == null || totalEvolution == null ? null
                : evo.multiply(d("100")).divide(d(totalEvolution), 2, RoundingMode.HALF_UP);
        BigDecimal consPct = consumers == null || consumersPrev == null ? null
                : d(String.valueOf(consumers - consumersPrev)).multiply(d("100")).divide(d(String.valueOf(consumersPrev)), 2, RoundingMode.HALF_UP);
        BigDecimal apc = consumers == null ? null : a.divide(d(String.valueOf(consumers)), 2, RoundingMode.HALF_UP);
        BigDecimal apcPct = consumers == null || consumersPrev == null || p == null ? null
                : a.multiply(d(String.valueOf(consumersPrev))).multiply(d("100"))
                .divide(p.multiply(d(String.valueOf(consumers))), 2, RoundingMode.HALF_UP).subtract(d("100"));
        return new Category(poste, sous, label, a, p, evo, pct, share, contribution, consumers, consPct, apc, apcPct);
    }

    // total 1 400 M€ in 2022 against 1 357 M€ in 2021: + 43 M€, + 3,17 %
    private static final String TOTAL = "1400000000.00";
    private static final String EVOLUTION = "43000000.00";

    private static ReportData year() {
        Category total = cat("TOTAL", "TOTAL", "Total", TOTAL, "1357000000.00", TOTAL, EVOLUTION, 500_000L, 495_000L);
        // médicaments + 30 M€ and IJ + 20 M€ make 74 % of the postes' gross + 67,4 M€; biologie - 23,6 M€; auxiliaires - 0,8 %
        Category medic = cat("MEDICAMENTS", "TOTAL", "Médicaments", "500000000.00", "470000000.00", TOTAL, EVOLUTION, 300_000L, 290_000L);
        Category ij = cat("INDEMNITES_JOURNALIERES", "TOTAL", "Indemnités journalières", "212600000.00", "192600000.00", TOTAL, EVOLUTION, null, null);
        Category bio = cat("BIOLOGIE", "TOTAL", "Biologie", "98100000.00", "121700000.00", TOTAL, EVOLUTION, 8L, 12L);
        Category aux = cat("AUXILIAIRES_MEDICAUX", "TOTAL", "Auxiliaires médicaux", "99200000.00", "100000000.00", TOTAL, EVOLUTION, 40_000L, 40_500L);
        Category hon = cat("HONORAIRES_MEDICAUX", "TOTAL", "Honoraires médicaux", "490100000.00", "472700000.00", TOTAL, EVOLUTION, 450_000L, 445_000L);
        Map<String, List<Category>> sous = Map.of(
                "MEDICAMENTS", List.of(
                        cat("MEDICAMENTS", "PHARMACIE", "Pharmacie", "450000000.00", "425000000.00", TOTAL, EVOLUTION, 290_000L, 280_000L),
                        cat("MEDICAMENTS", "HONORAIRES_DISPENSATION", "Honoraires de dispensation", "50000000.00", "45000000.00", TOTAL, EVOLUTION, 290_000L, 280_000L)));
        Map<String, Covid> covid = Map.of(
                "BIOLOGIE", new Covid("BIOLOGIE", d("98100000.00"), d("22300000.00"), d("22.73"), d("51200000.00"), d("42.07")),
                "INDEMNITES_JOURNALIERES", new Covid("INDEMNITES_JOURNALIERES", d("212600000.00"), d("19700000.00"), d("9.27"), d("6100000.00"), d("3.17")),
                "IJ_MALADIE_COURT", new Covid("IJ_MALADIE_COURT", d("120000000.00"), d("19700000.00"), d("16.42"), d("6100000.00"), d("5.5")));
        Map<String, List<Mover>> movers = Map.of("MEDICAMENTS", List.of(
                new Mover("MEDICAMENTS", "CIP13", "3400930000001", d("9000000"), d("1000000"), d("8000000"), 1),
                new Mover("MEDICAMENTS", "CIP13", "3400930000002", d("3000000"), d("2000000"), d("1000000"), 2)));
        return new ReportData("DCIR", "092", 2022, true, total, List.of(medic, hon, ij, aux, bio), sous, List.of(), List.of(),
                covid, Map.of(), List.of(), movers, List.of(), List.of(), List.of());
    }

    @Test
    void theHeadlineSaysTheTotalItsEvolutionItsDriversAndTheExceptions() {
        String h = new Narrative(year()).headline();
        assertEquals("Les remboursements de soins de ville des assurés de la CPAM 092 atteignent 1,4 milliard d'euros en 2022, "
                + "en hausse de 43,0 millions d'euros par rapport à 2021 (+ 3,2" + N + "%). "
                + "Deux postes concentrent l'essentiel de cette hausse : les médicaments et les indemnités journalières. "
                + "Tous les postes progressent, sauf les auxiliaires médicaux (- 0,8" + N + "%) et la biologie médicale (- 19,4" + N + "%).", h);
    }

    @Test
    void aPosteGoingDownSaysItsWeightAndItsCovidTestsButNoSmallConsumerCounts() {
        String bio = new Narrative(year()).poste(year().postes().get(4));
        // 98,1 / 1 400 = 7,0 %; the 8 patients (under 11) are not written
        assertEquals("La biologie médicale diminue fortement : 98,1 millions d'euros contre 121,7 millions en 2021 (- 19,4" + N + "%), "
                + "soit 7,0" + N + "% des remboursements. Les tests liés au Covid-19 en représentent 22,3 millions d'euros "
                + "(22,7" + N + "% du poste), contre 51,2 millions d'euros l'année précédente.", bio);
    }

    @Test
    void aPosteGoingUpSaysWhichSousPosteConsumersAndTopMover() {
        String medic = new Narrative(year()).poste(year().postes().get(0));
        // pharmacie + 25 M€ of the + 30 M€ (83 %); 300 000 patients (+ 3,45 % in the table, as it stores it: + 3,5 %), 1 666,67 € each (+ 2,8 %: 500/300000 against 470/290000)
        assertEquals("Les médicaments progressent : 500,0 millions d'euros contre 470,0 millions en 2021 (+ 6,4" + N + "%), "
                + "soit 35,7" + N + "% des remboursements. Le sous-poste « pharmacie » explique l'essentiel de la hausse "
                + "(+ 25,0 millions d'euros, + 5,9" + N + "%). 300" + N + "000 patients en ont bénéficié (+ 3,5" + N + "%), "
                + "pour 1" + N + "667 euros par patient (+ 2,8" + N + "%). La plus forte hausse revient au médicament de code CIP "
                + "3400930000001 (+ 8,0 millions d'euros).", medic);
    }

    @Test
    void theIjParagraphSaysTheCovidNoticesAndTheirWeightInShortSickLeave() {
        String ij = new Narrative(year()).poste(year().postes().get(2));
        assertTrue(ij.startsWith("Les indemnités journalières progressent fortement : 212,6 millions d'euros contre 192,6 millions en 2021 (+ 10,4" + N + "%)"), ij);
        assertTrue(ij.contains("Les arrêts dérogatoires liés au Covid-19 en représentent 19,7 millions d'euros (9,3" + N
                + "% du poste), contre 6,1 millions d'euros l'année précédente. Ils pèsent 16,4" + N + "% des arrêts maladie de moins de trois mois."), ij);
        assertFalse(ij.contains("patients"), "no consumer sentence without consumers");
    }

    @Test
    void withoutAPreviousYearNoEvolutionIsWritten() {
        ReportData y = year();
        Category first = cat("TOTAL", "TOTAL", "Total", TOTAL, null, TOTAL, null, null, null);
        ReportData noPrev = new ReportData("OPENDAMIR", "11", 2019, true, first,
                List.of(cat("MEDICAMENTS", "TOTAL", "Médicaments", "500000000.00", null, TOTAL, null, null, null)),
                Map.of(), List.of(), List.of(), Map.of(), Map.of(), List.of(), Map.of(), List.of(), List.of(), List.of());
        Narrative n = new Narrative(noPrev);
        assertEquals("Les remboursements de soins de ville de la région 11 (Open DAMIR) atteignent 1,4 milliard d'euros en 2019.", n.headline());
        assertEquals("Les médicaments représentent 500,0 millions d'euros, soit 35,7" + N + "% des remboursements.", n.postes().get(0));
        assertNotNull(y);
    }

    @Test
    void whenPostesGoBothWaysTheHeadlineCountsThemAndAStableTotalIsSaid() {
        // four postes + 10 M€ each, four - 10 M€ each: the total does not move
        List<Category> postes = new java.util.ArrayList<>();
        String[] codes = {"MEDICAMENTS", "HONORAIRES_MEDICAUX", "HONORAIRES_DENTAIRES", "AUXILIAIRES_MEDICAUX", "BIOLOGIE",
                "PRODUITS_PRESTATIONS", "TRANSPORTS", "AUTRES"};
        for (int i = 0; i < codes.length; i++) {
            postes.add(cat(codes[i], "TOTAL", codes[i], "100000000.00", i < 4 ? "90000000.00" : "110000000.00", "800000000.00", null, null, null));
        }
        Category total = cat("TOTAL", "TOTAL", "Total", "800000000.00", "800000000.00", "800000000.00", null, null, null);
        ReportData y = new ReportData("DCIR", "045", 2021, true, total, postes, Map.of(), List.of(), List.of(), Map.of(), Map.of(),
                List.of(), Map.of(), List.of(), List.of(), List.of());
        assertEquals("Les remboursements de soins de ville des assurés de la CPAM 045 atteignent 800,0 millions d'euros en 2021, "
                + "un montant stable par rapport à 2020 (0,0" + N + "%). Parmi les postes, 4 progressent et 4 diminuent.",
                new Narrative(y).headline());
    }
}
