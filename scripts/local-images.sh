#!/usr/bin/env bash
# Local images of the collector, Jaeger, VictoriaMetrics, vmalert and Alertmanager under the exact names the stack pins
# (versions.json), built from the e2e peers' binaries (scripts/peers.sh), because no registry can be
# reached here. The Docker provider's RemoteImage inspects the local image first and skips the pull
# when `name:tag` exists, so `pulumi up` then runs real containers of the real binaries.
#
# Each image copies its upstream image's shape: the collector FROM scratch (no shell, user 10001,
# /otelcol --config /etc/otelcol/config.yaml); Jaeger and VictoriaMetrics with a shell and wget
# (upstream they are Alpine-based; here a static busybox from Debian stands in for Alpine), Jaeger
# as user 10001 with JAEGER_LISTEN_HOST=0.0.0.0, VictoriaMetrics as root with /victoria-metrics-prod,
# vmalert as root with /vmalert-prod (Alpine upstream), Alertmanager as nobody with /bin/alertmanager
# and /alertmanager owned by nobody (busybox upstream).
# Each carries the label observability-stack.local-build=<sha256 of its binary>. An image of that name
# without the label (a real upstream image) is never replaced.
#
# Needs: docker, busybox-static (apt), OTELCOL_BIN, JAEGER_BIN, VM_BIN (eval "$(scripts/peers.sh)");
# VMALERT_BIN and ALERTMANAGER_BIN are built here (scripts/peers.sh vmalert alertmanager) when unset.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '[local-images] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ver() { node -p "require('$ROOT/versions.json')['$1']"; }
BUSYBOX=${BUSYBOX:-/bin/busybox}
if ! file -L "$BUSYBOX" 2>/dev/null | grep -q "statically linked"; then
  log "installing busybox-static (apt)"
  { apt-get install -y busybox-static || { apt-get update && apt-get install -y busybox-static; }; } >/dev/null 2>&1 ||
    die "apt-get install busybox-static failed"
  BUSYBOX=/bin/busybox
fi
if [[ -z ${VMALERT_BIN:-} || -z ${ALERTMANAGER_BIN:-} ]]; then
  eval "$(bash "$ROOT/scripts/peers.sh" vmalert alertmanager)"
fi
for v in OTELCOL_BIN JAEGER_BIN VM_BIN VMALERT_BIN ALERTMANAGER_BIN; do
  [[ -x ${!v:-} ]] || die "$v is not set to a binary: run eval \"\$(bash scripts/peers.sh)\" first"
done

LABEL=observability-stack.local-build

# build_image NAME:TAG BINARY CONTEXT-FUNCTION
build_image() {
  local ref=$1 bin=$2 fn=$3 sum have ctx start
  sum=$(sha256sum "$bin" | cut -d' ' -f1)
  if have=$(docker image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$ref" 2>/dev/null); then
    if [[ $have == "$sum" ]]; then
      log "$ref: up to date"
      return 0
    fi
    if [[ -z $have || $have == "<no value>" ]]; then
      log "$ref: an image of that name exists and was not built here; using it as it is"
      return 0
    fi
    log "$ref: built from another binary, rebuilding"
  fi
  start=$SECONDS
  ctx=$(mktemp -d)
  "$fn" "$ctx" "$bin"
  printf 'LABEL %s="%s"\n' "$LABEL" "$sum" >>"$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t "$ref" "$ctx" >/dev/null 2>"$ctx/build.err" ||
    { cat "$ctx/build.err" >&2; rm -rf "$ctx"; die "docker build of $ref failed"; }
  rm -rf "$ctx"
  log "$ref: built in $((SECONDS - start))s ($(docker image inspect --format '{{.Size}}' "$ref" | awk '{printf "%.0f MB", $1/1e6}'))"
}

busybox_root() { # ctx: /bin with busybox and its applets, /tmp
  cp "$BUSYBOX" "$1/busybox"
  cat >"$1/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN ["/bin/busybox", "mkdir", "-p", "-m", "1777", "/tmp"]
DOCKERFILE
}

ctx_collector() {
  cp "$2" "$1/otelcol"
  # The upstream image ships a default config at this path; the stack uploads its own over it.
  cat >"$1/config.yaml" <<'YAML'
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 0.0.0.0:4317 }
exporters:
  debug: {}
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [debug] }
YAML
  cat >"$1/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY otelcol /otelcol
COPY config.yaml /etc/otelcol/config.yaml
USER 10001
EXPOSE 4317 4318 8888 13133
ENTRYPOINT ["/otelcol"]
CMD ["--config", "/etc/otelcol/config.yaml"]
DOCKERFILE
}

ctx_jaeger() {
  busybox_root "$1"
  cp "$2" "$1/jaeger-linux"
  cat >>"$1/Dockerfile" <<'DOCKERFILE'
COPY jaeger-linux /cmd/jaeger/jaeger-linux
ENV JAEGER_LISTEN_HOST=0.0.0.0
EXPOSE 4317 4318 16686 13133
USER 10001
ENTRYPOINT ["/cmd/jaeger/jaeger-linux"]
DOCKERFILE
}

ctx_victoriametrics() {
  busybox_root "$1"
  cp "$2" "$1/victoria-metrics-prod"
  cat >>"$1/Dockerfile" <<'DOCKERFILE'
COPY victoria-metrics-prod /victoria-metrics-prod
EXPOSE 8428
ENTRYPOINT ["/victoria-metrics-prod"]
DOCKERFILE
}

ctx_vmalert() {
  busybox_root "$1"
  cp "$2" "$1/vmalert-prod"
  cat >>"$1/Dockerfile" <<'DOCKERFILE'
COPY vmalert-prod /vmalert-prod
EXPOSE 8880
ENTRYPOINT ["/vmalert-prod"]
DOCKERFILE
}

ctx_alertmanager() {
  busybox_root "$1"
  cp "$2" "$1/alertmanager"
  # A default config at the upstream path (a receiver that notifies nobody); the stack uploads its own.
  cat >"$1/alertmanager.yml" <<'YAML'
route:
  receiver: default
receivers:
  - name: default
YAML
  cat >>"$1/Dockerfile" <<'DOCKERFILE'
COPY alertmanager /bin/alertmanager
COPY alertmanager.yml /etc/alertmanager/alertmanager.yml
RUN ["/bin/busybox", "mkdir", "-p", "/alertmanager"]
RUN ["/bin/busybox", "chown", "-R", "65534:65534", "/etc/alertmanager", "/alertmanager"]
USER 65534
EXPOSE 9093
VOLUME ["/alertmanager"]
WORKDIR /alertmanager
ENTRYPOINT ["/bin/alertmanager"]
CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]
DOCKERFILE
}

build_image "otel/opentelemetry-collector:$(ver collector)" "$OTELCOL_BIN" ctx_collector
build_image "jaegertracing/jaeger:$(ver jaeger)" "$JAEGER_BIN" ctx_jaeger
build_image "victoriametrics/victoria-metrics:$(ver victoriametrics)" "$VM_BIN" ctx_victoriametrics
build_image "victoriametrics/vmalert:$(ver victoriametrics)" "$VMALERT_BIN" ctx_vmalert
build_image "prom/alertmanager:$(ver alertmanager)" "$ALERTMANAGER_BIN" ctx_alertmanager
