#!/usr/bin/env bash
# Fetch the Kafka broker's jars (and a log4j2 binding) from Maven Central into
# .engines/kafka/lib, the classpath test/engines/kafka.ts starts the broker from.
# Idempotent: does nothing when the jars for the pinned version are already there.
# Run from the repo root. Needs Java 17+ and Maven.
set -euo pipefail

POM=test/engines/maven/kafka/pom.xml
LIB="$PWD/.engines/kafka/lib"
# Pinned in the POM; read it back so the skip check follows a version bump.
VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")

if [[ -f "$LIB/kafka_2.13-$VERSION.jar" && -f "$LIB/.complete" ]]; then
  echo "kafka $VERSION jars already in $LIB"
  exit 0
fi

# Start clean: a half-finished copy or an older version's jars must not linger on the classpath.
rm -rf "$LIB"
mkdir -p "$LIB"
mvn -q -B -f "$POM" dependency:copy-dependencies \
  -DoutputDirectory="$LIB" -DincludeScope=runtime
# Written last, so an interrupted download is retried next time rather than skipped.
touch "$LIB/.complete"
echo "kafka $VERSION: $(ls "$LIB"/*.jar | wc -l) jars, $(du -sh "$LIB" | cut -f1) in $LIB"
