#!/usr/bin/env bash
# Smoke test of the peers built by scripts/peers.sh, all on 127.0.0.1 (nothing else is contacted):
#   VictoriaMetrics :18428  <-prometheus_remote_write-  Collector (OTLP :14317/:14318, health :13133,
#   own metrics :8888)  -otlp_grpc->  Jaeger (scripts/peers/jaeger-config.yaml: OTLP :24317/:24318,
#   query :16686, health :23133, metrics :28888)
# It validates the collector config (otelcol validate), starts the three, sends one span and two metrics
# as OTLP/HTTP JSON with curl, checks that Jaeger lists the service and VictoriaMetrics has the series,
# and prints the collector's own otelcol_* metric names with their types. Every process it started is
# stopped on exit. Logs and configs stay in $SMOKE_DIR (default: a new /tmp/peers-smoke.XXXXXX).
#
# Usage: scripts/peers/smoke.sh          (runs scripts/peers.sh first to get the binaries)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
eval "$("$HERE/../peers.sh")"
: "${OTELCOL_BIN:?}" "${JAEGER_BIN:?}" "${VM_BIN:?}"

SMOKE_DIR=${SMOKE_DIR:-$(mktemp -d /tmp/peers-smoke.XXXXXX)}
mkdir -p "$SMOKE_DIR"
VM_PORT=18428
SERVICE=peers-smoke

say() { echo "smoke: $*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}

pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# wait_for URL SECONDS [GREP-PATTERN]
wait_for() {
  local url=$1 secs=$2 pat=${3:-} i body
  for ((i = 0; i < secs * 2; i++)); do
    if body=$(curl -fsS --max-time 2 "$url" 2>/dev/null); then
      if [ -z "$pat" ] || grep -q -- "$pat" <<<"$body"; then return 0; fi
    fi
    sleep 0.5
  done
  return 1
}

# Refuse to start when another process (another test run?) already listens on one of the ports.
for port in $VM_PORT 14317 14318 13133 8888 24317 24318 16686 16685 23133 28888; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "127.0.0.1:$port is already in use by another process"
  fi
done

cat >"$SMOKE_DIR/otelcol.yaml" <<EOF
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:14317
      http:
        endpoint: 127.0.0.1:14318
  host_metrics:
    collection_interval: 5s
    scrapers:
      cpu: {}
      memory: {}
      disk: {}
      network: {}

processors:
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
    spike_limit_percentage: 20
  batch:
    timeout: 1s

exporters:
  prometheus_remote_write:
    http:
      endpoint: http://127.0.0.1:$VM_PORT/api/v1/write
      tls:
        insecure: true
    translation_strategy: UnderscoreEscapingWithSuffixes
    retry_on_failure:
      enabled: true
      initial_interval: 1s
      max_interval: 5s
      max_elapsed_time: 30s
    remote_write_queue:
      enabled: true
      queue_size: 1000
  otlp_grpc:
    endpoint: 127.0.0.1:24317
    tls:
      insecure: true
  debug:
    verbosity: basic

extensions:
  health_check:
    endpoint: 127.0.0.1:13133

service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [otlp_grpc, debug]
    metrics:
      receivers: [otlp, host_metrics]
      processors: [memory_limiter, batch]
      exporters: [prometheus_remote_write, debug]
  telemetry:
    metrics:
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: 8888
EOF

say "otelcol validate --config=$SMOKE_DIR/otelcol.yaml"
"$OTELCOL_BIN" validate --config="$SMOKE_DIR/otelcol.yaml" >"$SMOKE_DIR/validate.log" 2>&1 ||
  {
    cat "$SMOKE_DIR/validate.log" >&2
    fail "otelcol validate"
  }
say "validate passed"

say "starting VictoriaMetrics on 127.0.0.1:$VM_PORT"
"$VM_BIN" -httpListenAddr="127.0.0.1:$VM_PORT" -storageDataPath="$SMOKE_DIR/vmdata" -retentionPeriod=30d \
  -search.latencyOffset=1s >"$SMOKE_DIR/vm.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$VM_PORT/health" 30 OK || fail "VictoriaMetrics /health (see $SMOKE_DIR/vm.log)"

say "starting Jaeger with $HERE/jaeger-config.yaml"
"$JAEGER_BIN" --config "$HERE/jaeger-config.yaml" >"$SMOKE_DIR/jaeger.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:23133/status" 60 || fail "Jaeger health :23133/status (see $SMOKE_DIR/jaeger.log)"
wait_for "http://127.0.0.1:16686/api/services" 30 || fail "Jaeger /api/services (see $SMOKE_DIR/jaeger.log)"

say "starting the collector"
"$OTELCOL_BIN" --config="$SMOKE_DIR/otelcol.yaml" >"$SMOKE_DIR/otelcol.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:13133/" 60 || fail "collector health :13133 (see $SMOKE_DIR/otelcol.log)"

now=$(date +%s%N)
start=$((now - 1000000000))
curl -fsS -H 'Content-Type: application/json' http://127.0.0.1:14318/v1/traces -d @- >/dev/null <<EOF
{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"$SERVICE"}}]},
 "scopeSpans":[{"scope":{"name":"smoke"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
 "spanId":"eee19b7ec3c1b174","name":"smoke-span","kind":2,
 "startTimeUnixNano":"$start","endTimeUnixNano":"$now"}]}]}]}
