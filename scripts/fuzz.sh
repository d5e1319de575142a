#!/usr/bin/env bash
# Fuzzes one protocol parser for a bounded time: scripts/fuzz.sh <rtms|webhook> [seconds] [seed]
#   rtms     RtmsMessageReader.Read on a WebSocket frame (what Zoom's signaling and media sockets send)
#   webhook  ZoomWebhookParser.Parse on a webhook body
# With afl++ (afl-fuzz) it instruments RtmsGateway.Protocol with SharpFuzz and runs coverage-guided; without it, or
# when afl-fuzz cannot start here, it runs the in-process mutation fuzzer for the same time. Either way the contract is
# tests/RtmsGateway.Fuzzing/README: a parsed message honours its nullability and round-trips, anything else is an
# RtmsProtocolException. Inputs that break it are saved under artifacts/fuzz/findings/<target>/ and the script exits 1.
# Replay one: dotnet artifacts/fuzz/bin/RtmsGateway.Fuzzing.dll <target> run <file>
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: scripts/fuzz.sh <rtms|webhook|video> [seconds] [seed]}
seconds=${2:-60}
seed=${3:-$RANDOM}
case "$target" in rtms|webhook|video) ;; *) echo "unknown target '$target' (rtms, webhook or video)" >&2; exit 2 ;; esac

corpus=tests/RtmsGateway.Fuzzing/Corpus/$target
bin=artifacts/fuzz/bin-$target
findings=artifacts/fuzz/findings/$target
instrumented=artifacts/fuzz/bin-$target-afl
rm -rf "$bin" "$instrumented" "$findings" "artifacts/fuzz/afl-$target"
mkdir -p "$findings"
dotnet publish tests/RtmsGateway.Fuzzing -c Release -o "$bin" -nologo -v quiet >/dev/null

fuzzer=(dotnet "$bin/RtmsGateway.Fuzzing.dll" "$target")

run_afl() {
  command -v afl-fuzz >/dev/null || { echo "afl-fuzz is not installed"; return 2; }
  dotnet tool restore >/dev/null || { echo "dotnet tool restore failed"; return 2; }
  # afl-fuzz runs an instrumented copy; findings are replayed on the plain build (instrumented code needs afl's shared memory).
  cp -r "$bin" "$instrumented"
  dotnet sharpfuzz "$instrumented/RtmsGateway.Protocol.dll" >/dev/null || { echo "SharpFuzz could not instrument the protocol assembly"; return 2; }
  local out=artifacts/fuzz/afl-$target
  # The binary is instrumented through SharpFuzz's shared-memory hook, which afl-fuzz's static check does not see.
  AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
    AFL_QUIET=1 timeout $((seconds + 120)) afl-fuzz -i "$corpus" -o "$out" -s "$seed" -t 10000 -m none -V "$seconds" \
    -- dotnet "$instrumented/RtmsGateway.Fuzzing.dll" "$target" afl >"$out.log" 2>&1 || true
  local stats=$out/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "afl-fuzz did not start: $(grep -a 'PROGRAM ABORT' -A1 "$out.log" | tr -d '\033' | tail -1)"
    return 2
  fi
  local execs paths crashes
  execs=$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats")
  paths=$(awk -F' *: *' '$1=="corpus_count"{print $2}' "$stats")
  crashes=$(awk -F' *: *' '$1=="saved_crashes"{print $2}' "$stats")
  echo "$target: afl-fuzz, $execs executions in $seconds s (seed $seed), $paths inputs in the corpus, $crashes crashes"
  find "$out/default/crashes" "$out/default/hangs" -type f -name 'id:*' -exec cp {} "$findings/" \; 2>/dev/null || true
  if [ -n "$(ls -A "$findings")" ]; then
    echo "inputs that break the contract (replayed):"
    "${fuzzer[@]}" run "$findings" || true
    return 1
  fi
  return 0
}

set +e
run_afl
rc=$?
set -e
if [ "$rc" -eq 2 ]; then
  echo "$target: falling back to the in-process mutation fuzzer"
  "${fuzzer[@]}" mutate "$seconds" "$corpus" "$findings" "$seed"
  rc=$?
fi
exit "$rc"
