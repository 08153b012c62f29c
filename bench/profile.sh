#!/usr/bin/env bash
# bench/profile.sh [aes-256-gcm|chacha20-poly1305] [bulk|connrate]: where TT's time goes.
#
# Runs origin, TT server and TT client (bin/tt, newest JDK) with async-profiler (Maven Central artifact
# tools.profiler:async-profiler, fetched into ~/.m2 by mvn if missing) and drives them with one workload
# (default: 7 bulk transfers of 1 GiB; connrate: 8 x 2,000 new connections), then prints
# the hottest frames of each side (self time) and writes collapsed stacks and flame graphs to bench/results/profile/.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
method=${1:-aes-256-gcm}
work=${2:-bulk}
AP_VERSION=4.6
ap_jar=$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
[ -f "$ap_jar" ] || mvn -q dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION >/dev/null
lib_dir=$(mktemp -d /tmp/tt-prof.XXXXXX)
unzip -q -o "$ap_jar" 'linux-x64/libasyncProfiler.so' -d "$lib_dir"
lib=$lib_dir/linux-x64/libasyncProfiler.so
out=$here/results/profile
mkdir -p "$out"
[ -f bench/target/tt-bench.jar ] && [ -f server-verticle/target/tt-server-fat.jar ] || mvn -o -q -DskipTests package
java_new=${JAVA_NEW:-$(ls -d /usr/lib/jvm/*/ | sort -V | tail -1)}
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$lib_dir"' EXIT
"$java_new/bin/java" -cp bench/target/tt-bench.jar io.tt.bench.Origin 127.0.0.1 29090 >/dev/null 2>&1 & pids+=($!)
prof() { echo "-agentpath:$lib=start,event=cpu,interval=997us,file=$out/$1-$method-$work.collapsed,collapsed"; }
TT_KEY=prof TT_JAVA_OPTS="$(prof server) ${TT_JAVA_OPTS:-}" bin/tt server -l 127.0.0.1 -r 29300-29399 -m "$method" \
  >/dev/null 2>&1 & spid=$!; pids+=($spid)
TT_KEY=prof TT_JAVA_OPTS="$(prof client) ${TT_JAVA_OPTS:-}" bin/tt client -s 127.0.0.1 -r 29300-29399 \
  -l 127.0.0.1:29091 -m "$method" ${TT_EXTRA_OPTS:-} >/dev/null 2>&1 & cpid=$!; pids+=($cpid)
# Ready when a request goes through the whole chain (the server may still be deriving its key after the client is up).
for _ in $(seq 1 100); do
  curl -s -o /dev/null -x socks5h://127.0.0.1:29091 http://127.0.0.1:29090/16 2>/dev/null && break; sleep 0.2
done
if [ "$work" = bulk ]; then
  for i in 0 1 2 3 4 5 6; do
    curl -s -x socks5h://127.0.0.1:29091 -o /dev/null -w "transfer $i: %{speed_download} B/s\n" http://127.0.0.1:29090/1073741824
  done
else
  for i in 0 1 2 3 4 5 6 7; do
    "$java_new/bin/java" -cp bench/target/tt-bench.jar io.tt.bench.LoadClient connrate --proxy 127.0.0.1:29091 \
      --target 127.0.0.1:29090 --n 2000 --size 1024
  done
fi
kill "$cpid" "$spid"; wait "$cpid" "$spid" 2>/dev/null || true
python3 "$here/hot.py" "$out/server-$method-$work.collapsed" "$out/client-$method-$work.collapsed"
