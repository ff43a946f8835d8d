#!/usr/bin/env bash
# Fetch the ElasticMQ server's jars (an SQS-compatible queue) from Maven Central
# into .engines/elasticmq/lib, the classpath test/engines/sqs.ts starts it from.
# Idempotent: does nothing when the jars for the pinned version are already there.
# Run from the repo root. Needs Java 17+ and Maven.
set -euo pipefail

POM=test/engines/maven/elasticmq/pom.xml
LIB="$PWD/.engines/elasticmq/lib"
# Pinned in the POM; read it back so the skip check follows a version bump.
VERSION=$(sed -n 's:.*<elasticmq.version>\(.*\)</elasticmq.version>.*:\1:p' "$POM")

if [[ -f "$LIB/elasticmq-server_2.13-$VERSION.jar" && -f "$LIB/.complete" ]]; then
  echo "elasticmq $VERSION jars already in $LIB"
  exit 0
fi

# Start clean: a half-finished copy or an older version's jars must not linger on the classpath.
rm -rf "$LIB"
mkdir -p "$LIB"
mvn -q -B -f "$POM" dependency:copy-dependencies \
  -DoutputDirectory="$LIB" -DincludeScope=runtime
# Written last, so an interrupted download is retried next time rather than skipped.
touch "$LIB/.complete"
echo "elasticmq $VERSION: $(ls "$LIB"/*.jar | wc -l) jars, $(du -sh "$LIB" | cut -f1) in $LIB"
