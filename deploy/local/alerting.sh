#!/usr/bin/env bash
# Prometheus Alertmanager and Prometheus (as a remote-write receiver), for the ruler's tests and
# for trying Fjord's alerting and recording rules here. Tests start and stop their own instances on
# free ports; this script only installs, under $FJORD_LOCAL_HOME.
#
# Alertmanager is built from its Go module (proxy.golang.org). `go install …/cmd/alertmanager`
# alone fails ("pattern app/dist: no matching files found"): the web UI it embeds is built with npm
# and is not in the module, so the build gets a one-line placeholder page instead (the API, which
# is all Fjord uses, is unaffected). Prometheus comes from Debian's `prometheus` package, fetched
# with `apt-get download` and unpacked, not installed system-wide.
#
#   deploy/local/alerting.sh install   build / fetch both when missing (Alertmanager: a few minutes)
#   deploy/local/alerting.sh env       install, then print ALERTMANAGER_BIN=… and PROMETHEUS_BIN=…
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

ALERTMANAGER_VERSION=v0.35.0
PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1
am_bin="$FJORD_LOCAL_HOME/alertmanager-$ALERTMANAGER_VERSION/alertmanager"
prom_root="$FJORD_LOCAL_HOME/prometheus-deb-$PROMETHEUS_DEB_VERSION"
prom_bin="$prom_root/usr/bin/prometheus"

install_alertmanager() {
  if [ -x "$am_bin" ]; then return 0; fi
  command -v go >/dev/null || die "go is not installed; it builds Alertmanager from the Go module proxy"
  say "alerting: building Alertmanager $ALERTMANAGER_VERSION from its Go module into $(dirname "$am_bin")"
  local t0=$SECONDS src tmp
  src=$(go mod download -json "github.com/prometheus/alertmanager@$ALERTMANAGER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] && [ -d "$src" ] || die "go mod download of github.com/prometheus/alertmanager@$ALERTMANAGER_VERSION failed"
  tmp=$(mktemp -d)
  cp -r "$src/." "$tmp/" && chmod -R u+w "$tmp"
  for ui in elm mantine; do
    mkdir -p "$tmp/ui/app/dist/$ui"
    printf '<!doctype html><title>Alertmanager</title><p>Web UI not built; the API is at /api/v2.</p>\n' >"$tmp/ui/app/dist/$ui/index.html"
  done
  mkdir -p "$(dirname "$am_bin")"
  (cd "$tmp" && nice -n 10 go build -o "$am_bin.tmp" ./cmd/alertmanager) >&2 || { rm -rf "$tmp"; die "go build of Alertmanager failed (see above)"; }
  rm -rf "$tmp"
  mv "$am_bin.tmp" "$am_bin"
  say "alerting: Alertmanager built in $((SECONDS - t0)) s"
}

fetch_deb() {
  # apt-get download needs the package lists; refresh them once when a package is unknown.
  apt-get download "$@" >&2 && return 0
  say "alerting: apt-get download failed; refreshing the package lists (apt-get update) and trying again"
  apt-get update -qq >&2 || { say "alerting: apt-get update failed; it needs root and access to the Debian mirror"; return 1; }
  apt-get download "$@" >&2 || { say "alerting: apt-get download $* failed (see above)"; return 1; }
}

install_prometheus() {
  if [ -x "$prom_bin" ]; then return 0; fi
  command -v apt-get >/dev/null || die "apt-get is not available; it fetches Debian's prometheus package"
  command -v dpkg-deb >/dev/null || die "dpkg-deb is not available; it unpacks the package"
  say "alerting: fetching Debian's prometheus $PROMETHEUS_DEB_VERSION into $prom_root"
  local t0=$SECONDS tmp="$prom_root.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp/debs"
  # The pinned version first; if the mirror has moved on (a point release), its current one.
  (cd "$tmp/debs" && { fetch_deb "prometheus=$PROMETHEUS_DEB_VERSION" \
    || { say "alerting: prometheus $PROMETHEUS_DEB_VERSION not available; taking the mirror's current version"; fetch_deb prometheus; }; }) \
    || die "could not fetch Debian's prometheus package"
  for deb in "$tmp"/debs/*.deb; do dpkg-deb -x "$deb" "$tmp" || die "dpkg-deb could not unpack $deb"; done
  rm -rf "$tmp/debs"
  "$tmp/usr/bin/prometheus" --version >/dev/null 2>&1 || die "the unpacked prometheus does not run"
  rm -rf "$prom_root" && mv "$tmp" "$prom_root"
  say "alerting: prometheus fetched in $((SECONDS - t0)) s"
}

case "${1:-}" in
  install) install_prometheus; install_alertmanager ;;
  env) install_prometheus; install_alertmanager; echo "ALERTMANAGER_BIN=$am_bin"; echo "PROMETHEUS_BIN=$prom_bin" ;;
  *) say "usage: $0 install|env"; exit 2 ;;
esac
