#!/usr/bin/env bash
# Generates the Go stubs of the RtmsGateway API (package gatewayv1) from protos/ with protoc, protoc-gen-go and
# protoc-gen-go-grpc. Generated code is never committed.
#
#   clients/go/generate.sh <dir>        writes <dir>/src/github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1 (a GOPATH
#                                       layout: build with GO111MODULE=off GOPATH=<dir>:/usr/share/gocode, see build.sh)
#   clients/go/generate.sh --in-place   writes clients/go/gatewayv1 (ignored by git), for module mode (go.mod)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
protos=$(cd "$here/../../protos" && pwd)
case "${1:-}" in
  "") echo "usage: $0 <dir> | --in-place" >&2; exit 2 ;;
  --in-place) out=$(mktemp -d); trap 'rm -rf "$out"' EXIT ;;
  *) mkdir -p "$1"; out=$(cd "$1" && pwd)/src ;;
esac
for tool in protoc protoc-gen-go protoc-gen-go-grpc; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (Debian: apt-get install protobuf-compiler protoc-gen-go protoc-gen-go-grpc)" >&2; exit 1; }
done
includes=(-I "$protos")
# google/protobuf/timestamp.proto: libprotobuf-dev (Debian) or the include folder next to protoc.
for dir in /usr/include "$(dirname "$(command -v protoc)")/../include"; do
  [ -f "$dir/google/protobuf/timestamp.proto" ] && { includes+=(-I "$dir"); break; }
done
mkdir -p "$out"
protoc "${includes[@]}" --go_out="$out" --go-grpc_out="$out" \
  "$protos/rtms/gateway/v1/gateway.proto" "$protos/rtms/gateway/v1/errors.proto"
if [ "${1}" = "--in-place" ]; then
  rm -rf "$here/gatewayv1"
  cp -r "$out/github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1" "$here/gatewayv1"
  echo "generated $here/gatewayv1"
fi
