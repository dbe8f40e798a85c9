package fr.cpam.analytics.reporting;

import fr.cpam.analytics.reference.ResourceCsv;
import fr.cpam.analytics.reporting.ReportData.Category;
import fr.cpam.analytics.reporting.ReportData.FileSummary;
import fr.cpam.analytics.reporting.ReportData.QuarantineReason;
import fr.cpam.analytics.reporting.ReportData.Risk;
import fr.cpam.analytics.reporting.ReportData.SignalSummary;
import fr.cpam.analytics.reporting.Svg.Series;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static fr.cpam.analytics.reporting.French.*;
import static fr.cpam.analytics.reporting.Svg.escape;

/**
 * One fund's year as a self-contained HTML page: narrative, charts (inline SVG), tables, the
 * fraud summary (counts and amounts, no identifier) and a data-quality appendix. No external
 * script, style sheet or font: the file opens offline and can be mailed as is. Counts of 1 to
 * 10 people are never printed (statistical secrecy): they read "1 à 10".
 */
public final class HtmlReport {

    /** Smallest count of people that may be printed. */
    static final long SECRECY = 11;

    private static final Map<String, String> SIGNAL_LABELS = new HashMap<>();
    private static final Map<String, String> RISK_LABELS = Map.of("MALADIE", "Maladie", "AT_MP", "Accidents du travail, maladies professionnelles",
            "MATERNITE", "Maternité", "PATERNITE", "Paternité", "AUTRE", "Autres", "TOUS", "Tous risques");

    static {
        for (String[] f : ResourceCsv.read("reporting/signals.csv")) {
            SIGNAL_LABELS.put(f[0], f[1]);
        }
    }

    private HtmlReport() {
    }

    /** A count of people as it may be published: "1 à 10" when small. */
    static String people(long n) {
        return n > 0 && n < SECRECY ? "1 à 10" : count(n);
    }

    public static String render(ReportData d, String runId) {
        Narrative n = new Narrative(d);
        String who = d.source().equals("DCIR") ? "CPAM " + d.org() : "Région " + d.org() + " (Open DAMIR)";
        StringBuilder h = new StringBuilder(64_000);
        h.append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape("Dépenses de soins de ville " + d.year() + " — " + who)).append("</title>")
                .append("<style>").append(CSS).append("</style></head><body>");
        h.append("<header><p class=\"kicker\">").append(escape(who)).append(" · rapport d'activité</p>")
                .append("<h1>Les dépenses de soins de ville en ").append(d.year()).append("</h1>");
        if (!d.complete()) {
            h.append("<p class=\"warning\">Année incomplète : les chiffres couvrent les mois disponibles.</p>");
        }
        h.append("</header><main>");
        h.append("<section id=\"synthese\"><p class=\"headline\">").append(escape(n.headline())).append("</p>");
        keyFigures(h, d);
        h.append("</section>");

        h.append("<section id=\"graphiques\"><h2>L'année en graphiques</h2><div class=\"charts\">");
        charts(h, d);
        h.append("</div></section>");

        h.append("<section id=\"postes\"><h2>Poste par poste</h2>");
        for (String p : n.postes()) {
            h.append("<p class=\"poste\">").append(escape(p)).append("</p>");
        }
        postesTable(h, d);
        h.append("</section>");

