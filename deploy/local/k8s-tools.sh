#!/usr/bin/env bash
# The tools the Helm chart's test uses, installed from registries this machine reaches:
#   helm         Helm 3, built with `go install` from the Go module proxy
#   kubeconform  Kubernetes manifest validator, the same way
#   schemas      the Kubernetes JSON schemas shipped in the kubernetes-validate package (PyPI),
#                turned into kubeconform's standalone layout (kubeconform downloads them from
#                GitHub otherwise)
#
#   deploy/local/k8s-tools.sh install   install what is missing (helm takes a few minutes to build)
#   deploy/local/k8s-tools.sh env       print HELM=…, KUBECONFORM=…, KUBE_SCHEMAS=…, KUBE_VERSION=…
#
# Everything goes under $FJORD_LOCAL_HOME (~/.cache/fjord-local); nothing runs in the background.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

HELM_VERSION=v3.21.4
KUBECONFORM_VERSION=v0.8.0
KUBERNETES_VALIDATE_VERSION=1.37.0
# The Kubernetes version the rendered manifests are validated against.
KUBE_VERSION=1.33.0
helm_bin="$FJORD_LOCAL_HOME/helm-$HELM_VERSION/helm"
kubeconform_bin="$FJORD_LOCAL_HOME/kubeconform-$KUBECONFORM_VERSION/kubeconform"
schemas="$FJORD_LOCAL_HOME/k8s-schemas-$KUBERNETES_VALIDATE_VERSION"

go_install() { # NAME PACKAGE@VERSION BIN
  local name=$1 pkg=$2 bin=$3
  [ -x "$bin" ] && return 0
  command -v go >/dev/null || die "go is not installed; it builds $name from the Go module proxy"
  say "k8s-tools: building $pkg (go install) into $(dirname "$bin")"
  local t0=$SECONDS
  GOBIN="$(dirname "$bin")" go install "$pkg" >&2 || die "go install of $pkg failed (see above)"
  say "k8s-tools: $name installed in $((SECONDS - t0)) s"
}

install_schemas() {
  local dir="$schemas/v$KUBE_VERSION-standalone-strict"
  [ -f "$dir/deployment-apps-v1.json" ] && return 0
  command -v python3 >/dev/null || die "python3 is not installed; pip fetches the kubernetes-validate package"
  say "k8s-tools: fetching kubernetes-validate $KUBERNETES_VALIDATE_VERSION (PyPI) for the Kubernetes $KUBE_VERSION schemas"
  local tmp; tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps -d "$tmp" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" >&2 \
    || { rm -rf "$tmp"; die "pip could not download kubernetes-validate $KUBERNETES_VALIDATE_VERSION (see above)"; }
  python3 -m zipfile -e "$tmp"/kubernetes_validate-*.whl "$tmp/wheel" \
    || { rm -rf "$tmp"; die "could not unpack the kubernetes-validate wheel"; }
  local from="$tmp/wheel/kubernetes_validate/kubernetes-json-schema/v$KUBE_VERSION-local-strict"
  [ -d "$from" ] || { rm -rf "$tmp"; die "kubernetes-validate $KUBERNETES_VALIDATE_VERSION has no schemas for Kubernetes $KUBE_VERSION"; }
  rm -rf "$dir.tmp"
  node "$here/k8s-schemas.mjs" "$from" "$dir.tmp" || { rm -rf "$tmp" "$dir.tmp"; die "could not convert the schemas"; }
  mv "$dir.tmp" "$dir"
  rm -rf "$tmp"
}

install() {
  go_install helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" "$helm_bin"
  go_install kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" "$kubeconform_bin"
  install_schemas
}

print_env() {
  echo "HELM=$helm_bin"
  echo "KUBECONFORM=$kubeconform_bin"
  echo "KUBE_SCHEMAS=$schemas"
  echo "KUBE_VERSION=$KUBE_VERSION"
}

case "${1:-}" in
  install) install ;;
  env) print_env ;;
  *) say "usage: $0 install|env"; exit 2 ;;
esac
