#!/usr/bin/env bash
# collector-lite as shipped (the image's JVM flags, the heap sized from the DaemonSet's memory limit; see
# collector-lite/bench/run.sh): start-up to healthy, then OTLP requests of 100 spans over gRPC and HTTP through batch
# into two exporters: spans/s per core at saturation, CPU and RSS at a fixed 10k spans/s. Each table: median (min–max).
#   bench/collector.sh [--runs 3] [--seconds 10] [--warmup 10] [--baseline DIR]
# --baseline DIR measures another build too, alternating with this one run by run (before/after in one run on a noisy
# machine). DIR is that build's collector-lite/ directory, packaged, e.g. for commit d8904b7:
#   mkdir /tmp/base && git archive d8904b7 | tar -x -C /tmp/base && (cd /tmp/base && ./mvnw -B -pl collector-lite -am package -DskipTests)
#   bench/collector.sh --baseline /tmp/base/collector-lite
# Only the collector is built here (`package`, nothing installed); the other bench scripts need the agent and samples.
set -euo pipefail
cd "$(dirname "$0")/.."
unset JAVA_TOOL_OPTIONS
runs=3 seconds=10 warmup=10 baseline=()
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --baseline) baseline=(--baseline "$(cd "$2" && pwd)"); shift 2 ;;
    *) echo "unknown argument $1 (--runs N, --seconds S, --warmup S, --baseline DIR)" >&2; exit 2 ;;
  esac
done
./mvnw -B -q -pl collector-lite -am package -DskipTests
./mvnw -B -q -pl collector-lite dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath >/dev/null
export COLLECTOR_BENCH_BUILT=1
echo "machine: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"\
  "$(awk '/^MemTotal:/ {printf "%.0f", $2 / 1048576}' /proc/meminfo) GiB RAM; $(java -version 2>&1 | head -2 | tail -1);"\
  "collector-lite at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- collector-lite deploy/collector-lite 2>/dev/null || echo ' + uncommitted changes')"
echo
echo "### collector-lite start-up (load average $(cut -d' ' -f1-3 /proc/loadavg))"
collector-lite/bench/run.sh --startup "$runs" "${baseline[@]}"
for args in "--protocol grpc --threads 4" "--protocol http --threads 4" "--protocol grpc --threads 4 --rate 10000" \
    "--protocol http --threads 4 --rate 10000"; do
  echo
  echo "### $args, ${seconds} s per run after a ${warmup} s warm-up (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  # shellcheck disable=SC2086
  collector-lite/bench/run.sh $args --runs "$runs" --seconds "$seconds" --warmup "$warmup" "${baseline[@]}"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
