#!/usr/bin/env bash
# Start-up of the Spring Boot 3 test service (agent-it-web ShopApp: Tomcat, Spring MVC, RestClient, WebClient) with no
# agent, with tracelight's agent and with the official OpenTelemetry agent: JVM uptime when Tomcat listens (so agent
# premain is included), median of RUNS runs per variant, the variants interleaved so machine noise spreads evenly.
# Exporters are off (none) for both agents: this measures start-up, not a collector. Needs, once:
#   ./mvnw -B -pl agent-it-web -am verify   (builds the agent jar, the class path file and copies the official agent)
set -euo pipefail
cd "$(dirname "$0")"
RUNS="${RUNS:-5}"
CP="target/test-classes:$(cat target/boot-classpath.txt)"
OURS="../agent/target/javaagent.jar"
OFFICIAL="target/official-agent/opentelemetry-javaagent.jar"
for f in "$OURS" "$OFFICIAL" target/boot-classpath.txt; do
  [[ -f "$f" ]] || { echo "missing $f: run ./mvnw -B -pl agent-it-web -am verify first" >&2; exit 1; }
done
export OTEL_TRACES_EXPORTER=none OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none OTEL_SERVICE_NAME=startup
unset JAVA_TOOL_OPTIONS
run() { # $1: extra JVM option or empty
  java ${1:+"$1"} -cp "$CP" dev.tracelight.itweb.app.ShopApp --server.port=0 --server.address=127.0.0.1 \
    --spring.main.banner-mode=off --exit-when-ready=true 2>/dev/null | sed -n 's/^READY-MS //p'
}
declare -A samples
for ((i = 1; i <= RUNS; i++)); do
  samples[none]+="$(run "") "
  samples[tracelight]+="$(run "-javaagent:$OURS") "
  samples[official]+="$(run "-javaagent:$OFFICIAL") "
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
base=$(echo "${samples[none]}" | median)
for variant in none tracelight official; do
  m=$(echo "${samples[$variant]}" | median)
  printf '%-11s median %5d ms  (x%s)  runs: %s\n' "$variant" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN{printf "%.2f", a/b}')" \
    "${samples[$variant]}"
done
