#!/usr/bin/env bash
# The tracelight demo: a JDK-only service (samples/hello-jdk) runs under the agent, a client (also under the agent)
# calls it a few times, and every span the agent exports is printed as a tree, one tree per trace.
#
#   samples/demo.sh [--once]
#
# --once: run the scripted requests, print the traces and exit (today this is the only mode; a later version of the
# demo adds the collector and long-running services, and keeps --once for scripted runs).
# Needs only a JDK 17+; the Maven wrapper fetches the rest.
set -euo pipefail

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

for arg in "$@"; do
  case "$arg" in
    --once) ;;
    -h|--help) usage; exit 0 ;;
    *) echo "demo.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
AGENT="$ROOT/agent/target/javaagent.jar"
APP="$ROOT/samples/hello-jdk/target/hello-jdk.jar"
LIB="$ROOT/samples/hello-jdk/target/lib"
REQUESTS=3

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Waits for "LISTENING <port>" in a process's output and prints the port.
port_of() {
  local file="$1" pid="$2"
  for _ in $(seq 1 300); do
    if grep -q '^LISTENING ' "$file" 2>/dev/null; then
      sed -n 's/^LISTENING //p' "$file" | head -1
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "demo.sh: process exited early:" >&2; cat "$file" >&2; return 1; }
    sleep 0.1
  done
  echo "demo.sh: no LISTENING line after 30 s in $file" >&2
  return 1
}

echo "==> building the agent and the sample app (quiet, tests skipped)"
./mvnw -B -q -pl agent,samples/hello-jdk -am package -DskipTests >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; exit 1; }
echo "    agent: agent/target/javaagent.jar ($(( $(wc -c <"$AGENT") / 1024 )) KiB)"

echo "==> starting a span printer (a tiny OTLP/HTTP receiver)"
"$JAVA" -cp "$APP:$LIB/*" dev.tracelight.samples.hello.SpanPrinter >"$WORK/printer.out" 2>&1 &
PRINTER=$!
PIDS+=("$PRINTER")
PRINTER_PORT="$(port_of "$WORK/printer.out" "$PRINTER")"

export OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$PRINTER_PORT"
export OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none OTEL_BSP_SCHEDULE_DELAY=200

echo "==> starting hello-jdk under the agent: java -javaagent:agent/target/javaagent.jar ... HelloService"
OTEL_SERVICE_NAME=hello-jdk "$JAVA" -javaagent:"$AGENT" -cp "$APP" dev.tracelight.samples.hello.HelloService \
  >"$WORK/service.out" 2>&1 &
SERVICE=$!
PIDS+=("$SERVICE")
SERVICE_PORT="$(port_of "$WORK/service.out" "$SERVICE")"

echo "==> calling http://127.0.0.1:$SERVICE_PORT/hello $REQUESTS times (the client runs under the agent too)"
OTEL_SERVICE_NAME=hello-client "$JAVA" -javaagent:"$AGENT" -cp "$APP" dev.tracelight.samples.hello.HelloClient \
  "http://127.0.0.1:$SERVICE_PORT/hello" "$REQUESTS" 2>"$WORK/client.err" | sed 's/^/    /' \
  || { cat "$WORK/client.err" >&2; exit 1; }

# A normal JVM exit flushes the agent's last spans; then the printer prints what it received.
kill -TERM "$SERVICE"; wait "$SERVICE" 2>/dev/null || true
kill -TERM "$PRINTER"; wait "$PRINTER" 2>/dev/null || true
echo "==> spans received"
grep -v '^LISTENING ' "$WORK/printer.out"
if grep -q '^\[tracelight\]' "$WORK/service.out"; then
  echo "==> agent messages (hello-jdk)"; grep '^\[tracelight\]' "$WORK/service.out"
fi
