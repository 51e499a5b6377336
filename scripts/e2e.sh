#!/usr/bin/env bash
# npm run test:e2e: build (once, cached) the real peers, then run the end-to-end test against them.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/peers.sh)"
export OTELCOL_BIN JAEGER_BIN VM_BIN
exec node -r ts-node/register/transpile-only test/e2e/run.ts
