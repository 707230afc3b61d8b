#!/usr/bin/env bash
# A CI-sized run of the suite (about a minute on 2 busy cores): every script path once with tiny counts, so the scripts
# keep working. The figures mean nothing at this size; the tables must just be there. bench/src/test (BenchSmokeIT)
# runs this in `./mvnw -B -pl bench -am verify` and checks the tables.
source "$(dirname "$0")/lib.sh"
echo "machine: $(machine)"
bench startup --runs 1 --warmup 0 --apps hello --memory true
bench steady --requests 300 --rounds 1 --warmup 100 --concurrency 8
bench collector --runs 1
