#!/usr/bin/env bash
# Fuzzes every Jazzer target for MINUTES minutes in total, one target at a time (JAZZER_FUZZ=1, each bounded by
# libFuzzer's -max_total_time and by `timeout`), then writes findings and execution counts to
# bench/results/fuzz-<date>.txt. Usage: bench/fuzz/run.sh [MINUTES] [TARGET-FILTER]   (default 20; filter: grep -E)
# The generated corpus accumulates in bench/results/tmp/corpus (ignored by git) across runs; crashing inputs are
# copied to bench/results/tmp/findings/. Not part of the test run. Needs network once for Jazzer (Maven Central).
# JUnit's @Timeout (which bounds each seed in the normal test run) is disabled here; libFuzzer's -timeout=60 bounds
# each input instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
MINUTES=${1:-20}
FILTER=${2:-.}

TARGETS=(
  "common FrameDecoderFuzzTest#decode"
  "common ServerHandshakeFuzzTest#anyFirstBytes"
  "common ServerHandshakeFuzzTest#validPrefix"
  "common ClientHandshakeFuzzTest#serverReply"
  "common WireDecodeFuzzTest#targetAndRequest"
  "common ProxyHandshakeFuzzTest#firstBytes"
  "common HttpFramersFuzzTest#requests"
  "common HttpFramersFuzzTest#responses"
  "common MuxLinkFuzzTest#serverSide"
  "server-verticle FakeSiteFuzzTest#requestCycle"
)
selected=()
for t in "${TARGETS[@]}"; do
  if grep -qE -- "$FILTER" <<<"$t"; then selected+=("$t"); fi
done
[ ${#selected[@]} -gt 0 ] || { echo "no target matches $FILTER" >&2; exit 2; }

SECS=$(( MINUTES * 60 / ${#selected[@]} ))
[ "$SECS" -ge 10 ] || SECS=10
STAMP=$(date -u +%Y%m%d-%H%M%S)
mkdir -p bench/results/tmp/corpus bench/results/tmp/findings bench/results/tmp/logs
REPORT=bench/results/fuzz-$STAMP.txt
{
  echo "# TT fuzzing run $STAMP (UTC): ${#selected[@]} targets, ${SECS}s each, $(nproc) cores"
  echo "# git $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty'), $(java -version 2>&1 | head -1)"
  printf '%-48s %10s %8s %8s %s\n' target executions seconds corpus result
} > "$REPORT"

# Build once (main and test classes of common and server-verticle); each target then runs surefire alone.
mvn -q -o -pl common,server-verticle -am test-compile >/dev/null 2>&1 || mvn -q -pl common,server-verticle -am test-compile

# server-verticle's tests need common's classes from the same reactor (nothing is installed).
modules() { [ "$1" = common ] && echo common || echo common,server-verticle; }

for t in "${selected[@]}"; do
  module=${t%% *}
  test=${t#* }
  class=${test%%#*}
  method=${test#*#}
  pkg=$([ "$module" = common ] && echo io.tt.common.fuzz || echo io.tt.server.fuzz)
  corpus=bench/results/tmp/corpus/$class/$method
  mkdir -p "$corpus"
  # Jazzer keeps its generated corpus in <module>/.cifuzz-corpus/<class>/<method>: seed it with earlier runs.
  gen=$module/.cifuzz-corpus/$pkg.$class/$method
  rm -rf "$module/.cifuzz-corpus"
  mkdir -p "$gen"
  cp -r "$corpus/." "$gen/" 2>/dev/null || true
  log=bench/results/tmp/logs/$class-$method-$STAMP.log
  echo "fuzzing $test for ${SECS}s ..."
  start=$(date +%s)
  set +e
  JAZZER_FUZZ=1 timeout $(( SECS + 240 )) mvn -o -pl "$(modules "$module")" test \
    -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false \
    -Djazzer.internal.arg.0=fake_argv0 -Djazzer.internal.arg.1=-max_total_time=$SECS \
    -Djazzer.internal.arg.2=-timeout=60 -Djunit.jupiter.execution.timeout.mode=disabled > "$log" 2>&1
  rc=$?
  set -e
  took=$(( $(date +%s) - start ))
  runs=$( (grep -aoE '^Done [0-9]+ runs' "$log" || true) | tail -1 | awk '{print $2}')
  [ -n "$runs" ] || runs=$( (grep -aoE '^#[0-9]+' "$log" || true) | tail -1 | tr -d '#')
  cp -r "$gen/." "$corpus/" 2>/dev/null || true
  size=$(find "$corpus" -type f | wc -l)
  result=ok
  if [ $rc -ne 0 ]; then
    result="FINDING (exit $rc): $( (grep -aE 'FuzzTestFindingException|Caused by|Exception:' "$log" || true) | head -1 | cut -c1-200)"
    for crash in $( (grep -aoE 'Test unit written to [^ ]+' "$log" || true) | awk '{print $5}'); do
      [ -f "$crash" ] && cp "$crash" bench/results/tmp/findings/"$class-$method-$(basename "$crash")"
      [ -f "$crash" ] && rm -f "$crash"
    done
  fi
  rm -rf "$module/.cifuzz-corpus" "$module/src/test/resources/io"
  printf '%-48s %10s %8s %8s %s\n' "$test" "${runs:-?}" "$took" "$size" "$result" >> "$REPORT"
done
echo "# findings (crashing inputs) kept in bench/results/tmp/findings; logs in bench/results/tmp/logs" >> "$REPORT"
cat "$REPORT"
