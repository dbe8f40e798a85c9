package fr.cpam.analytics.reporting;

import fr.cpam.analytics.reference.ReferenceData;
import fr.cpam.analytics.reference.ResourceCsv;
import fr.cpam.analytics.reporting.ReportData.Category;
import fr.cpam.analytics.reporting.ReportData.Covid;
import fr.cpam.analytics.reporting.ReportData.Mover;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static fr.cpam.analytics.reporting.French.*;

/**
 * The report's French text, written from {@link ReportData} in the voice of REPORT.md: a
 * headline for the total, then one paragraph per poste, largest first. A sentence is written
 * only when its figure exists and means something: no evolution without a previous year, no
 * Covid sentence where Covid weighs nothing, no consumer sentence for Open DAMIR.
 */
public final class Narrative {

    /** Above this absolute evolution (percent) a poste moves "fortement". */
    static final BigDecimal STRONG = new BigDecimal(10);
    /** A group of postes "concentre l'essentiel" when it makes this share of the total's evolution. */
    static final BigDecimal ESSENTIAL = new BigDecimal(60);

    private record Name(String noun, boolean plural) {
    }

    private static final Map<String, Name> NAMES = new HashMap<>();

    static {
        for (String[] f : ResourceCsv.read("reporting/postes_narration.csv")) {
            NAMES.put(f[0], new Name(f[1], Boolean.parseBoolean(f[2])));
        }
    }

    private final ReportData d;

    public Narrative(ReportData data) {
        this.d = data;
    }

    /** The poste with its article, e.g. "la biologie médicale". */
    static String noun(String poste, String fallbackLabel) {
        Name n = NAMES.get(poste);
        return n == null ? fallbackLabel.toLowerCase(java.util.Locale.FRENCH) : n.noun();
    }

    static boolean plural(String poste) {
        Name n = NAMES.get(poste);
        return n == null || n.plural();
    }

    /** "progresse" / "progressent", "diminue" / "diminuent", "reste stable" / "restent stables". */
    static String verb(BigDecimal pct, boolean plural, boolean strong) {
        if (stable(pct)) {
            return plural ? "restent stables" : "reste stable";
        }
        String v = pct.signum() > 0 ? (plural ? "progressent" : "progresse") : (plural ? "diminuent" : "diminue");
        return strong && pct.abs().compareTo(STRONG) >= 0 ? v + " fortement" : v;
    }

    /** The headline paragraph. */
    public String headline() {
        Category t = d.total();
        StringBuilder s = new StringBuilder();
        String who = d.source().equals("DCIR") ? "des assurés de la CPAM " + d.org() : "de la région " + d.org() + " (Open DAMIR)";
        s.append("Les remboursements de soins de ville ").append(who).append(' ')
                .append(d.complete() ? "atteignent " : "atteignent, sur les mois disponibles, ")
                .append(euros(t.amount())).append(" en ").append(d.year());
        if (t.evolutionPct() == null) {
            return s.append('.').toString();
        }
        if (stable(t.evolutionPct())) {
            s.append(", un montant stable par rapport à ").append(d.year() - 1).append(' ').append(signedPctInParens(t.evolutionPct())).append('.');
        } else {
            boolean up = t.evolutionEur().signum() > 0;
            s.append(", ").append(up ? "en hausse" : "en baisse").append(" de ").append(euros(t.evolutionEur().abs()))
                    .append(" par rapport à ").append(d.year() - 1).append(' ').append(signedPctInParens(t.evolutionPct())).append('.');
            List<Category> drivers = drivers(up);
            if (!drivers.isEmpty() && drivers.size() <= 3 && d.postes().size() > drivers.size()) {
                String count = switch (drivers.size()) {
                    case 1 -> "Un poste concentre";
                    case 2 -> "Deux postes concentrent";
                    default -> "Trois postes concentrent";
                };
                s.append(' ').append(count).append(" l'essentiel de cette ").append(up ? "hausse" : "baisse").append(" : ")
                        .append(list(drivers.stream().map(c -> noun(c.poste(), c.label())).toList())).append('.');
            }
        }
        s.append(exceptions());
        return s.toString();
    }

    /**
     * The postes that, largest first, make up {@link #ESSENTIAL} of the gross movement in the
     * total's direction (the sum of the postes moving that way: with postes going the other way,
     * net contributions would add up to more than 100 %).
     */
    private List<Category> drivers(boolean up) {
        List<Category> moving = new ArrayList<>(d.postes().stream()
                .filter(c -> c.evolutionEur() != null && c.evolutionEur().signum() == (up ? 1 : -1)).toList());
        moving.sort((a, b) -> b.evolutionEur().abs().compareTo(a.evolutionEur().abs()));
        BigDecimal gross = moving.stream().map(c -> c.evolutionEur().abs()).reduce(BigDecimal.ZERO, BigDecimal::add);
        List<Category> out = new ArrayList<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (Category c : moving) {
            out.add(c);
            sum = sum.add(c.evolutionEur().abs());
            if (sum.multiply(new BigDecimal(100)).compareTo(gross.multiply(ESSENTIAL)) >= 0) {
                return out;
            }
        }
        return List.of();
    }

