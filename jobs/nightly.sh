#!/usr/bin/env bash
# What cron or Airflow runs every night: `nightly` on one input root and one warehouse, its
# output in a dated log file, its exit code passed through (0 done or nothing new, 1 failure,
# 3 data-quality gate failed, 4 files rejected; see the README's operations section).
#
#   jobs/nightly.sh INPUT WAREHOUSE [JOB OPTIONS]      e.g. --conf /etc/cpam/site.conf
#
# Environment:
#   CPAM_LOG_DIR       where the dated logs go (default: ./logs)
#   CPAM_SUBMIT_OPTS   when set, run on a cluster through jobs/submit.sh with these
#                      spark-submit options (e.g. "--master yarn --deploy-mode client");
#                      otherwise in local mode through jobs/run.sh
# Two nights never overlap: the job holds a lock on the warehouse, and a second run refuses
# to start (exit 1) while the first is alive; the lock of a killed run is taken over.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 2 ] || { echo "usage: jobs/nightly.sh INPUT WAREHOUSE [job options]" >&2; exit 2; }
input="$1"; warehouse="$2"; shift 2
logs="${CPAM_LOG_DIR:-$PWD/logs}"
mkdir -p "$logs"
log="$logs/nightly-$(date -u +%Y%m%d-%H%M%S).log"

{
  echo "== $(date -u +%FT%TZ) nightly --input $input --warehouse $warehouse $*"
  if [ -n "${CPAM_SUBMIT_OPTS:-}" ]; then
    # shellcheck disable=SC2086
    "$here/jobs/submit.sh" $CPAM_SUBMIT_OPTS nightly --input "$input" --warehouse "$warehouse" "$@"
  else
    "$here/jobs/run.sh" nightly --input "$input" --warehouse "$warehouse" "$@"
  fi
  rc=$?
  echo "== $(date -u +%FT%TZ) exit $rc"
  exit $rc
} >> "$log" 2>&1
rc=$?
echo "nightly: exit $rc, log $log"
exit $rc
