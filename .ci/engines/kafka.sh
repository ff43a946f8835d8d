#!/usr/bin/env bash
# The Kafka broker's jars (and a log4j2 binding), for test/engines/kafka.ts.
set -euo pipefail
exec "$(dirname "$0")/../fetch-maven-engine" kafka test/engines/maven/kafka/pom.xml kafka.version kafka_2.13
