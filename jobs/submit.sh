#!/usr/bin/env bash
# Submits one command of the job to a Spark cluster with spark-submit: the shaded jar (the job,
# picocli and Typesafe Config; Spark, Delta and Hadoop are the cluster's), conf/log4j2.properties
# for the driver, Spark's --add-opens list for the driver and the executors.
#
#   jobs/submit.sh [SPARK-SUBMIT OPTIONS] COMMAND [JOB OPTIONS]
#
#   jobs/submit.sh --master spark://host:7077 --executor-memory 4g --total-executor-cores 8 \
#       nightly --input hdfs:///cpam/input --warehouse hdfs:///cpam/warehouse --conf site.conf
#   jobs/submit.sh --master yarn --deploy-mode cluster --num-executors 20 --executor-cores 4 \
#       --executor-memory 8g --files site.conf nightly --input ... --warehouse ... --conf site.conf
#   jobs/submit.sh --master k8s://https://api:6443 --deploy-mode cluster \
#       --conf spark.kubernetes.container.image=registry/spark:4.1.1 ... nightly ...
#
# Everything before the job COMMAND (generate, ingest, compute, nightly, sql, evaluate) goes to
# spark-submit, everything after it to the job. spark-submit is $SPARK_HOME/bin/spark-submit
# when there is one; otherwise the SparkSubmit class is run from the project's own Spark jars
# (client mode, what jobs/cluster-smoke.sh does). Environment:
#   SPARK_HOME            a Spark 4.1 distribution (or a folder with jars/, see cluster-smoke.sh)
#   CPAM_DELTA_PACKAGES=1 add --packages io.delta:delta-spark_2.13:4.3.1 (cluster without Delta)
#   CPAM_HADOOP_AWS=1     add --packages org.apache.hadoop:hadoop-aws (s3a:// storage), see README
#   CPAM_DRIVER_MEMORY    driver heap for the embedded spark-submit (default 4g)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

submit_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    generate|ingest|compute|nightly|sql|evaluate) break ;;
    *) submit_args+=("$1"); shift ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: jobs/submit.sh [spark-submit options] COMMAND [job options]" >&2; exit 2; }

jar=$(ls "$here"/target/cpam-analytics-*-shaded.jar 2>/dev/null | head -1 || true)
if [ -z "$jar" ] || [ -n "$(find "$here/pom.xml" "$here/src/main" "$here/conf" -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
  echo "building the shaded jar ..." >&2
  (cd "$here" && mvn -B -q -DskipTests package >&2)
  jar=$(ls "$here"/target/cpam-analytics-*-shaded.jar | head -1)
fi

opens=$(sed -n 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' "$here/pom.xml")
packages=()
[ "${CPAM_DELTA_PACKAGES:-0}" = "1" ] && packages+=("io.delta:delta-spark_2.13:4.3.1")
[ "${CPAM_HADOOP_AWS:-0}" = "1" ] && packages+=("org.apache.hadoop:hadoop-aws:3.4.2")
extra=()
if [ ${#packages[@]} -gt 0 ]; then
  extra+=(--packages "$(IFS=,; echo "${packages[*]}")")
fi
common=(--class fr.cpam.analytics.cli.Main --name "cpam-analytics $1"
  --conf "spark.executor.extraJavaOptions=$opens"
  --conf "spark.driver.extraJavaOptions=$opens -Dlog4j2.configurationFile=$here/conf/log4j2.properties"
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog)

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  exec "$SPARK_HOME/bin/spark-submit" "${common[@]}" ${extra[@]+"${extra[@]}"} ${submit_args[@]+"${submit_args[@]}"} "$jar" "$@"
fi

# no Spark distribution: the SparkSubmit class from the project's own dependency jars (client
# mode: the driver is this JVM, so it gets the --add-opens list and the log configuration here)
cp_file="$here/target/classpath.txt"
if [ ! -f "$cp_file" ] || [ "$here/pom.xml" -nt "$cp_file" ]; then
  (cd "$here" && mvn -B -q dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=compile >&2)
fi
export SPARK_SCALA_VERSION=2.13
exec java -Xmx"${CPAM_DRIVER_MEMORY:-4g}" $opens -Dlog4j2.configurationFile="$here/conf/log4j2.properties" \
  -cp "$(cat "$cp_file")" org.apache.spark.deploy.SparkSubmit \
  "${common[@]}" ${extra[@]+"${extra[@]}"} ${submit_args[@]+"${submit_args[@]}"} "$jar" "$@"
