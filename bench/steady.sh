#!/usr/bin/env bash
# Steady state through server -> client -> server (the hello app's GET /hello): sequential, then 8 concurrent clients;
# throughput, p50/p99 latency, app CPU per request; no agent / tracelight / official agent, alternating in rounds.
#   bench/steady.sh [--requests 50000] [--rounds 5] [--concurrency 8] [--warmup 30000] [--app hello|boot]
#                    [--baseline JAR]   (an earlier tracelight jar, measured alternating as a fourth column)
source "$(dirname "$0")/lib.sh"
echo "machine: $(machine)"
bench steady "$@"
