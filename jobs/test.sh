#!/usr/bin/env bash
# The full test suite: unit and Spark tests (one shared local session), the launcher on the
# contract samples, then a real standalone Spark cluster running nightly (cluster-smoke.sh).
# Needs only Java 17 and Maven: headless Chromium, for the report's browser test, is installed
# here from Debian's packages when missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CPAM_CHROMIUM:-}" ]; then
  echo "== installing Chromium (report browser test)"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
# the browser test must run here, not be skipped
export CPAM_REQUIRE_BROWSER=1

echo "== mvn verify (unit and Spark tests, shaded jar)"
mvn -B verify

echo "== smoke: the launcher on the contract samples"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/input"
cp -r src/test/resources/contract-samples/. "$work/input/"
jobs/run.sh ingest --input "$work/input" --warehouse "$work/wh" --set ingest.today=2026-06-30 > "$work/out1.txt"
grep -q "5 loaded" "$work/out1.txt" || { cat "$work/out1.txt"; echo "smoke: samples not loaded"; exit 1; }
jobs/run.sh ingest --input "$work/input" --warehouse "$work/wh" > "$work/out2.txt"
grep -q "0 loaded, 5 skipped" "$work/out2.txt" || { cat "$work/out2.txt"; echo "smoke: second ingest loaded again"; exit 1; }
jobs/run.sh sql --warehouse "$work/wh" "SELECT count(*) AS n FROM claims" > "$work/sql.txt"
[ "$(tail -1 "$work/sql.txt")" = "10" ] || { cat "$work/sql.txt"; echo "smoke: sql count"; exit 1; }
echo "smoke: OK"

echo "== cluster smoke: a real standalone Spark cluster on 127.0.0.1"
jobs/cluster-smoke.sh "$work/cluster"
