#!/usr/bin/env bash
# Builds the Pulumi tools that `pulumi preview` of this project needs, from source, with only the
# Go module proxy (no get.pulumi.com, no GitHub downloads), once per version, into a cache outside
# the checkout, so later runs and fresh clones on this machine reuse them.
#
#   scripts/pulumi-tools.sh [build] [TOOL...]        build what is missing (default: all tools)
#   scripts/pulumi-tools.sh status                   show what is built and where
#   scripts/pulumi-tools.sh install-plugins HOME     install the built resource plugins into the
#                                                    PULUMI_HOME folder HOME (offline)
#   scripts/pulumi-tools.sh env                      print the path of the env file
#
# TOOL: pulumi, pulumi-language-nodejs, pulumi-resource-docker, pulumi-resource-random.
# Versions come from versions.json (pulumi, pulumiDocker, pulumiRandom); Go module pins from
# scripts/pulumi-tools/pins.sh. Cache: ${PULUMI_TOOLS_CACHE:-~/.cache/observability-stack/pulumi-tools}
#   <cache>/pulumi-<v>/pulumi (+ pulumi-language-nodejs beside it: the CLI finds it there)
#   <cache>/pulumi-language-nodejs-<v>/pulumi-language-nodejs
#   <cache>/pulumi-resource-docker-<v>/pulumi-resource-docker, .../pulumi-resource-random-<v>/...
#   <cache>/logs/<tool>-<v>.log, <cache>/env.sh (PATH and plugin paths; `source` it)
# A tool is built in <cache>/.tmp-* and renamed into place when it is complete, so an interrupted
# build is never taken as done. A cold build of the CLI takes 10-25 minutes on 2 cores.
set -euo pipefail

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPTS/.." && pwd)
TOOLS=$SCRIPTS/pulumi-tools
CACHE=${PULUMI_TOOLS_CACHE:-$HOME/.cache/observability-stack/pulumi-tools}
ALL_TOOLS=(pulumi pulumi-language-nodejs pulumi-resource-docker pulumi-resource-random)

# shellcheck source=scripts/pulumi-tools/pins.sh
source "$TOOLS/pins.sh"

log() { printf '[pulumi-tools] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

json_version() { # key in versions.json
  node -e 'const v=require(process.argv[1])[process.argv[2]]; if(!v) process.exit(1); console.log(v)' \
    "$REPO/versions.json" "$1" || die "versions.json has no \"$1\""
}
PULUMI_VERSION=$(json_version pulumi)
DOCKER_VERSION=$(json_version pulumiDocker)
RANDOM_VERSION=$(json_version pulumiRandom)

# The npm packages must match the binaries (the engine asks for docker/random at the version the
# npm package declares): a drift is an error, not a warning.
check_npm_pin() { # npm-name version
  local want
  want=$(node -e 'const p=require(process.argv[1]); const d={...p.dependencies,...p.devDependencies}; console.log(d[process.argv[2]]||"")' \
    "$REPO/package.json" "$1")
  [[ $want == "$2" ]] || die "package.json pins $1 '${want:-nothing}', versions.json says $2: make them equal (the engine asks for the plugin version the npm package names)"
}
check_npm_pin @pulumi/pulumi "$PULUMI_VERSION"
check_npm_pin @pulumi/docker "$DOCKER_VERSION"
check_npm_pin @pulumi/random "$RANDOM_VERSION"

tool_version() {
  case $1 in
    pulumi | pulumi-language-nodejs) echo "$PULUMI_VERSION" ;;
    pulumi-resource-docker) echo "$DOCKER_VERSION" ;;
    pulumi-resource-random) echo "$RANDOM_VERSION" ;;
    *) die "unknown tool $1 (known: ${ALL_TOOLS[*]})" ;;
  esac
}
tool_dir() { echo "$CACHE/$1-$(tool_version "$1")"; }
is_built() { [[ -x $(tool_dir "$1")/$1 ]]; }

# Go settings shared by every build: static binaries, no VCS stamping, modules from the proxy.
go_env() {
  export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=${GOTOOLCHAIN:-local}
}

# --- recipes: each builds its binary into $1 (an empty temp folder), working in $2 ---------------

