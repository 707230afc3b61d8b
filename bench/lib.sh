#!/usr/bin/env bash
# Shared by the bench scripts (sourced): builds what is missing and snapshots the jars under test into
# bench/target/jars/, so that a rebuild of a module while a benchmark runs cannot change what is measured.
#   BENCH_REBUILD=1  rebuild the project's jars even when they exist (default: build only what is missing)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
unset JAVA_TOOL_OPTIONS
JARS=bench/target/jars
mkdir -p "$JARS"

# module path -> the jar it builds
declare -A BUILT=(
  [agent]=agent/target/javaagent.jar
  [samples/user-service]=samples/user-service/target/user-service-exec.jar
  [collector-lite]=collector-lite/target/collector-lite.jar
)
missing=()
for module in "${!BUILT[@]}"; do
  if [[ -n "${BENCH_REBUILD:-}" || ! -f "${BUILT[$module]}" ]]; then missing+=("$module"); fi
done
if ((${#missing[@]})); then
  echo "building ${missing[*]} (tests skipped)" >&2
  ./mvnw -B -q -pl "$(IFS=,; echo "${missing[*]}")" -am install -DskipTests >&2
fi
cp agent/target/javaagent.jar "$JARS/tracelight-javaagent.jar"
cp samples/user-service/target/user-service-exec.jar \
  collector-lite/target/collector-lite.jar "$JARS/"

# The JDK-only app (bench/app/BenchHello.java), compiled for Java 11 like the agent's floor.
if [[ ! -f "$JARS/bench-hello.jar" || bench/app/BenchHello.java -nt "$JARS/bench-hello.jar" ]]; then
  rm -rf bench/target/app-classes && javac --release 11 -d bench/target/app-classes bench/app/BenchHello.java
  jar --create --file "$JARS/bench-hello.jar" -C bench/target/app-classes .
fi

# The official agent at the version the root pom pins, from Maven Central through the ordinary client.
OFFICIAL_VERSION=$(sed -n 's:.*<opentelemetry-javaagent.version>\(.*\)</opentelemetry-javaagent.version>.*:\1:p' pom.xml)
OFFICIAL_JAR="$JARS/opentelemetry-javaagent-$OFFICIAL_VERSION.jar"
if [[ ! -f "$OFFICIAL_JAR" ]]; then
  ./mvnw -B -q -N dependency:copy -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$OFFICIAL_VERSION" \
    -DoutputDirectory="$JARS" >&2
fi
cp "$OFFICIAL_JAR" "$JARS/opentelemetry-javaagent.jar"

# machine line for the tables
machine() {
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"\
    "$(awk '/^MemTotal:/ {printf "%.0f", $2 / 1048576}' /proc/meminfo) GiB RAM; $(java -version 2>&1 | head -2 | tail -1);"\
    "tracelight agent jar built in a tree at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- agent bootstrap 2>/dev/null || echo ' + uncommitted changes');"\
    "official agent $OFFICIAL_VERSION; load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
bench() { java bench/Bench.java "$@"; }
