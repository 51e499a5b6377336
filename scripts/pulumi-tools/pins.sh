# Sourced by scripts/pulumi-tools.sh. Go module pins for the Pulumi tools, keyed by the version
# the npm packages carry (versions.json: pulumi, pulumiDocker, pulumiRandom).
#
# State of the Go module proxy reachable here (checked 2026-11, see the notes at each pin):
#   served:     github.com/pulumi/pulumi/pkg/v3 v3.248.0, github.com/pulumi/pulumi/sdk/v3 v3.248.0
#   refused:    everything below marked "refused" answers
#               "403 Forbidden / This module version is not available." (its version list too)

# --- pulumi CLI ---------------------------------------------------------------------------
# Wrapper module with go.mod/go.sum in scripts/pulumi-tools/pulumi/ (requires pkg/v3 and sdk/v3
# at the CLI version; same dependency versions as upstream pkg/go.mod; upstream's clipboard
# replace repeated). Nothing to pin here: the wrapper's go.mod is the pin, and the script checks
# that it names the version in versions.json.

# --- pulumi-language-nodejs ------------------------------------------------------------------
# Its own module, no tags: a pseudo-version of the release commit. v3.248.0 is commit
# a88168d865b7fd428e5a929cc54aeceaf72d203f; the proxy dates sdk/v3@v3.248.0 2026-06-24T12:07:34Z,
# hence the pseudo-version below. Refused by the proxy (as are @a88168d865b7, @v3.248.0, @latest
# and the version list), so it is unverified.
NODEJS_HOST_MODULE=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
declare -A NODEJS_HOST_PIN=(
  [3.248.0]=v3.0.0-20260624120734-a88168d865b7
)

# --- pulumi-resource-docker --------------------------------------------------------------------
# Module github.com/pulumi/pulumi-docker/provider/v5 (pseudo-versions only). Refused: its version
# list, github.com/pulumi/pulumi-docker@v5.2.0+incompatible (which would name the release commit)
# and github.com/pulumi/pulumi-docker/sdk/v5@v5.2.0. The release commit of 5.2.0 is unknown here,
# so there is no pin and no wrapper (its go.mod replaces, shim and main.go must be copied from
# that commit's provider/ folder, which cannot be read here).
DOCKER_PROVIDER_MODULE=github.com/pulumi/pulumi-docker/provider/v5
declare -A DOCKER_PROVIDER_PIN=()

# --- pulumi-resource-random ----------------------------------------------------------------------
# Module github.com/pulumi/pulumi-random/provider/v4 (pseudo-versions only). Tag v4.21.2 is commit
# 48ee6c4732b1 (2026-09-17T10:24:37Z, from github.com/pulumi/pulumi-random@v4.21.2+incompatible,
# which is served but holds no provider source: provider/ is a nested module). Refused:
# provider/v4@v4.0.0-20260917102437-48ee6c4732b1, @v4.0.0-20260917112258-b62f810278b9 (the
# sdk/v4.21.2 commit) and the version list.
RANDOM_PROVIDER_MODULE=github.com/pulumi/pulumi-random/provider/v4
declare -A RANDOM_PROVIDER_PIN=(
  [4.21.2]=v4.0.0-20260917102437-48ee6c4732b1
)