        if (!d.risks().isEmpty()) {
            ijTable(h, d);
        }
        fraud(h, d);
        quality(h, d);
        h.append("</main><footer><p>Rapport généré le ").append(LocalDate.now()).append(" à partir des tables ")
                .append("spending_evolution, covid_share, ij_breakdown, top_movers et fraud_signals (exécution ")
                .append(escape(runId)).append("). Montants remboursés, en date de paiement sauf configuration contraire. ")
                .append("Conformément au secret statistique, aucun effectif de 1 à 10 personnes n'est affiché.</p></footer>");
        h.append("<script>").append(CHECK).append("</script></body></html>");
        return h.toString();
    }

    private static void keyFigures(StringBuilder h, ReportData d) {
        Category t = d.total();
        h.append("<div class=\"figures\">");
        figure(h, euros(t.amount()), "remboursés en " + d.year());
        if (t.evolutionPct() != null) {
            figure(h, signedPct(t.evolutionPct()), "par rapport à " + (d.year() - 1));
        }
        if (t.consumers() != null && t.consumers() > 0) {
            figure(h, people(t.consumers()), "patients remboursés");
        }
        if (t.amountPerConsumer() != null && t.consumers() != null && t.consumers() >= SECRECY) {
            figure(h, euros(t.amountPerConsumer()), "par patient");
        }
        h.append("</div>");
    }

    private static void figure(StringBuilder h, String value, String label) {
        h.append("<div class=\"figure\"><span class=\"value\">").append(escape(value)).append("</span><span class=\"label\">")
                .append(escape(label)).append("</span></div>");
    }

    /** The unit the charts show amounts in: millions for a fund, thousands or euros for small data. */
    record Unit(BigDecimal divisor, String symbol, String words) {
        static Unit of(BigDecimal largest) {
            if (largest.abs().compareTo(new BigDecimal(10_000_000)) >= 0) {
                return new Unit(new BigDecimal(1_000_000), "M€", "en millions d'euros");
            }
            if (largest.abs().compareTo(new BigDecimal(10_000)) >= 0) {
                return new Unit(new BigDecimal(1_000), "k€", "en milliers d'euros");
            }
            return new Unit(BigDecimal.ONE, "€", "en euros");
        }

        Double scale(BigDecimal v) {
            return v == null ? null : v.divide(divisor, 6, RoundingMode.HALF_UP).doubleValue();
        }

        String label(double v) {
            return number(BigDecimal.valueOf(v), divisor.equals(BigDecimal.ONE) ? 0 : 1) + NNBSP + symbol;
        }
    }

    private static void charts(StringBuilder h, ReportData d) {
        // the total of the year sets the unit (a poste, a month or a risk is smaller)
        Unit unit = Unit.of(d.total().amount());
        List<Category> postes = d.postes().stream().filter(c -> c.amount().signum() > 0).toList();
        List<String> labels = postes.stream().map(Category::label).toList();
        if (postes.stream().anyMatch(c -> c.evolutionPct() != null)) {
            h.append(Svg.horizontalBars("evolution-postes", "Évolution par poste entre " + (d.year() - 1) + " et " + d.year() + " (en %)",
                    labels, List.of(new Series("Évolution", postes.stream().map(c -> c.evolutionPct() == null ? null : c.evolutionPct().doubleValue()).toList())),
                    List.of(Svg.PALETTE[0]), v -> signedPct(BigDecimal.valueOf(v))));
        }
        h.append(Svg.horizontalBars("montants-postes", "Remboursements par poste (" + unit.words() + ")", labels,
                List.of(new Series(String.valueOf(d.year() - 1), postes.stream().map(c -> unit.scale(c.amountPrev())).toList()),
                        new Series(String.valueOf(d.year()), postes.stream().map(c -> unit.scale(c.amount())).toList())),
                Svg.colors(2, true), unit::label));
        h.append(Svg.stackedShare("parts-postes", "Part de chaque poste dans le total " + d.year(), labels,
                postes.stream().map(c -> c.sharePct() == null ? 0.0 : c.sharePct().doubleValue()).toList(),
                v -> number(BigDecimal.valueOf(v), 1) + NNBSP + "%"));
        if (d.months().stream().anyMatch(m -> m != null)) {
            List<String> months = List.of("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.");
            h.append(Svg.lines("mensuel", "Remboursements mensuels (" + unit.words() + ")", months,
                    List.of(new Series(String.valueOf(d.year() - 1), d.monthsPrev().stream().map(unit::scale).toList()),
                            new Series(String.valueOf(d.year()), d.months().stream().map(unit::scale).toList())),
                    Svg.colors(2, true), unit::label));
        }
        if (!d.covidShareByYear().isEmpty()) {
            List<String> years = d.covidShareByYear().keySet().stream().map(String::valueOf).toList();
            List<Series> series = new ArrayList<>();
            for (String[] domain : new String[][]{{"INDEMNITES_JOURNALIERES", "Indemnités journalières"}, {"BIOLOGIE", "Biologie"}}) {
                List<Double> values = d.covidShareByYear().values().stream()
                        .map(m -> m.get(domain[0]) == null ? null : m.get(domain[0]).doubleValue()).toList();
                if (values.stream().anyMatch(v -> v != null)) {
                    series.add(new Series(domain[1], values));
                }
            }
            if (!series.isEmpty()) {
                h.append(Svg.verticalBars("covid", "Part du Covid-19 dans les IJ et la biologie (en %)", years, series,
                        Svg.colors(series.size(), false), v -> number(BigDecimal.valueOf(v), 1) + NNBSP + "%"));
            }
        }
        List<Risk> risks = d.risks().stream().filter(r -> !r.risk().equals("TOUS") && r.amount().signum() > 0).toList();
        if (!risks.isEmpty()) {
            h.append(Svg.verticalBars("ij-risques", "Indemnités journalières par risque (" + unit.words() + ")",
                    risks.stream().map(r -> r.risk().equals("AT_MP") ? "AT-MP" : RISK_LABELS.getOrDefault(r.risk(), r.risk())).toList(),
                    List.of(new Series(String.valueOf(d.year() - 1), risks.stream().map(r -> unit.scale(r.amountPrev())).toList()),
                            new Series(String.valueOf(d.year()), risks.stream().map(r -> unit.scale(r.amount())).toList())),
                    Svg.colors(2, true), unit::label));
        }
    }

    private static void postesTable(StringBuilder h, ReportData d) {
        h.append("<table class=\"data\" id=\"table-postes\"><caption>Remboursements par poste, ").append(d.year())
                .append("</caption><thead><tr><th>Poste</th><th>").append(d.year()).append("</th><th>").append(d.year() - 1)
                .append("</th><th>Évolution</th><th>Part du total</th><th>Contribution à l'évolution</th></tr></thead><tbody>");
        List<Category> rows = new ArrayList<>(d.postes());
        rows.add(d.total());
        for (Category c : rows) {
            boolean total = c == d.total();
            h.append(total ? "<tr class=\"total\">" : "<tr>").append("<th>").append(escape(total ? "Total soins de ville" : c.label())).append("</th>")
                    .append(td(euros(c.amount()))).append(td(c.amountPrev() == null ? "" : euros(c.amountPrev())))
                    .append(td(c.evolutionPct() == null ? "" : signedPct(c.evolutionPct())))
                    .append(td(c.sharePct() == null ? "" : pct(c.sharePct())))
                    .append(td(c.contributionPct() == null || total ? "" : pct(c.contributionPct()))).append("</tr>");
        }
        h.append("</tbody></table>");
    }

    private static void ijTable(StringBuilder h, ReportData d) {
        h.append("<section id=\"ij\"><h2>Indemnités journalières par risque</h2><table class=\"data\"><thead><tr><th>Risque</th><th>")
                .append(d.year()).append("</th><th>").append(d.year() - 1).append("</th><th>Évolution</th><th>Bénéficiaires</th></tr></thead><tbody>");
        for (Risk r : d.risks()) {
            h.append(r.risk().equals("TOUS") ? "<tr class=\"total\">" : "<tr>").append("<th>")
                    .append(escape(RISK_LABELS.getOrDefault(r.risk(), r.risk()))).append("</th>").append(td(euros(r.amount())))
                    .append(td(r.amountPrev() == null ? "" : euros(r.amountPrev())))
                    .append(td(r.evolutionPct() == null ? "" : signedPct(r.evolutionPct())))
                    .append(td(r.beneficiaries() == null ? "" : people(r.beneficiaries()))).append("</tr>");
        }
        h.append("</tbody></table></section>");
    }

    private static void fraud(StringBuilder h, ReportData d) {
        if (d.fraud().isEmpty()) {
            return;
        }
        long leads = d.fraud().stream().mapToLong(SignalSummary::leads).sum();
        BigDecimal stake = d.fraud().stream().map(SignalSummary::amountAtStake).reduce(BigDecimal.ZERO, BigDecimal::add);
        h.append("<section id=\"fraude\"><h2>Ciblage des contrôles</h2><p>Les signaux de ciblage ont relevé ")
                .append(escape(French.plural(leads, "piste", "pistes"))).append(" pour ").append(d.year()).append(", pour un enjeu estimé de ")
                .append(escape(euros(stake))).append(". Une piste est un point d'attention pour un contrôleur, jamais une décision : ")
                .append("chacune reste « à revoir » jusqu'à son instruction. Aucun identifiant ne figure dans ce rapport.</p>")
                .append("<table class=\"data\"><thead><tr><th>Signal</th><th>Pistes</th><th>Entités</th><th>Enjeu estimé</th></tr></thead><tbody>");
        for (SignalSummary s : d.fraud()) {
            h.append("<tr><th>").append(escape(SIGNAL_LABELS.getOrDefault(s.signal(), s.signal()))).append(" <code>")
                    .append(escape(s.signal())).append("</code></th>").append(td(people(s.leads()))).append(td(people(s.entities())))
                    .append(td(euros(s.amountAtStake()))).append("</tr>");
        }
        h.append("</tbody></table></section>");
    }

    private static void quality(StringBuilder h, ReportData d) {
        h.append("<section id=\"qualite\"><h2>Annexe : qualité des données</h2>");
        if (!d.files().isEmpty()) {
            h.append("<table class=\"data\"><thead><tr><th>Jeu de données</th><th>Fichiers</th><th>Rejetés</th><th>Lignes lues</th>")
                    .append("<th>Chargées</th><th>En quarantaine</th><th>Montant chargé</th></tr></thead><tbody>");
            for (FileSummary f : d.files()) {
                h.append("<tr><th>").append(escape(f.dataset())).append("</th>").append(td(count(f.files()))).append(td(count(f.rejected())))
                        .append(td(count(f.linesRead()))).append(td(count(f.linesLoaded()))).append(td(count(f.linesQuarantined())))
                        .append(td(euros(f.amountLoaded()))).append("</tr>");
            }
            h.append("</tbody></table>");
        }
        if (!d.quarantine().isEmpty()) {
            h.append("<table class=\"data\"><caption>Motifs de mise en quarantaine</caption><thead><tr><th>Jeu de données</th>")
                    .append("<th>Motif</th><th>Lignes</th></tr></thead><tbody>");
            for (QuarantineReason q : d.quarantine()) {
                h.append("<tr><th>").append(escape(q.dataset())).append("</th><td class=\"text\">").append(escape(q.reason())).append("</td>")
                        .append(td(count(q.lines()))).append("</tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("<p>Toutes les lignes lues sont soit chargées, soit mises en quarantaine avec leur motif ; ")
                .append("les montants chargés sont rapprochés des fichiers au centime à chaque exécution.</p></section>");
    }

    private static String td(String s) {
        return "<td>" + escape(s) + "</td>";
    }

    private static final String CSS = String.join("",
            "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f2933;max-width:980px;margin:0 auto;padding:24px;line-height:1.5}",
            "header{border-bottom:3px solid #0072B2;margin-bottom:16px}.kicker{color:#52606d;text-transform:uppercase;font-size:.8em;letter-spacing:.08em;margin:0}",
            "h1{font-size:1.9em;margin:.2em 0 .4em}h2{font-size:1.3em;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:1.8em}",
            ".headline{font-size:1.15em}.warning{background:#fff4e5;padding:6px 10px;border-left:4px solid #E69F00}",
            ".figures{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.figure{background:#f0f4f8;border-radius:6px;padding:10px 16px;min-width:160px}",
            ".figure .value{display:block;font-size:1.4em;font-weight:600;color:#0072B2}.figure .label{color:#52606d;font-size:.9em}",
            ".charts{display:flex;flex-direction:column;gap:18px}figure.chart{margin:0}figure.chart svg{max-width:100%;height:auto}",
            "svg text{font-family:inherit;font-size:12px;fill:#1f2933}svg text.title{font-size:14px;font-weight:600}svg text.inbar{fill:#fff;font-weight:600}",
            "svg text.tick{fill:#52606d;font-size:11px}table.data{border-collapse:collapse;width:100%;margin:12px 0;font-size:.92em}",
            "table.data th,table.data td{padding:4px 8px;border-bottom:1px solid #e4e7eb}table.data td{text-align:right;white-space:nowrap}",
            "table.data td.text{text-align:left}table.data thead th{background:#f0f4f8;text-align:right}table.data thead th:first-child{text-align:left}",
            "table.data tbody th{text-align:left;font-weight:normal}tr.total th,tr.total td{font-weight:600;border-top:2px solid #9aa5b1}",
            "caption{text-align:left;color:#52606d;padding:4px 0}code{font-size:.8em;color:#52606d}footer{margin-top:32px;color:#52606d;font-size:.85em}",
            "@media print{body{max-width:none}figure.chart{break-inside:avoid}}");

    /** Marks each chart drawn once the browser has laid it out: what the browser test reads. */
    private static final String CHECK = "document.addEventListener('DOMContentLoaded',function(){var n=0;"
            + "document.querySelectorAll('figure.chart svg').forEach(function(s){var b=s.getBBox();"
            + "var marks=s.querySelectorAll('rect.bar,polyline.series').length;"
            + "if(b.width>0&&b.height>0&&marks>0){s.setAttribute('data-drawn','true');n++;}});"
            + "document.body.setAttribute('data-charts-drawn',String(n));});";
}
