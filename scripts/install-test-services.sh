#!/usr/bin/env bash
# Installs the servers the test suite starts by itself: redis-server and FerretDB (a MongoDB-wire server).
# Idempotent: a second run finds both and returns at once.
set -euo pipefail

FERRETDB_MODULE=github.com/FerretDB/FerretDB
FERRETDB_VERSION=v1.24.2

log() { printf 'install-test-services: %s\n' "$*"; }

install_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    log "redis-server present ($(redis-server --version | cut -d' ' -f3))"
    return
  fi
  log "installing redis-server with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
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
  "$bin" --version | head -n 1
}

install_redis
install_ferretdb