    /** "Tous les postes progressent, sauf la biologie médicale (- 19,4 %)." when few go the other way. */
    private String exceptions() {
        List<Category> withEvolution = d.postes().stream().filter(c -> c.evolutionPct() != null && c.amount().signum() > 0).toList();
        if (withEvolution.size() < 3) {
            return "";
        }
        List<Category> up = withEvolution.stream().filter(c -> !stable(c.evolutionPct()) && c.evolutionPct().signum() > 0).toList();
        List<Category> down = withEvolution.stream().filter(c -> !stable(c.evolutionPct()) && c.evolutionPct().signum() < 0).toList();
        boolean mostlyUp = up.size() >= down.size();
        List<Category> others = withEvolution.stream().filter(c -> !(mostlyUp ? up : down).contains(c)).toList();
        if (others.size() > 3) {
            return " Parmi les postes, " + up.size() + (up.size() >= 2 ? " progressent" : " progresse") + " et "
                    + down.size() + (down.size() >= 2 ? " diminuent" : " diminue") + ".";
        }
        String all = mostlyUp ? "Tous les postes progressent" : "Tous les postes diminuent";
        if (others.isEmpty()) {
            return " " + all + ".";
        }
        return " " + all + ", sauf " + list(others.stream().map(c -> noun(c.poste(), c.label()) + " "
                + (stable(c.evolutionPct()) ? "(stable)" : signedPctInParens(c.evolutionPct()))).toList()) + ".";
    }

    /** One paragraph per poste with reimbursements, largest first. */
    public List<String> postes() {
        List<String> out = new ArrayList<>();
        for (Category c : d.postes()) {
            if (c.amount().signum() > 0) {
                out.add(poste(c));
            }
        }
        return out;
    }

    String poste(Category c) {
        boolean plural = plural(c.poste());
        StringBuilder s = new StringBuilder(capitalize(noun(c.poste(), c.label())));
        if (c.evolutionPct() == null) {
            s.append(plural ? " représentent " : " représente ").append(euros(c.amount()));
        } else {
            s.append(' ').append(verb(c.evolutionPct(), plural, true)).append(" : ").append(euros(c.amount()))
                    .append(" contre ").append(shortEuros(c.amountPrev(), c.amount())).append(" en ").append(d.year() - 1)
                    .append(' ').append(signedPctInParens(c.evolutionPct()));
        }
        if (c.sharePct() != null) {
            s.append(", soit ").append(pct(c.sharePct())).append(" des remboursements");
        }
        s.append('.');
        s.append(sousPostes(c));
        s.append(consumers(c));
        s.append(covid(c));
        s.append(movers(c));
        return s.toString();
    }

    /** "441,6 millions" after "contre": the unit already said, as the annual reports write it. */
    private static String shortEuros(BigDecimal amount, BigDecimal reference) {
        String full = euros(amount);
        String ref = euros(reference);
        if ((full.contains("million") && ref.contains("million")) || (full.contains("milliard") && ref.contains("milliard"))) {
            return full.replace(" d'euros", "");
        }
        return full;
    }

    /** The sous-poste that explains most of the poste's evolution, when one does. */
    private String sousPostes(Category poste) {
        List<Category> parts = d.sousPostes().getOrDefault(poste.poste(), List.of()).stream()
                .filter(c -> c.amount().signum() > 0 || (c.amountPrev() != null && c.amountPrev().signum() > 0)).toList();
        if (parts.size() < 2 || poste.evolutionEur() == null || poste.evolutionEur().signum() == 0 || stable(poste.evolutionPct())) {
            return "";
        }
        Category main = null;
        for (Category c : parts) {
            if (c.evolutionEur() != null && c.evolutionEur().signum() == poste.evolutionEur().signum()
                    && (main == null || c.evolutionEur().abs().compareTo(main.evolutionEur().abs()) > 0)) {
                main = c;
            }
        }
        if (main == null) {
            return "";
        }
        BigDecimal part = main.evolutionEur().multiply(new BigDecimal(100)).divide(poste.evolutionEur(), 1, RoundingMode.HALF_UP);
        String what = poste.evolutionEur().signum() > 0 ? "la hausse" : "la baisse";
        String label = main.label().toLowerCase(java.util.Locale.FRENCH);
        if (part.compareTo(new BigDecimal(50)) >= 0) {
            return " Le sous-poste « " + label + " » explique l'essentiel de " + what + " ("
                    + signedEuros(main.evolutionEur()) + ", " + signedPct(main.evolutionPct() == null ? BigDecimal.ZERO : main.evolutionPct()) + ").";
        }
        return " Le sous-poste « " + label + " » y contribue le plus (" + signedEuros(main.evolutionEur()) + ").";
    }

