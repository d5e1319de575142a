#!/usr/bin/env bash
# Runs every test of RtmsGateway: proto lint/format and breaking-change check, the .NET suites (unit, simulator, end-to-end, polyglot
# consumers), a bounded fuzzing run of each protocol parser and of the video frame inspector (RTMS_FUZZ_SECONDS each, default 30; 0 skips it) and
# prints the totals as one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-test-tools.sh

passed=0
failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

echo "== buf lint / buf format"
if npx --no-install buf lint && npx --no-install buf format --diff --exit-code; then count 1 0; else count 0 1; fi

# The released v1 API (protos/released/v1.binpb, built with `buf build -o`): a change that breaks its generated code
# or its wire format fails here. Additions are fine; a deliberate v1 break needs a v2 package instead.
echo "== buf breaking against the released v1"
if npx --no-install buf breaking --against protos/released/v1.binpb; then count 1 0; else count 0 1; fi

echo "== dotnet build"
dotnet build RtmsGateway.sln -c Release -nologo -v quiet

results=$(mktemp -d)
status=0
for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=normal" \
    --blame-hang-timeout 5m || status=1
done

for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  p=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'passed="[0-9]*"' | grep -o '[0-9]*' || echo 0)
  f=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'failed="[0-9]*"' | grep -o '[0-9]*' || echo 0)
  count "${p:-0}" "${f:-0}"
done
rm -rf "$results"

for target in rtms webhook video; do
  [ "${RTMS_FUZZ_SECONDS:-30}" -gt 0 ] || break
  echo "== fuzz $target (${RTMS_FUZZ_SECONDS:-30} s)"
  if scripts/fuzz.sh "$target" "${RTMS_FUZZ_SECONDS:-30}"; then count 1 0; else count 0 1; fi
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=$((failed + 1)); fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
