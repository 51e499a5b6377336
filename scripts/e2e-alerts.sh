#!/usr/bin/env bash
# npm run test:alerts: build (once, cached) the real peers the alerting e2e needs (collector,
# VictoriaMetrics, vmalert, Alertmanager), then run test/e2e/alerts.ts against them on 127.0.0.1:185xx.
# Heavy and on fixed ports: run it under the shared lock (flock /tmp/obs-heavy.lock npm run test:alerts).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/peers.sh otelcol victoria-metrics vmalert alertmanager)"
export OTELCOL_BIN VM_BIN VMALERT_BIN ALERTMANAGER_BIN
exec node -r ts-node/register/transpile-only test/e2e/alerts.ts
