#!/usr/bin/env bash
# Builds the real peers that the end-to-end tests run against, once per version, from Go modules:
#   otelcol          OpenTelemetry Collector, core distribution components (scripts/peers/otelcol-manifest.yaml),
#                    built with the collector builder at the same release
#   jaeger           Jaeger v2 (cmd/jaeger of github.com/jaegertracing/jaeger at versions.json "jaegerGoModule")
#   victoria-metrics VictoriaMetrics single node
#   vmalert          VictoriaMetrics' rule engine (app/vmalert of the same module, same version)
#   alertmanager     Prometheus Alertmanager (cmd/alertmanager at versions.json "alertmanager"; the web UI's
#                    assets are not in the Go module, so it serves a placeholder page; its API works)
# Versions come from versions.json. Binaries are cached outside the checkout, keyed by version:
#   ${PEERS_CACHE:-$HOME/.cache/observability-stack/peers}/<name>-<version>/<binary>
# so later runs and fresh clones on the same machine reuse them. Needs only Go and the Go module proxy;
# GOPATH/GOMODCACHE/GOCACHE keep their defaults so the module and build caches are shared.
#
# Usage: scripts/peers.sh [otelcol] [jaeger] [victoria-metrics] [vmalert] [alertmanager]
#        (no argument: the first three, which the main e2e needs; the alerting e2e names all five)
# Progress goes to stderr; stdout gets only the export lines, so either
#   eval "$(scripts/peers.sh)"      or      scripts/peers.sh >/dev/null && source "$PEERS_CACHE/env.sh"
# works. env.sh in the cache holds OTELCOL_BIN, JAEGER_BIN, VM_BIN, and VMALERT_BIN, ALERTMANAGER_BIN
# once those are built: every peer binary the cache holds at the pinned versions.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERS_DIR="$ROOT/scripts/peers"
CACHE=${PEERS_CACHE:-$HOME/.cache/observability-stack/peers}
export CGO_ENABLED=0

log() { echo "peers: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "go not found in PATH"

# versions.json value of a top-level string key (flat file, one key per line).
json_get() {
  local v
  v=$(sed -n "s/^[[:space:]]*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$ROOT/versions.json" | head -n1)
  [ -n "$v" ] || die "versions.json has no \"$1\""
  printf '%s' "$v"
}

OTELCOL_VERSION=${OTELCOL_VERSION:-$(json_get collector)}
OTELCOL_VERSION=${OTELCOL_VERSION#v}
JAEGER_VERSION=${JAEGER_VERSION:-$(json_get jaeger)}
JAEGER_GO_MODULE_VERSION=${JAEGER_GO_MODULE_VERSION:-$(json_get jaegerGoModule)}
VM_VERSION=${VM_VERSION:-$(json_get victoriametrics)}
case "$VM_VERSION" in v*) ;; *) VM_VERSION="v$VM_VERSION" ;; esac
ALERTMANAGER_VERSION=${ALERTMANAGER_VERSION:-$(json_get alertmanager)}
case "$ALERTMANAGER_VERSION" in v*) ;; *) ALERTMANAGER_VERSION="v$ALERTMANAGER_VERSION" ;; esac

mkdir -p "$CACHE"

# Serialise builds of the same peer between concurrent runs (flock is in util-linux; optional).
with_lock() {
  local name=$1
  shift
  if command -v flock >/dev/null; then
    (
      flock 9
      "$@"
    ) 9>"$CACHE/.$name.lock"
  else
    "$@"
  fi
}

# is_good BIN VERSION-ARGS...: the binary exists and answers its version command.
is_good() {
  local bin=$1
  shift
  [ -x "$bin" ] && "$bin" "$@" >/dev/null 2>&1
}

