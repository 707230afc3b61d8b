#!/usr/bin/env bash
# collector-lite throughput on loopback (see ../README.md, "Figures"), started as shipped (the image's JVM flags, the
# heap sized from the DaemonSet's memory limit; see ThroughputBench). Usage, from anywhere:
#   collector-lite/bench/run.sh                      # the full set of runs quoted in the README
#   collector-lite/bench/run.sh --protocol grpc --seconds 20 --threads 4 [--rate 10000] [--runs 3]   # one load
#   collector-lite/bench/run.sh ... --baseline DIR   # also DIR (another build's collector-lite/), alternating
#   collector-lite/bench/run.sh --startup 5 [--baseline DIR]                                        # start-up
#   collector-lite/bench/run.sh ... --jvm-flags "-XX:+UseG1GC"                                      # other flags
# Packages the jar and compiles the test classes (COLLECTOR_BENCH_BUILT=1 skips that), then runs
# dev.tracelight.collector.bench.ThroughputBench.
set -euo pipefail
cd "$(dirname "$0")/../.."
unset JAVA_TOOL_OPTIONS
if [[ -z "${COLLECTOR_BENCH_BUILT:-}" ]]; then
  ./mvnw -B -q -pl collector-lite -am package -DskipTests
  ./mvnw -B -q -pl collector-lite dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath >/dev/null
fi
cd collector-lite
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
bench() { java -Xmx512m -cp "$CP" dev.tracelight.collector.bench.ThroughputBench "$@"; }
if [ $# -gt 0 ]; then bench "$@"; exit; fi
bench --protocol grpc --threads 4 --seconds 20
bench --protocol http --threads 4 --seconds 20
bench --protocol grpc --threads 2 --seconds 20 --rate 10000
bench --protocol http --threads 2 --seconds 20 --rate 10000
bench --stack jdk --threads 4 --seconds 15
bench --stack netty --threads 4 --seconds 15
