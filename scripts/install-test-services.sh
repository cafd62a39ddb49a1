#!/usr/bin/env bash
# Installs what the test suite and `npm run demo` start by themselves: redis-server and FerretDB (a MongoDB-wire
# server), and Debian's Chromium for the playground's browser test (skipped with --without-browser).
# Idempotent: a second run finds each and returns at once.
set -euo pipefail

FERRETDB_MODULE=github.com/FerretDB/FerretDB
FERRETDB_VERSION=v1.24.2

log() { printf 'install-test-services: %s\n' "$*"; }

apt_updated=
apt_install() {
  local as_root=()
  if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then "${as_root[@]}" apt-get update -qq; apt_updated=1; fi
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    log "redis-server present ($(redis-server --version | cut -d' ' -f3))"
    return
  fi
  log "installing redis-server with apt-get"
  apt_install redis-server
}

# The browser test drives Debian's Chromium with playwright-core (Playwright's own browser downloads are not used).
install_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    log "chromium present ($(chromium --version 2>/dev/null | head -n 1))"
    return
  fi
  log "installing chromium with apt-get (for the browser test)"
  apt_install chromium fonts-noto-color-emoji
}

go_bin_dir() {
  local gobin
  gobin=$(go env GOBIN)
  if [ -z "$gobin" ]; then gobin="$(go env GOPATH | cut -d: -f1)/bin"; fi
  printf '%s' "$gobin"
}

# `go install $FERRETDB_MODULE/cmd/ferretdb@$FERRETDB_VERSION` builds a binary that panics at start: the module
# zip lacks the generated build/version/version.txt. So fetch the same module through the Go proxy, stamp the
# version file into a copy, and build that copy. The Go build cache makes a rebuild fast.
install_ferretdb() {
  if ! command -v go >/dev/null 2>&1; then
    log "Go (>= 1.24) is needed to build FerretDB and is not on PATH"
    exit 1
  fi
  local bin
  bin="$(go_bin_dir)/ferretdb"
  if "$bin" --version 2>/dev/null | grep -q "version: $FERRETDB_VERSION"; then
    log "ferretdb $FERRETDB_VERSION present ($bin)"
    return
  fi
  log "building ferretdb $FERRETDB_VERSION into $bin"
  local src work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  # Run outside any module, so `go mod download` fetches into the module cache and prints where.
  src=$(cd "$work" && go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  cp -r "$src/." "$work"
  chmod -R u+w "$work"
  printf '%s\n' "$FERRETDB_VERSION" >"$work/build/version/version.txt"
  mkdir -p "$(dirname "$bin")"
  (cd "$work" && go build -trimpath -o "$bin" ./cmd/ferretdb)
  # Read the whole output: `| head -n 1` would close the pipe early, and under pipefail ferretdb's SIGPIPE
  # would fail a build that worked (it did, in CI on a machine that had never built it).
  local version
  version=$("$bin" --version)
  log "built ferretdb (${version%%$'\n'*})"
}

install_redis
install_ferretdb
if [ "${1:-}" != "--without-browser" ]; then install_chromium; fi