# build_peer NAME VERSION BINARY BUILD-FUNCTION VERSION-ARGS...
# Builds into a temp dir beside the final one, checks the result, then renames it into place, so an
# interrupted or failed build never looks done.
build_peer() {
  local name=$1 version=$2 binary=$3 fn=$4
  shift 4
  local dir="$CACHE/$name-$version"
  if is_good "$dir/$binary" "$@"; then
    log "$name $version cached ($dir/$binary)"
    return 0
  fi
  [ -e "$dir" ] && { log "$name $version: $dir is incomplete or broken, rebuilding"; rm -rf "$dir"; }
  local tmp
  tmp=$(mktemp -d "$CACHE/.tmp-$name-$version.XXXXXX")
  local logf="$tmp/build.log"
  log "building $name $version (log: $logf)"
  local start=$SECONDS
  # A subshell outside any `if`, so that set -e stops the build function at its first failing step.
  local rc=0
  set +e
  (
    set -e
    "$fn" "$tmp" "$version"
  ) >"$logf" 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$logf" >&2 || true
    cp "$logf" "$CACHE/$name-$version.failed.log" 2>/dev/null || true
    rm -rf "$tmp"
    die "building $name $version failed after $((SECONDS - start))s; log kept at $CACHE/$name-$version.failed.log"
  fi
  if ! is_good "$tmp/$binary" "$@"; then
    tail -n 40 "$logf" >&2 || true
    rm -rf "$tmp"
    die "built $name $version but '$binary $*' does not run"
  fi
  "$tmp/$binary" "$@" >"$tmp/VERSION" 2>&1 || true
  chmod 755 "$tmp"
  mv -T "$tmp" "$dir"
  rm -f "$CACHE/$name-$version.failed.log"
  log "built $name $version in $((SECONDS - start))s ($dir/$binary)"
}

# ---- OpenTelemetry Collector ------------------------------------------------------------------------
# scripts/peers/otelcol-manifest.yaml names every module version; it must be the release in versions.json.
OTELCOL_MANIFEST="$PEERS_DIR/otelcol-manifest.yaml"
manifest_version=$(sed -n 's/^[[:space:]]*version:[[:space:]]*"\{0,1\}\([0-9][^"[:space:]]*\)"\{0,1\}.*/\1/p' "$OTELCOL_MANIFEST" | head -n1)

build_otelcol() {
  local tmp=$1 v=$2
  mkdir -p "$tmp/gobin"
  GOBIN="$tmp/gobin" go install -trimpath "go.opentelemetry.io/collector/cmd/builder@v$v"
  sed -e "s#@OUTPUT_PATH@#$tmp/src#g" "$OTELCOL_MANIFEST" >"$tmp/manifest.yaml"
  # The builder runs go mod tidy, then go build -trimpath -ldflags="-s -w" -tags grpcnotrace with CGO_ENABLED=0.
  "$tmp/gobin/builder" --config "$tmp/manifest.yaml"
  mv "$tmp/src/otelcol" "$tmp/otelcol"
  cp "$tmp/src/go.mod" "$tmp/go.mod.built"
  rm -rf "$tmp/src" "$tmp/gobin"
}

# ---- Jaeger v2 ----------------------------------------------------------------------------------------
# Its module path has no /v2: module version v1.76.0 is Jaeger 2.13.0. A wrapper module (go get -tool),
# since the module's own replace directive makes `go install …@version` refuse it.
build_jaeger() {
  local tmp=$1
  mkdir -p "$tmp/mod"
  (
    cd "$tmp/mod"
    go mod init peers.local/jaeger
    go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_GO_MODULE_VERSION"
    go build -trimpath \
      -ldflags "-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=v${JAEGER_VERSION#v}" \
      -o "$tmp/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger
    cp go.mod "$tmp/go.mod.built"
  )
  rm -rf "$tmp/mod"
}

# ---- VictoriaMetrics single node ----------------------------------------------------------------------
build_victoria_metrics() {
  local tmp=$1 v=$2
  GOBIN="$tmp" go install -trimpath \
    -ldflags "-s -w -X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=victoria-metrics-peers-tags-$v-0" \
    "github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics@$v"
}

# ---- vmalert (same module and version as VictoriaMetrics) ---------------------------------------------
build_vmalert() {
  local tmp=$1 v=$2
  GOBIN="$tmp" nice go install -trimpath \
    -ldflags "-s -w -X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=vmalert-peers-tags-$v-0" \
    "github.com/VictoriaMetrics/VictoriaMetrics/app/vmalert@$v"
}

