#!/usr/bin/env bash
# The ElasticMQ server's jars (an SQS-compatible queue), for test/engines/sqs.ts.
set -euo pipefail
exec "$(dirname "$0")/../fetch-maven-engine" elasticmq test/engines/maven/elasticmq/pom.xml elasticmq.version elasticmq-server_2.13
