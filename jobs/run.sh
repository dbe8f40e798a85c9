#!/usr/bin/env bash
# Runs one command of the job on this machine: Spark in local mode, nothing to install but
# Java 17 and Maven. Builds the jar first when it is missing or older than the sources.
#
#   jobs/run.sh COMMAND [OPTIONS]        e.g. jobs/run.sh ingest --input data --warehouse wh
#
# Environment: CPAM_DRIVER_MEMORY (default 6g) sets the JVM heap; JAVA_OPTS adds JVM options.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

jar="target/cpam-analytics.jar"
cp_file="target/classpath.txt"

stale() {
  [ ! -f "$jar" ] || [ ! -f "$cp_file" ] && return 0
  [ -n "$(find pom.xml src/main conf -newer "$jar" -type f 2>/dev/null | head -1)" ]
}

if stale; then
  echo "building $jar ..." >&2
  mvn -B -q -DskipTests package >&2
  # a new file renamed over the old one: a run still reading the old jar keeps it (copied in
  # place, the jar changed under that run, which failed with "invalid LOC header")
  cp target/cpam-analytics-*-SNAPSHOT.jar "$jar.tmp.$$"
  mv -f "$jar.tmp.$$" "$jar"
  # full dependency classpath (Spark and Delta are 'provided' in the shaded jar)
  mvn -B -q dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=compile >&2
  # the benchmark also needs its DuckDB baseline, a test-scope dependency
  mvn -B -q dependency:build-classpath -Dmdep.outputFile="target/classpath-bench.txt" -Dmdep.includeScope=test >&2
fi
if [ "${1:-}" = "bench" ]; then
  [ -f target/classpath-bench.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile="target/classpath-bench.txt" -Dmdep.includeScope=test >&2
  cp_file="target/classpath-bench.txt"
fi

opens=$(sed -n 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' pom.xml)
# The job's own conf/ comes first on the classpath, so edits to conf/ apply without a rebuild.
exec java -Xmx"${CPAM_DRIVER_MEMORY:-6g}" $opens ${JAVA_OPTS:-} \
  -Dlog4j2.configurationFile="$here/conf/log4j2.properties" \
  -cp "$here/conf:$jar:$(cat "$cp_file")" fr.cpam.analytics.cli.Main "$@"