# ---- Alertmanager -------------------------------------------------------------------------------------
# `go install …/cmd/alertmanager@v0.35.0` fails: ui/web.go embeds app/dist, which the release builds with
# npm and elm and which is not in the module zip. So: the module's own source (go.mod and go.sum as
# released, no replace), a placeholder page in app/dist, and go build with the release's version flags.
build_alertmanager() {
  local tmp=$1 v=$2 src
  src=$(go mod download -json "github.com/prometheus/alertmanager@$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$src" ] || { echo "go mod download gave no source dir for alertmanager@$v" >&2; return 1; }
  cp -r "$src" "$tmp/src"
  chmod -R u+w "$tmp/src"
  local d
  for d in elm mantine; do
    mkdir -p "$tmp/src/ui/app/dist/$d"
    printf '<!doctype html><title>Alertmanager</title><p>Alertmanager %s built from its Go module: the web UI is not part of the module. The API is at <a href="api/v2/alerts">api/v2</a>.</p>\n' \
      "$v" >"$tmp/src/ui/app/dist/$d/index.html"
  done
  (
    cd "$tmp/src"
    nice go build -trimpath \
      -ldflags "-s -w -X github.com/prometheus/common/version.Version=${v#v} -X github.com/prometheus/common/version.Branch=HEAD -X github.com/prometheus/common/version.BuildUser=peers.sh" \
      -o "$tmp/alertmanager" ./cmd/alertmanager
    cp go.mod "$tmp/go.mod.built"
  )
  rm -rf "$tmp/src"
}

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(otelcol jaeger victoria-metrics)
for p in "${want[@]}"; do
  case "$p" in
  otelcol)
    [ "$manifest_version" = "$OTELCOL_VERSION" ] ||
      die "versions.json collector is $OTELCOL_VERSION but $OTELCOL_MANIFEST is for '$manifest_version': update the manifest"
    with_lock otelcol build_peer otelcol "$OTELCOL_VERSION" otelcol build_otelcol --version ;;
  jaeger) with_lock jaeger build_peer jaeger "$JAEGER_VERSION" jaeger build_jaeger version ;;
  victoria-metrics | vm | victoriametrics)
    with_lock victoria-metrics build_peer victoria-metrics "$VM_VERSION" victoria-metrics build_victoria_metrics -version
    ;;
  vmalert) with_lock vmalert build_peer vmalert "$VM_VERSION" vmalert build_vmalert -version ;;
  alertmanager)
    with_lock alertmanager build_peer alertmanager "$ALERTMANAGER_VERSION" alertmanager build_alertmanager --version
    ;;
  *) die "unknown peer '$p' (otelcol, jaeger, victoria-metrics, vmalert, alertmanager)" ;;
  esac
done

OTELCOL_BIN="$CACHE/otelcol-$OTELCOL_VERSION/otelcol"
JAEGER_BIN="$CACHE/jaeger-$JAEGER_VERSION/jaeger"
VM_BIN="$CACHE/victoria-metrics-$VM_VERSION/victoria-metrics"
VMALERT_BIN="$CACHE/vmalert-$VM_VERSION/vmalert"
ALERTMANAGER_BIN="$CACHE/alertmanager-$ALERTMANAGER_VERSION/alertmanager"
exports=""
for var in OTELCOL_BIN JAEGER_BIN VM_BIN VMALERT_BIN ALERTMANAGER_BIN; do
  if [ -x "${!var}" ]; then exports+="export $var=$(printf '%q' "${!var}")"$'\n'; fi
done
# env.sh needs the main e2e's three; it lists the alerting peers too when they are built.
if [ -x "$OTELCOL_BIN" ] && [ -x "$JAEGER_BIN" ] && [ -x "$VM_BIN" ]; then
  envtmp=$(mktemp "$CACHE/.env.sh.XXXXXX")
  printf '# written by scripts/peers.sh\n%s' "$exports" >"$envtmp"
  mv -f "$envtmp" "$CACHE/env.sh"
  log "wrote $CACHE/env.sh"
fi
printf '%s' "$exports"
