#!/usr/bin/env bash
# Sequential AdmissionReviews against `serve --self-signed` over one TLS connection (curl), with the reference pod
# and deploy/examples/instrumentation.yaml. Prints the total and per-admission time and the server's RSS.
# Usage: injector-webhook/bench/admissions.sh [N=2000] [extra JVM options…]   (after ./mvnw -pl injector-webhook package)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/../target/injector-webhook.jar"
instrumentation="$here/../../deploy/examples/instrumentation.yaml"
n="${1:-2000}"; shift || true
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/review.json" <<'JSON'
{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"bench","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","namespace":"xxx","object":{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"test-5d8f9b7c4-","labels":{"pod-template-hash":"5d8f9b7c4"},"annotations":{"instrumentation.opentelemetry.io/inject-java":"true"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"test-5d8f9b7c4","uid":"u","controller":true}]},"spec":{"containers":[{"name":"test","image":"test:1.0","env":[{"name":"REDIS_SERVER","value":"redis:6379"},{"name":"USER_SERVICE","value":"http://test1:8001"}]}]}}}}
JSON

java "$@" -jar "$jar" serve --self-signed --ca-out "$work/ca.pem" --port 0 --bind 127.0.0.1 \
  --instrumentation "$instrumentation" > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/serve.log" && break; sleep 0.1; done
port="$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | cut -d: -f2)"

args=()
for i in $(seq 1 "$n"); do
  args+=(--data "@$work/review.json" "https://127.0.0.1:$port/mutate-v1-pod" -o /dev/null)
  if [ "$i" -lt "$n" ]; then args+=(--next --cacert "$work/ca.pem" -s -w '%{http_code}\n'); fi
done
curl -s --cacert "$work/ca.pem" -w '%{http_code}\n' "${args[@]}" > /dev/null   # warm-up
start=$(date +%s%N)
codes="$(curl -s --cacert "$work/ca.pem" -w '%{http_code}\n' "${args[@]}" | sort | uniq -c)"
end=$(date +%s%N)
echo "status codes: $codes"
echo "$n admissions: $(( (end - start) / 1000000 )) ms, $(( (end - start) / 1000 / n )) us each"
echo "server RSS: $(( $(ps -o rss= -p "$pid") / 1024 )) MiB"
