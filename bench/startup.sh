#!/usr/bin/env bash
# Start-up (JVM start to the first answered request: wall, CPU, peak RSS) and memory (after 500 requests and a full
# GC: peak RSS, RSS after the GC, heap, Metaspace, classes), no agent / tracelight / official agent, alternating. Jar
# sizes. --baseline JAR adds an earlier tracelight jar as a fourth column.
#   bench/startup.sh [--runs 5] [--warmup 1] [--apps hello,boot] [--memory true] [--memory-requests 500] [--baseline JAR]
source "$(dirname "$0")/lib.sh"
echo "machine: $(machine)"
bench startup "$@"
