#!/usr/bin/env bash
# The tracelight demo: the reference services under the agent, their traces in collector-lite's trace view.
#
#   samples/demo.sh [--once] [--no-build] [--no-redis]
#
# Builds the agent, collector-lite and the two sample services (quiet, tests skipped), starts collector-lite with its
# trace view, a local redis-server when one is installed, service test1 (users over JDBC) and service test (Redis cache,
# then test1), both under -javaagent with no tracing code; sends a few requests, prints each trace as a tree, and stays
# up (printing new traces) until Ctrl-C. Everything it started is stopped on exit.
#   --once      exit 0 after printing the traces (for scripts)
#   --no-build  use the jars already built
#   --no-redis  run without the cache even when redis-server is installed
# Ports (override when taken): DEMO_TEST_PORT=8000 DEMO_TEST1_PORT=8001 DEMO_REDIS_PORT=6379 DEMO_TRACEVIEW_PORT=16686
#   DEMO_OTLP_HTTP_PORT=4318 DEMO_OTLP_GRPC_PORT=4317 DEMO_HEALTH_PORT=13133
# Needs only a JDK 17+; the Maven wrapper fetches the rest.
set -euo pipefail

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

ONCE=false BUILD=true REDIS=true
for arg in "$@"; do
  case "$arg" in
    --once) ONCE=true ;;
    --no-build) BUILD=false ;;
    --no-redis) REDIS=false ;;
    -h|--help) usage; exit 0 ;;
    *) echo "demo.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
AGENT="$ROOT/agent/target/javaagent.jar"
COLLECTOR="$ROOT/collector-lite/target/collector-lite.jar"
TEST_JAR="$ROOT/samples/test-service/target/test-service-exec.jar"
TEST1_JAR="$ROOT/samples/user-service/target/user-service-exec.jar"
DRIVER_CP="$ROOT/samples/demo/target/demo.jar:$ROOT/samples/demo/target/lib/*"

export DEMO_TEST_PORT="${DEMO_TEST_PORT:-8000}" DEMO_TEST1_PORT="${DEMO_TEST1_PORT:-8001}"
export DEMO_REDIS_PORT="${DEMO_REDIS_PORT:-6379}" DEMO_TRACEVIEW_PORT="${DEMO_TRACEVIEW_PORT:-16686}"
export DEMO_OTLP_HTTP_PORT="${DEMO_OTLP_HTTP_PORT:-4318}" DEMO_OTLP_GRPC_PORT="${DEMO_OTLP_GRPC_PORT:-4317}"
export DEMO_HEALTH_PORT="${DEMO_HEALTH_PORT:-13133}"

if ! "$JAVA" -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
  echo "demo.sh: needs Java 17 or newer as '$JAVA' (set JAVA_HOME); found: $("$JAVA" -version 2>&1 | head -1)" >&2
  exit 1
fi

