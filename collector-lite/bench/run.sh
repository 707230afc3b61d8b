#!/usr/bin/env bash
# collector-lite throughput on loopback (see ../README.md, "Figures"). Usage, from anywhere:
#   collector-lite/bench/run.sh                      # the full set of runs quoted in the README
#   collector-lite/bench/run.sh --protocol grpc --seconds 20 --threads 4 [--rate 10000]   # one run
# Builds the jar and the test classes, then runs dev.tracelight.collector.bench.ThroughputBench.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl collector-lite -am install -DskipTests
./mvnw -B -q -pl collector-lite dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath >/dev/null
cd collector-lite
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
bench() { java -Xmx512m -cp "$CP" dev.tracelight.collector.bench.ThroughputBench "$@"; }
if [ $# -gt 0 ]; then bench "$@"; exit; fi
bench --protocol grpc --threads 4 --seconds 20
bench --protocol http --threads 4 --seconds 20
bench --protocol grpc --threads 2 --seconds 20 --rate 10000
bench --stack jdk --threads 4 --seconds 15
bench --stack netty --threads 4 --seconds 15
