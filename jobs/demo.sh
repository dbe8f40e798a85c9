#!/usr/bin/env bash
# The main job on generated sample data: generate a small realistic input (2 funds,
# 2019-2022, about a million claim lines), load it, and show what was produced.
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
  jobs/run.sh generate --out "$input" --orgs 092,045 --from 2019 --to 2022 --beneficiaries 1650 --seed 42
else
  echo "== generate: reusing $input"
fi

echo "== ingest"
set +e
jobs/run.sh ingest --input "$input" --warehouse "$wh"
rc=$?
set -e
[ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] || exit "$rc"

sql() { jobs/run.sh sql --warehouse "$wh" "$1" 2>/dev/null | column -s, -t; }

echo
echo "== files and lines loaded (ingested_files)"
sql "SELECT dataset, count(*) AS files, sum(lines_read) AS lines_read, sum(lines_loaded) AS loaded,
            sum(lines_quarantined) AS quarantined, sum(amount_loaded) AS amount_eur
     FROM ingested_files GROUP BY dataset ORDER BY dataset"
echo
echo "== quarantine by reason"
sql "SELECT dataset, regexp_extract(reasons, '^([A-Z_]+)', 1) AS reason, count(*) AS lines
     FROM quarantine GROUP BY 1, 2 ORDER BY 1, 3 DESC"
echo
echo "== CPAM 092: amount reimbursed by poste and payment year (EUR)"
sql "SELECT poste, sum(CASE WHEN pay_month LIKE '2021%' THEN amount END) AS y2021,
            sum(CASE WHEN pay_month LIKE '2022%' THEN amount END) AS y2022
     FROM claims WHERE in_scope AND ORG_AFF_BEN = '092' GROUP BY poste ORDER BY y2022 DESC"
echo
echo "Done in $(( $(date +%s) - start )) s. Tables are in $wh; query them by name, e.g.:"
echo "  jobs/run.sh sql --warehouse $wh \"SELECT poste, sum(amount) FROM claims WHERE in_scope GROUP BY poste\""
echo "or from any Delta reader: spark.read.format('delta').load('$wh/claims')"
