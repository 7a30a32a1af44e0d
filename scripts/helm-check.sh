#!/usr/bin/env bash
# npm run helm:check: installs helm into .pitlane/bin (once; from the Go module proxy), lints the
# chart, renders it with the default values and with every optional part switched on, and runs
# the manifest checks (test/helm, own jest config: not part of the default suite).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
HELM_VERSION="${HELM_VERSION:-v3.22.0}"
BIN="$ROOT/.pitlane/bin"
HELM="$BIN/helm"

# `go install` builds carry no release version string: a stamp file records what was installed
if [ ! -x "$HELM" ] || [ "$(cat "$BIN/helm.version" 2>/dev/null)" != "$HELM_VERSION" ]; then
  GO="$(command -v go || echo /usr/local/go/bin/go)"
  [ -x "$GO" ] || { echo "helm-check: go is needed to install helm (looked for go on PATH and /usr/local/go/bin/go)" >&2; exit 1; }
  echo "helm-check: installing helm ${HELM_VERSION} into .pitlane/bin (compiles for a few minutes)..."
  mkdir -p "$BIN"
  GOBIN="$BIN" "$GO" install "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
  echo "$HELM_VERSION" > "$BIN/helm.version"
fi

CHART=deploy/helm/pitlane
KUBE_VERSION=1.31.0
"$HELM" lint "$CHART" --strict --kube-version "$KUBE_VERSION"
"$HELM" lint "$CHART" --strict --kube-version "$KUBE_VERSION" -f test/helm/full-values.yaml
mkdir -p .pitlane/helm
"$HELM" template pitlane "$CHART" --kube-version "$KUBE_VERSION" > .pitlane/helm/default.yaml
"$HELM" template pitlane "$CHART" --kube-version "$KUBE_VERSION" -f test/helm/full-values.yaml > .pitlane/helm/full.yaml
echo "helm-check: rendered $(grep -c '^kind:' .pitlane/helm/default.yaml) (default) and $(grep -c '^kind:' .pitlane/helm/full.yaml) (full) manifests"
PATH="$ROOT/node_modules/.bin:$PATH" jest -c test/helm/jest.config.js "$@"
