#!/usr/bin/env bash
# collector-lite: start-up to healthy (Bench.java), then OTLP requests of 100 spans over gRPC and HTTP through batch into
# two exporters (collector-lite/bench/run.sh): spans/s per core at saturation, CPU and RSS at a fixed 10k spans/s.
#   bench/collector.sh [--runs 5] [--seconds 10]      (run.sh also has a 5 s warm-up per run)
source "$(dirname "$0")/lib.sh"
runs=5 seconds=10
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "unknown argument $1 (--runs N, --seconds S)" >&2; exit 2 ;;
  esac
done
echo "machine: $(machine)"
bench collector --runs "$runs"
echo
echo "### collector-lite throughput (collector-lite/bench/run.sh, ${seconds} s per run after a 5 s warm-up)"
echo
for args in "--protocol grpc --threads 4" "--protocol http --threads 4" "--protocol grpc --threads 2 --rate 10000" \
    "--protocol http --threads 2 --rate 10000"; do
  echo "$args (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
  # shellcheck disable=SC2086
  collector-lite/bench/run.sh $args --seconds "$seconds"
done