WORK="$(mktemp -d)"
APPS=() OTHERS=()
stop() {
  # The services first, so that their agents flush the last spans to a collector that still listens.
  local pid
  for pid in ${APPS[@]+"${APPS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${APPS[@]+"${APPS[@]}"}; do wait "$pid" 2>/dev/null || true; done
  for pid in ${OTHERS[@]+"${OTHERS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${OTHERS[@]+"${OTHERS[@]}"}; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap stop EXIT
trap 'echo; echo "==> stopping"; exit 0' INT TERM

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Fails early, naming the variable to change, instead of failing half-way with "address in use".
for var in DEMO_TEST_PORT DEMO_TEST1_PORT DEMO_TRACEVIEW_PORT DEMO_OTLP_HTTP_PORT DEMO_OTLP_GRPC_PORT DEMO_HEALTH_PORT; do
  if listening "${!var}"; then
    echo "demo.sh: port ${!var} is in use by another program: stop it or choose another, e.g. $var=$(( ${!var} + 10000 ))" >&2
    exit 1
  fi
done

# Waits until a started process listens on its port; on failure shows its log.
await_port() {
  local name="$1" port="$2" pid="$3" log="$4"
  for _ in $(seq 1 600); do
    listening "$port" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "demo.sh: $name exited before listening on $port; its log ($log):" >&2
      tail -n 40 "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "demo.sh: $name did not listen on $port within 60 s; its log:" >&2
  tail -n 40 "$log" >&2
  exit 1
}

if $BUILD; then
  echo "==> building the agent, collector-lite and the sample services (quiet, tests skipped; the first time takes a few minutes)"
  ./mvnw -B -q -pl agent,collector-lite,samples/user-service,samples/test-service,samples/demo -am package -DskipTests \
    >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi
for jar in "$AGENT" "$COLLECTOR" "$TEST_JAR" "$TEST1_JAR" "$ROOT/samples/demo/target/demo.jar"; do
  [[ -f "$jar" ]] || { echo "demo.sh: $jar is missing: run without --no-build" >&2; exit 1; }
done

echo "==> starting collector-lite with the trace view (samples/demo/collector.yaml)"
"$JAVA" -Xmx256m -jar "$COLLECTOR" --config "$ROOT/samples/demo/collector.yaml" >"$WORK/collector.log" 2>&1 &
OTHERS+=("$!")
await_port collector-lite "$DEMO_HEALTH_PORT" "$!" "$WORK/collector.log"

REDIS_SERVER=""
if ! $REDIS; then
  echo "==> --no-redis: service test runs without its cache, so the traces have no Redis hop"
elif command -v redis-server >/dev/null 2>&1; then
  if listening "$DEMO_REDIS_PORT"; then
    echo "demo.sh: port $DEMO_REDIS_PORT is in use by another program: stop it or choose another, e.g. DEMO_REDIS_PORT=16379" >&2
    exit 1
  fi
  echo "==> starting redis-server on 127.0.0.1:$DEMO_REDIS_PORT (nothing saved to disk)"
  redis-server --port "$DEMO_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
  OTHERS+=("$!")
  await_port redis-server "$DEMO_REDIS_PORT" "$!" "$WORK/redis.log"
  REDIS_SERVER="127.0.0.1:$DEMO_REDIS_PORT"
else
  echo "==> redis-server is not installed: service test runs without its cache, so the traces have no Redis hop"
  echo "    (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis — see samples/README.md)"
fi

# What the injector sets in Kubernetes from samples/k8s/instrumentation.yaml, pointed at the local collector.
export OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$DEMO_OTLP_HTTP_PORT"
export OTEL_PROPAGATORS=tracecontext,baggage,b3
export OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=1
# Quicker than the default 5 s, so the traces show up at once.
export OTEL_BSP_SCHEDULE_DELAY=200

echo "==> starting test1 (users over JDBC) and test (Redis, then test1) under the agent:"
echo "    java -javaagent:agent/target/javaagent.jar -jar samples/user-service/target/user-service-exec.jar"
OTEL_SERVICE_NAME=test1 PORT="$DEMO_TEST1_PORT" \
  "$JAVA" -javaagent:"$AGENT" -jar "$TEST1_JAR" >"$WORK/test1.log" 2>&1 &
APPS+=("$!")
TEST1_PID=$!
OTEL_SERVICE_NAME=test PORT="$DEMO_TEST_PORT" REDIS_SERVER="$REDIS_SERVER" USER_SERVICE="http://127.0.0.1:$DEMO_TEST1_PORT" \
  "$JAVA" -javaagent:"$AGENT" -jar "$TEST_JAR" >"$WORK/test.log" 2>&1 &
APPS+=("$!")
await_port test1 "$DEMO_TEST1_PORT" "$TEST1_PID" "$WORK/test1.log"
await_port test "$DEMO_TEST_PORT" "$!" "$WORK/test.log"

TRACEVIEW="http://127.0.0.1:$DEMO_TRACEVIEW_PORT"
echo "==> calling http://127.0.0.1:$DEMO_TEST_PORT/users/{id}"
FOLLOW=()
$ONCE || FOLLOW=(--follow)
"$JAVA" -cp "$DRIVER_CP" dev.tracelight.samples.demo.DemoDriver --service "http://127.0.0.1:$DEMO_TEST_PORT" \
  --traceview "$TRACEVIEW" ${FOLLOW[@]+"${FOLLOW[@]}"} || { echo "demo.sh: the driver failed" >&2; exit 1; }

for service in test test1; do
  if grep -q '^\[tracelight\]' "$WORK/$service.log"; then
    echo "==> agent messages ($service)"; grep '^\[tracelight\]' "$WORK/$service.log" | sed 's/^/    /'
  fi
done
echo "==> trace view was at $TRACEVIEW/ (run without --once to keep everything up and browse it)"
