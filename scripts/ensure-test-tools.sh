#!/usr/bin/env bash
# Installs what the test suite needs when it is missing: Debian packages (redis-server, Python gRPC, protoc for the
# Python example, espeak-ng for a speech voice, afl++ for coverage-guided fuzzing, ffmpeg to decode the H.264 video subscribers receive, prometheus for promtool) and the npm tools (buf, @grpc/grpc-js). Idempotent and quick when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(redis-server python3-grpcio python3-protobuf python3-yaml protobuf-compiler libprotobuf-dev espeak-ng nodejs npm afl++ ffmpeg)
apt_packages+=(golang-go golang-google-grpc-dev golang-google-protobuf-dev protoc-gen-go protoc-gen-go-grpc)  # go client
apt_packages+=(prometheus)  # promtool: the alert rules' unit tests
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
/usr/bin/python3 -c 'import grpc, google.protobuf' 2>/dev/null || missing+=(python3-grpcio python3-protobuf)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
command -v protoc >/dev/null || missing+=(protobuf-compiler)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
[ -f /usr/include/google/protobuf/timestamp.proto ] || missing+=(libprotobuf-dev)
command -v npm >/dev/null || missing+=(nodejs npm)
command -v afl-fuzz >/dev/null || missing+=(afl++)
command -v ffprobe >/dev/null || missing+=(ffmpeg)
command -v promtool >/dev/null || missing+=(prometheus)
{ command -v go && command -v protoc-gen-go && command -v protoc-gen-go-grpc && [ -d /usr/share/gocode/src/google.golang.org/grpc ] && [ -d /usr/share/gocode/src/google.golang.org/protobuf ]; } >/dev/null || missing+=(golang-go golang-google-grpc-dev golang-google-protobuf-dev protoc-gen-go protoc-gen-go-grpc)  # go client
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]} (of ${apt_packages[*]})"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v kubectl >/dev/null || echo "warning: kubectl is not installed; the Kubernetes manifest tests need it (kubectl kustomize)" >&2

if [ ! -x node_modules/.bin/buf ] || [ ! -f node_modules/typescript/bin/tsc ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm tools (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
