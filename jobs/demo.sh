#!/usr/bin/env bash
# The main job on generated sample data: generate a small realistic input (2 funds,
# 2019-2022, about 0.75 million claim lines), load it, compute the indicators, and show
# what was produced.
#
#   jobs/demo.sh [DIR]      DIR defaults to ./demo (input in DIR/input, tables in DIR/warehouse)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
demo="${1:-$here/demo}"
input="$demo/input"
wh="$demo/warehouse"
start=$(date +%s)

if [ ! -f "$input/ground_truth/expected_totals.csv" ]; then
  echo "== generate: 2 funds (092 Hauts-de-Seine, 045 Loiret), 2019-2022"
  jobs/run.sh generate --out "$input" --orgs 092,045 --from 2019 --to 2022 --beneficiaries 1200 --seed 42
else
  echo "== generate: reusing $input"
fi

echo "== ingest"
set +e
jobs/run.sh ingest --input "$input" --warehouse "$wh"
rc=$?
set -e
[ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] || exit "$rc"

echo "== compute: spending evolution, top movers, Covid share, IJ breakdown, fraud signals"
jobs/run.sh compute --warehouse "$wh"

# one JVM for all the summaries: sql takes several queries and separates their results by an empty line
titles=("files and lines loaded, and quarantine by reason"
        "CPAM 092, year 2022 against 2021: spending_evolution by poste"
        "CPAM 092: Covid share of IJ and biology, latest Covid year (covid_share)"
        "CPAM 092: the first lead of each fraud signal, as a controller reads it (fraud_signals)")
jobs/run.sh sql --warehouse "$wh" \
  "SELECT 'loaded' AS what, dataset, count(*) AS files_or_lines, sum(lines_loaded) AS loaded, sum(lines_quarantined) AS quarantined
   FROM ingested_files GROUP BY dataset
   UNION ALL
   SELECT 'quarantine', concat(dataset, ' ', regexp_extract(reasons, '^([A-Z_]+)', 1)), count(*), NULL, NULL
   FROM quarantine GROUP BY dataset, regexp_extract(reasons, '^([A-Z_]+)', 1)
   ORDER BY 1, 2" \
  "SELECT libelle_poste AS poste, round(amount / 1000, 1) AS k_eur, evolution_pct AS evol_pct, share_pct,
          contribution_pct AS contrib_pct, consumers, consumers_evolution_pct AS consumers_pct,
          amount_per_consumer_evolution_pct AS per_consumer_pct
   FROM spending_evolution
   WHERE source = 'DCIR' AND org = '092' AND period_type = 'YEAR' AND period = '2022' AND sous_poste = 'TOTAL'
   ORDER BY poste = 'Total des soins de ville' DESC, amount DESC" \
  "SELECT period AS year, domain, round(total_amount / 1000, 1) AS k_eur, round(covid_amount / 1000, 1) AS covid_k_eur,
          covid_share_pct, covid_share_pct_prev
   FROM covid_share
   WHERE source = 'DCIR' AND org = '092' AND period_type = 'YEAR'
     AND domain IN ('INDEMNITES_JOURNALIERES', 'IJ_MALADIE_COURT', 'BIOLOGIE', 'TOTAL')
     AND period = (SELECT max(period) FROM covid_share WHERE period_type = 'YEAR' AND covid_amount > 0 AND domain = 'BIOLOGIE')
   ORDER BY domain" \
  "SELECT concat(signal, ' -> ', motif) AS lead FROM fraud_signals
   WHERE org = '092' AND rank = 1 AND entity_type <> 'ETABLISSEMENT'
   ORDER BY signal, entity_type" 2>/dev/null > "$demo/summary.csv"
block=0
: > "$demo/block.csv"
while IFS= read -r line || [ -n "$line" ]; do
  if [ -z "$line" ]; then
    echo; echo "== ${titles[$block]}"; column -s, -t < "$demo/block.csv"
    block=$((block + 1)); : > "$demo/block.csv"
  else
    echo "$line" >> "$demo/block.csv"
  fi
done < "$demo/summary.csv"
# the motifs hold commas: printed as sentences, not columns
echo; echo "== ${titles[$block]}"; tail -n +2 "$demo/block.csv" | sed 's/^"//; s/"$//; s/""/"/g'
rm -f "$demo/block.csv"

echo
echo "== fraud signals against the planted cases (evaluate, ground_truth/fraud_labels.csv)"
jobs/run.sh evaluate --warehouse "$wh" --labels "$input/ground_truth/fraud_labels.csv" 2>/dev/null
echo
echo "== exports for spreadsheets and BI tools (small counts suppressed)"
jobs/run.sh export --warehouse "$wh" --out "$demo/export" --format csv,xlsx 2>/dev/null
echo
echo "== the report of fund 092"
jobs/run.sh report --warehouse "$wh" --org 092 --out "$demo/rapport_092.html" 2>/dev/null
echo
echo "Done in $(( $(date +%s) - start )) s. Tables are in $wh; query them by name, e.g.:"
echo "  jobs/run.sh sql --warehouse $wh \"SELECT * FROM top_movers WHERE org = '092' AND period_type = 'YEAR' AND period = '2022' AND rank <= 3\""
echo "or from any Delta reader: spark.read.format('delta').load('$wh/spending_evolution')"
echo "Open the report: $demo/rapport_092.html"