build_pulumi() { # out work
  local out=$1 work=$2 have
  have=$(awk '$1=="github.com/pulumi/pulumi/pkg/v3"{print $2}' "$TOOLS/pulumi/go.mod")
  [[ $have == "v$PULUMI_VERSION" ]] ||
    die "scripts/pulumi-tools/pulumi/go.mod requires pkg/v3 $have, versions.json says v$PULUMI_VERSION: update the wrapper (go get ...pkg/v3@v$PULUMI_VERSION ...sdk/v3@v$PULUMI_VERSION && go mod tidy)"
  cp "$TOOLS/pulumi/go.mod" "$TOOLS/pulumi/go.sum" "$work/" &&
    (cd "$work" && go_env && go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
}

# The three plugins are built from the upstream sources in ../shared/pulumi-sources (see its README:
# provenance, versions, the recipe that worked here); the Go module proxy refuses their own modules
# but serves every dependency. The sources are read-only: each recipe copies them into its work folder.
sources_dir() {
  local d
  for d in "${PULUMI_SOURCES:-}" "$REPO/../shared/pulumi-sources" /work/shared/pulumi-sources; do
    [[ -n $d && -d $d/language-nodejs ]] && { (cd "$d" && pwd); return 0; }
  done
  die "no Pulumi plugin sources: set PULUMI_SOURCES to the shared/pulumi-sources folder"
}

# Writes <cmd>/schema-embed.json = schema.json with "version" set, as upstream's generate.go does
# (the engine checks the version a provider reports against the one the SDK asks for).
embed_schema() { # cmd-folder version
  node -e 'const fs=require("fs");const [d,v]=process.argv.slice(1);const s=JSON.parse(fs.readFileSync(d+"/schema.json","utf8"));s.version=v;fs.writeFileSync(d+"/schema-embed.json",JSON.stringify(s))' "$1" "$2"
}

build_pulumi-language-nodejs() { # out work
  local out=$1 work=$2 src
  src=$(sources_dir) || return 1
  # Upstream's go.mod replaces pkg/sdk with folders of the monorepo; take the served release instead.
  cp -r "$src/language-nodejs" "$work/host" && chmod -R u+w "$work/host" && cd "$work/host" && go_env &&
    go mod edit -dropreplace github.com/pulumi/pulumi/pkg/v3 -dropreplace github.com/pulumi/pulumi/sdk/v3 \
      -require "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" -require "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" &&
    GOFLAGS="$GOFLAGS -mod=mod" go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
      -o "$out/pulumi-language-nodejs" .
}

build_pulumi-resource-docker() { # out work
  local out=$1 work=$2 src
  src=$(sources_dir) || return 1
  # provider/ and upstream/ side by side: provider/go.mod replaces the Terraform provider with ../upstream.
  cp -r "$src/docker" "$work/docker" && chmod -R u+w "$work/docker" &&
    embed_schema "$work/docker/provider/cmd/pulumi-resource-docker" "$DOCKER_VERSION" &&
    cd "$work/docker/provider" && go_env &&
    GOFLAGS="$GOFLAGS -mod=mod" go build -trimpath -tags no_compose \
      -ldflags "-s -w -X github.com/pulumi/pulumi-docker/provider/v5/pkg/version.Version=$DOCKER_VERSION" \
      -o "$out/pulumi-resource-docker" ./cmd/pulumi-resource-docker
}

build_pulumi-resource-random() { # out work
  local out=$1 work=$2 src
  src=$(sources_dir) || return 1
  cp -r "$src/random" "$work/random" && chmod -R u+w "$work/random" &&
    embed_schema "$work/random/provider/cmd/pulumi-resource-random" "$RANDOM_VERSION" &&
    cd "$work/random/provider" && go_env &&
    GOFLAGS="$GOFLAGS -mod=mod" go build -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi-random/provider/v4/pkg/version.Version=$RANDOM_VERSION" \
      -o "$out/pulumi-resource-random" ./cmd/pulumi-resource-random
}

# --- build driver ---------------------------------------------------------------------------

build_tool() { # tool
  local tool=$1 version dir tmp logf start secs
  version=$(tool_version "$tool")
  dir=$(tool_dir "$tool")
  mkdir -p "$CACHE/logs"
  exec 9>"$CACHE/.lock-$tool-$version"
  flock 9 # another run building the same tool: wait for it, then reuse its result
  if is_built "$tool"; then
    log "$tool $version: cached in $dir"
    exec 9>&-
    return 0
  fi
  # Left-overs of an interrupted build of this tool (we hold its lock, so nobody is using them).
  chmod -R u+w "$CACHE/.tmp-$tool-$version".* 2>/dev/null || true
  rm -rf "$CACHE/.tmp-$tool-$version".*
  tmp=$(mktemp -d "$CACHE/.tmp-$tool-$version.XXXXXX")
  logf=$CACHE/logs/$tool-$version.log
  log "$tool $version: building (log: $logf)"
  start=$(date +%s)
  mkdir "$tmp/out" "$tmp/work"
  if ! ("build_$tool" "$tmp/out" "$tmp/work") >"$logf" 2>&1; then
    secs=$(($(date +%s) - start))
    log "$tool $version: FAILED after ${secs}s; last lines of $logf:"
    tail -n 15 "$logf" >&2
    chmod -R u+w "$tmp" 2>/dev/null || true
    rm -rf "$tmp"
    exec 9>&-
    return 1
  fi
  secs=$(($(date +%s) - start))
  {
    echo "tool=$tool"
    echo "version=$version"
    echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "seconds=$secs"
    echo "go=$(go env GOVERSION)"
    echo "# go version -m (pulumi modules and build settings):"
    go version -m "$tmp/out/$tool" 2>/dev/null | grep -E 'pulumi|^[[:space:]]build[[:space:]]' || true
  } >"$tmp/out/BUILDINFO"
  [[ -f $tmp/work/go.mod ]] && cp "$tmp/work/go.mod" "$tmp/out/wrapper.go.mod"
  [[ -f $tmp/work/go.sum ]] && cp "$tmp/work/go.sum" "$tmp/out/wrapper.go.sum"
  chmod -R u+w "$tmp/work" 2>/dev/null || true
  rm -rf "$tmp/work" "$dir"
  mv -T "$tmp/out" "$dir" # the rename is the "done" mark
  rmdir "$tmp"
  log "$tool $version: built in ${secs}s -> $dir"
  exec 9>&-
}

# pulumi looks for language hosts next to itself: put the host there (atomic rename of a link).
link_language_host() {
  local cli host
  cli=$(tool_dir pulumi)
  host=$(tool_dir pulumi-language-nodejs)/pulumi-language-nodejs
  is_built pulumi && [[ -x $host ]] || return 0
  [[ $cli/pulumi-language-nodejs -ef $host ]] && return 0
  ln -f "$host" "$cli/.pulumi-language-nodejs.new" 2>/dev/null || cp "$host" "$cli/.pulumi-language-nodejs.new"
  mv -f "$cli/.pulumi-language-nodejs.new" "$cli/pulumi-language-nodejs"
}

write_env() {
  local f=$CACHE/env.sh tmp
  tmp=$(mktemp "$CACHE/.env.sh.XXXXXX")
  {
    echo "# Written by scripts/pulumi-tools.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Source it."
    echo "export PULUMI_TOOLS_CACHE='$CACHE'"
    echo "export PULUMI_TOOLS_PULUMI_VERSION='$PULUMI_VERSION'"
    if is_built pulumi; then
      echo "export PATH='$(tool_dir pulumi)':\"\$PATH\""
    fi
    for t in pulumi-resource-docker pulumi-resource-random; do
      local var=${t#pulumi-resource-}
      var=${var^^}
      echo "export PULUMI_TOOLS_${var}_VERSION='$(tool_version "$t")'"
      if is_built "$t"; then
        echo "export PULUMI_TOOLS_${var}_PLUGIN='$(tool_dir "$t")/$t'"
      else
        echo "unset PULUMI_TOOLS_${var}_PLUGIN # not built"
      fi
    done
    echo "export PULUMI_SKIP_UPDATE_CHECK=true"
    echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
  } >"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$f"
}

cmd_build() {
  local tools=("$@") failed=() t
  ((${#tools[@]})) || tools=("${ALL_TOOLS[@]}")
  command -v go >/dev/null || die "go is not on PATH"
  mkdir -p "$CACHE"
  for t in "${tools[@]}"; do
    tool_version "$t" >/dev/null
    build_tool "$t" || failed+=("$t")
  done
  link_language_host
  write_env
  log "env: $CACHE/env.sh"
  if ((${#failed[@]})); then
    log "not built: ${failed[*]}"
    return 1
  fi
}

cmd_status() {
  local t
  for t in "${ALL_TOOLS[@]}"; do
    if is_built "$t"; then
      printf '%-24s %-10s built   %s (%ss)\n' "$t" "$(tool_version "$t")" "$(tool_dir "$t")" \
        "$(sed -n 's/^seconds=//p' "$(tool_dir "$t")/BUILDINFO" 2>/dev/null)"
    else
      printf '%-24s %-10s missing\n' "$t" "$(tool_version "$t")"
    fi
  done
}

cmd_install_plugins() { # PULUMI_HOME
  local home=${1:?usage: pulumi-tools.sh install-plugins PULUMI_HOME} t name version bin
  is_built pulumi || die "pulumi is not built: run scripts/pulumi-tools.sh build"
  mkdir -p "$home"
  for t in pulumi-resource-docker pulumi-resource-random; do
    name=${t#pulumi-resource-}
    version=$(tool_version "$t")
    bin=$(tool_dir "$t")/$t
    [[ -x $bin ]] || die "$t $version is not built: run scripts/pulumi-tools.sh build $t"
    if [[ -x $home/plugins/resource-$name-v$version/$t ]]; then
      log "plugin $name $version already in $home"
      continue
    fi
    PULUMI_HOME=$home PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
      "$(tool_dir pulumi)/pulumi" plugin install resource "$name" "$version" --file "$bin" --non-interactive
  done
}

case ${1:-build} in
  build) shift || true; cmd_build "$@" ;;
  status) cmd_status ;;
  install-plugins) shift; cmd_install_plugins "$@" ;;
  env) echo "$CACHE/env.sh" ;;
  -h | --help | help) sed -n '2,22p' "$0" ;;
  pulumi*) cmd_build "$@" ;;
  *) die "unknown command $1 (build, status, install-plugins, env)" ;;
esac