EOF
curl -fsS -H 'Content-Type: application/json' http://127.0.0.1:14318/v1/metrics -d @- >/dev/null <<EOF
{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"$SERVICE"}},
 {"key":"service.instance.id","value":{"stringValue":"smoke-1"}}]},
 "scopeMetrics":[{"scope":{"name":"smoke"},"metrics":[
  {"name":"peers.smoke.requests","unit":"{request}","sum":{"aggregationTemporality":2,"isMonotonic":true,
   "dataPoints":[{"asInt":"3","startTimeUnixNano":"$start","timeUnixNano":"$now",
   "attributes":[{"key":"http.route","value":{"stringValue":"/x"}}]}]}},
  {"name":"peers.smoke.duration","unit":"ms","histogram":{"aggregationTemporality":2,
   "dataPoints":[{"count":"2","sum":30,"bucketCounts":["1","1","0"],"explicitBounds":[10,100],
   "startTimeUnixNano":"$start","timeUnixNano":"$now"}]}}]}]}]}
EOF
say "sent one span and two metrics to the collector (OTLP/HTTP JSON)"

wait_for "http://127.0.0.1:16686/api/services" 30 "$SERVICE" || fail "Jaeger does not list $SERVICE"
say "Jaeger /api/services: $(curl -fsS http://127.0.0.1:16686/api/services)"

vm_query() { curl -fsS --get "http://127.0.0.1:$VM_PORT/api/v1/query" --data-urlencode "query=$1"; }
for i in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$VM_PORT/internal/force_flush" >/dev/null || true
  if vm_query peers_smoke_requests_total | grep -q "$SERVICE" &&
    vm_query peers_smoke_duration_milliseconds_bucket | grep -q "$SERVICE"; then
    break
  fi
  [ "$i" -lt 60 ] || fail "VictoriaMetrics has no peers_smoke_requests_total / peers_smoke_duration_milliseconds_bucket"
  sleep 1
done
say "VictoriaMetrics: $(vm_query peers_smoke_requests_total)"

# The exporter counters appear once data went through; give host_metrics two scrapes.
wait_for "http://127.0.0.1:8888/metrics" 30 otelcol_exporter_sent_metric_points || fail "no otelcol_exporter_sent_metric_points on :8888"
wait_for "http://127.0.0.1:8888/metrics" 30 otelcol_exporter_sent_spans || fail "no otelcol_exporter_sent_spans on :8888"
sleep 6
curl -fsS http://127.0.0.1:8888/metrics >"$SMOKE_DIR/otelcol-metrics.txt"
say "collector's own metrics on :8888 (name type):"
sed -n 's/^# TYPE \(otelcol_[^ ]*\) \(.*\)/\1 \2/p' "$SMOKE_DIR/otelcol-metrics.txt" | sort
curl -fsS "http://127.0.0.1:$VM_PORT/internal/force_flush" >/dev/null || true
curl -fsS "http://127.0.0.1:$VM_PORT/api/v1/label/__name__/values" >"$SMOKE_DIR/vm-metric-names.json"
say "metric names in VictoriaMetrics: $(cat "$SMOKE_DIR/vm-metric-names.json")"
if grep -q -i "deprecat" "$SMOKE_DIR/otelcol.log"; then
  say "collector log mentions deprecations:"
  grep -i "deprecat" "$SMOKE_DIR/otelcol.log" >&2
fi
say "OK (logs in $SMOKE_DIR)"
