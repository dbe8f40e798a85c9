#!/usr/bin/env bash
# Starts a real Spark standalone cluster on 127.0.0.1 (one master, one worker, from the
# project's own Spark jars), submits `nightly` on generated data through jobs/submit.sh with
# --master spark://127.0.0.1:7077, checks that every indicator table equals the one a
# local-mode run computes from the same input, stops the cluster (only the processes this
# script started) and exits 0. Part of jobs/test.sh.
#
#   jobs/cluster-smoke.sh [WORK_DIR]      (default target/cluster-smoke)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
work="${1:-$here/target/cluster-smoke}"
port="${CPAM_SMOKE_PORT:-7077}"
rm -rf "$work"
mkdir -p "$work"

# the jars of a Spark distribution: the project's dependency classpath, as SPARK_HOME/jars
jobs/run.sh --version > /dev/null   # builds the jar and target/classpath.txt when stale
spark_home="$work/spark-home"
mkdir -p "$spark_home/jars"
tr ':' '\n' < target/classpath.txt | while read -r jar; do
  [ -n "$jar" ] && ln -sf "$jar" "$spark_home/jars/"
done
export SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
opens=$(sed -n 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' pom.xml)
# master and worker log at Spark's default INFO level: the checks below read their logs

pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop EXIT

echo "== cluster: master and worker on 127.0.0.1:$port"
java -Xmx512m $opens -cp "$spark_home/jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$port" --webui-port 0 > "$work/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.5
done
java -Xmx512m $opens -cp "$spark_home/jars/*" org.apache.spark.deploy.worker.Worker \
  --host 127.0.0.1 --cores 2 --memory 3g --webui-port 0 --work-dir "$work/worker" \
  "spark://127.0.0.1:$port" > "$work/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  grep -q "Successfully registered with master" "$work/worker.log" 2>/dev/null && break
  sleep 0.5
done
grep -q "Successfully registered with master" "$work/worker.log" || { cat "$work/master.log" "$work/worker.log"; echo "cluster-smoke: the worker did not register"; exit 1; }

echo "== generate: one fund, 2021-2022"
jobs/run.sh generate --out "$work/input" --orgs 092 --from 2021 --to 2022 --beneficiaries 150 --seed 5 > /dev/null

# three fraud signals keep the smoke short (the suite tests all eleven); every table is compared
settings=(--set ingest.today=2026-06-30 --set fraud.signals=IJ_OVERLAP,NURSE_CAPACITY,CARE_AFTER_DEATH)
echo "== nightly on the cluster (jobs/submit.sh --master spark://127.0.0.1:$port)"
CPAM_DRIVER_MEMORY=2g jobs/submit.sh --master "spark://127.0.0.1:$port" --executor-memory 2g --total-executor-cores 2 \
  --conf spark.sql.shuffle.partitions=4 \
  nightly --input "$work/input" --warehouse "$work/wh-cluster" "${settings[@]}" > "$work/cluster.out" 2> "$work/cluster.err" \
  || { tail -40 "$work/cluster.err"; echo "cluster-smoke: the cluster run failed"; exit 1; }
grep -q "Registered app" "$work/master.log" || { echo "cluster-smoke: no application reached the master"; exit 1; }
grep -q "Asked to launch executor" "$work/worker.log" || { echo "cluster-smoke: the worker ran no executor"; exit 1; }

echo "== nightly in local mode (jobs/run.sh)"
jobs/run.sh nightly --input "$work/input" --warehouse "$work/wh-local" "${settings[@]}" > "$work/local.out" 2> "$work/local.err" \
  || { tail -40 "$work/local.err"; echo "cluster-smoke: the local run failed"; exit 1; }

echo "== compare the indicator tables, row by row"
queries=()
for t in spending_evolution top_movers covid_share covid_ij_motives ij_breakdown ij_payments fraud_signals fraud_targets; do
  a="delta.\`$work/wh-cluster/$t\`"
  b="delta.\`$work/wh-local/$t\`"
  queries+=("SELECT '$t' AS tbl, (SELECT count(*) FROM $a) AS cluster_rows, (SELECT count(*) FROM $b) AS local_rows,
    (SELECT count(*) FROM (SELECT * EXCEPT (run_id) FROM $a EXCEPT ALL SELECT * EXCEPT (run_id) FROM $b)) AS only_cluster,
    (SELECT count(*) FROM (SELECT * EXCEPT (run_id) FROM $b EXCEPT ALL SELECT * EXCEPT (run_id) FROM $a)) AS only_local")
done
joined=$(printf ' UNION ALL %s' "${queries[@]}")
jobs/run.sh sql --warehouse "$work/wh-local" "${joined# UNION ALL }" 2>/dev/null > "$work/compare.csv"
column -s, -t < "$work/compare.csv"
awk -F, 'NR > 1 && ($2 != $3 || $4 != 0 || $5 != 0 || $2 == 0) { bad = 1 } END { exit bad }' "$work/compare.csv" \
  || { echo "cluster-smoke: the cluster's tables differ from local mode"; exit 1; }
echo "cluster-smoke: OK (the cluster's tables equal local mode's)"
