#!/usr/bin/env bash
# The real-engine tests: `npm run test:preview` (engine.sh preview) and `npm run test:up` (engine.sh up).
# Provides what they need, then runs test/engine/<test>.ts:
#   - the pulumi CLI, the Node language host and the docker and random providers, built once from
#     source into a cache outside the checkout (scripts/pulumi-tools.sh), the plugins installed into a
#     private PULUMI_HOME in a temp folder (with the file backend's state);
#   - a Docker daemon: the one that answers, or Debian's dockerd started for the length of the run
#     (the Docker provider needs a daemon even to preview);
#   - for `up`: the e2e peers (scripts/peers.sh) and local images of them under the pinned names
#     (scripts/local-images.sh), since no registry can be reached here.
# Environment: ENGINE_KEEP_TMP=1 keeps the temp folder (state, logs, preview texts).
set -euo pipefail
SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPTS/.." && pwd)
TEST=${1:?usage: engine.sh preview|up}
case $TEST in preview | up) ;; *) echo "engine.sh: unknown test $TEST (preview, up)" >&2; exit 2 ;; esac

log() { printf '[engine] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/observability-stack-engine-$TEST.XXXXXX")
DOCKERD_PID=
cleanup() {
  local rc=$?
  if [[ -n $DOCKERD_PID ]]; then
    if kill "$DOCKERD_PID" 2>/dev/null; then wait "$DOCKERD_PID" 2>/dev/null || true; fi
  fi
  if [[ ${ENGINE_KEEP_TMP:-} == 1 || $rc -ne 0 ]]; then
    log "kept $TMP (state, pulumi-commands.log)"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT

# --- tools: a no-op when cached ----------------------------------------------------------------
bash "$SCRIPTS/pulumi-tools.sh" build
# shellcheck disable=SC1090
source "$(bash "$SCRIPTS/pulumi-tools.sh" env)"
command -v pulumi >/dev/null || die "pulumi is not on PATH after sourcing the tools' env"
log "$(pulumi version) at $(command -v pulumi)"
mkdir -p "$TMP/pulumi-home" "$TMP/state"
bash "$SCRIPTS/pulumi-tools.sh" install-plugins "$TMP/pulumi-home" >&2

# --- Docker daemon -------------------------------------------------------------------------------
ensure_docker() {
  if docker info >/dev/null 2>&1; then
    log "docker daemon: already running"
    return 0
  fi
  if ! command -v dockerd >/dev/null; then
    log "docker daemon: installing docker.io (apt)"
    command -v apt-get >/dev/null || die "no docker daemon and no apt-get to install one"
    { apt-get install -y docker.io || { apt-get update && apt-get install -y docker.io; }; } >"$TMP/apt.log" 2>&1 ||
      { tail -n 20 "$TMP/apt.log" >&2; die "apt-get install docker.io failed"; }
  fi
  log "docker daemon: starting dockerd (log: $TMP/dockerd.log)"
  dockerd >"$TMP/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  local i
  for i in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { log "docker daemon: up after ${i}s"; return 0; }
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 1
  done
  tail -n 20 "$TMP/dockerd.log" >&2
  die "dockerd did not come up"
}
ensure_docker

if [[ $TEST == up ]]; then
  eval "$(bash "$SCRIPTS/peers.sh")"
  export OTELCOL_BIN JAEGER_BIN VM_BIN
  bash "$SCRIPTS/local-images.sh"
fi

export ENGINE_TMP=$TMP
cd "$REPO"
node -r ts-node/register/transpile-only "test/engine/$TEST.ts"