    /** Consumers against consumption per consumer (DCIR only: Open DAMIR has no beneficiaries). */
    private String consumers(Category c) {
        // statistical secrecy: no count of 1 to 10 people, nor an evolution that would reveal one
        if (c.consumers() == null || c.consumers() < HtmlReport.SECRECY || c.consumersEvolutionPct() == null
                || c.amountPerConsumerEvolutionPct() == null) {
            return "";
        }
        return " " + capitalize(French.plural(c.consumers(), "patient en a bénéficié", "patients en ont bénéficié")) + " "
                + evolution(c.consumersEvolutionPct()) + ", pour " + euros(c.amountPerConsumer()) + " par patient "
                + evolution(c.amountPerConsumerEvolutionPct()) + ".";
    }

    /** "(+ 3,2 %)", or "(stable)" under half a percent either way. */
    private static String evolution(BigDecimal pct) {
        return stable(pct) ? "(stable)" : signedPctInParens(pct);
    }

    /** The Covid part of the poste, where it weighs something. */
    private String covid(Category c) {
        Covid cv = d.covid().get(c.poste());
        if (cv == null || cv.covid() == null || cv.covid().signum() <= 0) {
            return "";
        }
        String what = switch (c.poste()) {
            case "BIOLOGIE" -> "Les tests liés au Covid-19";
            case "INDEMNITES_JOURNALIERES" -> "Les arrêts dérogatoires liés au Covid-19";
            default -> "Les actes liés au Covid-19 (vaccination)";
        };
        StringBuilder s = new StringBuilder(" ").append(what).append(" en représentent ").append(euros(cv.covid()))
                .append(" (").append(pct(cv.sharePct())).append(" du poste)");
        if (cv.covidPrev() != null && cv.covidPrev().signum() > 0) {
            s.append(", contre ").append(euros(cv.covidPrev())).append(" l'année précédente");
        }
        s.append('.');
        Covid court = d.covid().get("IJ_MALADIE_COURT");
        if (c.poste().equals("INDEMNITES_JOURNALIERES") && court != null && court.sharePct() != null && court.covid().signum() > 0) {
            s.append(" Ils pèsent ").append(pct(court.sharePct())).append(" des arrêts maladie de moins de trois mois.");
        }
        return s.toString();
    }

    /** The item whose reimbursements grew the most in the poste. */
    private String movers(Category c) {
        List<Mover> items = d.movers().getOrDefault(c.poste(), List.of());
        Mover top = items.stream().filter(m -> m.evolutionEur().signum() > 0)
                .max((a, b) -> a.evolutionEur().compareTo(b.evolutionEur())).orElse(null);
        if (top == null) {
            return "";
        }
        return " La plus forte hausse revient " + toThe(itemLabel(top)) + " (" + signedEuros(top.evolutionEur()) + ").";
    }

    /** "la consultation (C, 1111)", "le code NABM 5271 (détection du génome ...)", "le médicament CIP 34009...". */
    static String itemLabel(Mover m) {
        return switch (m.itemType()) {
            case "NATURE" -> {
                String label = natureLabel(m.itemCode());
                yield label == null ? "la prestation de nature " + m.itemCode() : "la prestation « " + label + " » (" + m.itemCode() + ")";
            }
            case "NABM" -> {
                String label = nabmLabel(m.itemCode());
                yield "l'acte de biologie NABM " + m.itemCode() + (label == null ? "" : " (" + label + ")");
            }
            case "CIP13" -> "le médicament de code CIP " + m.itemCode();
            case "CCAM" -> "l'acte CCAM " + m.itemCode();
            default -> m.itemType() + " " + m.itemCode();
        };
    }

    private static String natureLabel(String code) {
        for (ReferenceData.NatureMapping n : ReferenceData.natureMappings()) {
            if (String.valueOf(n.code()).equals(code) && n.label() != null && !n.label().isBlank()) {
                return n.label().toLowerCase(java.util.Locale.FRENCH);
            }
        }
        return null;
    }

    private static String nabmLabel(String code) {
        for (ReferenceData.CovidNabm n : ReferenceData.covidNabm()) {
            if (String.valueOf(n.code()).equals(code)) {
                return n.label().toLowerCase(java.util.Locale.FRENCH);
            }
        }
        return null;
    }

    /** "à" and the article contracted: "au médicament", "à la prestation", "à l'acte". */
    static String toThe(String withArticle) {
        if (withArticle.startsWith("le ")) {
            return "au " + withArticle.substring(3);
        }
        if (withArticle.startsWith("les ")) {
            return "aux " + withArticle.substring(4);
        }
        return "à " + withArticle;
    }

    /** "+ 1,2 million d'euros", "- 980 000 euros". */
    static String signedEuros(BigDecimal v) {
        return (v.signum() < 0 ? "- " : "+ ") + euros(v.abs());
    }
}
