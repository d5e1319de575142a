#!/usr/bin/env bash
# Builds the Go client offline in GOPATH mode (no module proxy needed): generates the stubs (generate.sh), lays out
# <dir>/src/github.com/rtms-gateway/rtms-gateway/clients/go with a copy of the library, tests and examples, vets them
# and builds the programs into <dir>/bin. With "test" after <dir>, also runs the unit tests (go test -v).
#
#   clients/go/build.sh <dir> [test]
# Needs golang-go, golang-google-grpc-dev, golang-google-protobuf-dev, protoc-gen-go, protoc-gen-go-grpc (Debian), whose
# sources live in /usr/share/gocode.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 <dir> [test]" >&2; exit 2; }
mkdir -p "$1"
dir=$(cd "$1" && pwd)
pkg=github.com/rtms-gateway/rtms-gateway/clients/go
root="$dir/src/$pkg"
"$here/generate.sh" "$dir"
for part in rtmsgateway tests examples; do
  rm -rf "${root:?}/$part"
  cp -r "$here/$part" "$root/$part"
done
export GO111MODULE=off GOPATH="$dir:/usr/share/gocode" GOFLAGS=
[ -n "${GOCACHE:-}" ] || [ -n "${HOME:-}" ] || export GOCACHE="$dir/cache"
cd "$root"
go vet ./rtmsgateway/... ./tests/... ./examples/...
mkdir -p "$dir/bin"
for main in tests/failover tests/notfound examples/transcripts examples/wav examples/keyframes; do
  go build -o "$dir/bin/$(basename "$main")" "./$main"
done
echo "built $(ls "$dir/bin" | tr '\n' ' ')into $dir/bin"
if [ "${2:-}" = test ]; then
  go test -v -count=1 ./rtmsgateway/...
fi
