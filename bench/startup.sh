#!/usr/bin/env bash
# Start-up (JVM start to the first answered request: wall, CPU, peak RSS) and memory (after 500 requests and a full
# GC: peak RSS, heap, Metaspace, classes), no agent / tracelight / official agent, alternating. Jar sizes.
#   bench/startup.sh [--runs 5] [--warmup 1] [--apps hello,boot] [--memory true]
source "$(dirname "$0")/lib.sh"
echo "machine: $(machine)"
bench startup "$@"
