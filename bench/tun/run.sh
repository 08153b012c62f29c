#!/usr/bin/env bash
# iperf3 through TT's TUN mode (over UDP and over TCP) beside the same namespace path without TT, as a table.
#
#   sudo bench/tun/run.sh [-t SECONDS] [-b UDP_RATE] [-m "METHODS"]
#
# Two network namespaces joined by a veth pair; "direct" is iperf3 over the veth itself, the TT rows run the
# server and client fat jars in the namespaces with TUN devices (10.1.0.1 and 10.1.0.2) and iperf3 between the
# TUN addresses. TT runs through bin/tt (its JDK, the newest installed, and its JVM flags; TT_JAVA picks another).
# Needs root, ip (iproute2), iperf3, python3, java 17+ and the fat jars
# (mvn -o -q -DskipTests package). Everything it makes is removed on exit; the whole run is bounded in time.
set -euo pipefail

SECONDS_PER_RUN=8
UDP_RATE=1G
METHODS="chacha20-poly1305 aes-256-gcm"
while getopts "t:b:m:h" opt; do
  case $opt in
    t) SECONDS_PER_RUN=$OPTARG ;;
    b) UDP_RATE=$OPTARG ;;
    m) METHODS=$OPTARG ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERVER_JAR=$ROOT/server-verticle/target/tt-server-fat.jar
CLIENT_JAR=$ROOT/client-verticle/target/tt-client-fat.jar
for tool in ip iperf3 python3 java timeout; do
  command -v $tool >/dev/null || { echo "bench/tun: $tool is not installed" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "bench/tun: needs root (ip netns, /dev/net/tun)" >&2; exit 2; }
[ -f "$SERVER_JAR" ] && [ -f "$CLIENT_JAR" ] || { echo "bench/tun: build the fat jars first: mvn -o -q -DskipTests package" >&2; exit 2; }

TAG=$(printf '%04x' $((RANDOM % 65536)))
NS_S=tt-bench-s-$TAG
NS_C=tt-bench-c-$TAG
LOGS=$(mktemp -d /tmp/tt-bench-tun.XXXXXX)
PIDS=()
KEY="tt bench tun key"

cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$NS_S" 2>/dev/null || true
  ip netns del "$NS_C" 2>/dev/null || true
}
trap cleanup EXIT
# The whole run is bounded: a watchdog ends it (and the trap cleans up) if anything hangs. Its output goes
# nowhere, so a caller reading ours through a pipe is not kept waiting by it.
trap 'echo "bench/tun: time limit reached" >&2; exit 124' USR1
( sleep 900 && kill -USR1 $$ ) >/dev/null 2>&1 &
WATCHDOG=$!
PIDS+=("$WATCHDOG")

ip netns add "$NS_S"
ip netns add "$NS_C"
ip link add "vs$TAG" netns "$NS_S" type veth peer name "vc$TAG" netns "$NS_C"
ip -n "$NS_S" addr add 10.232.0.1/24 dev "vs$TAG"
ip -n "$NS_C" addr add 10.232.0.2/24 dev "vc$TAG"
for ns in "$NS_S" "$NS_C"; do ip -n "$ns" link set lo up; done
ip -n "$NS_S" link set "vs$TAG" up
ip -n "$NS_C" link set "vc$TAG" up

# iperf3 JSON on stdin -> "Mbit/s" (tcp) or "Mbit/s received (loss%)" (udp)
summarize() {
  python3 -c '
import json, sys
j = json.load(sys.stdin)
if "error" in j:
    print("error: " + j["error"]); sys.exit(0)
e = j["end"]
if sys.argv[1] == "tcp":
    print("%.0f" % (e["sum_received"]["bits_per_second"] / 1e6))
else:
    s = e["sum"]
    print("%.0f (%.1f%% lost)" % (s["bits_per_second"] / 1e6 * (1 - s["lost_percent"] / 100), s["lost_percent"]))
' "$1"
}

# iperf3 from the client namespace to ADDRESS: prints "TCP_RESULT|UDP_RESULT"
measure() {
  local addr=$1
  ip netns exec "$NS_S" timeout $((SECONDS_PER_RUN * 2 + 40)) iperf3 -s -B "$addr" -p 5299 >/dev/null 2>&1 &
  local srv=$!
  PIDS+=("$srv")
  sleep 0.5
  local tcp udp
  tcp=$(ip netns exec "$NS_C" timeout $((SECONDS_PER_RUN + 20)) iperf3 -c "$addr" -p 5299 -t "$SECONDS_PER_RUN" -J \
    | summarize tcp || echo "failed")
  udp=$(ip netns exec "$NS_C" timeout $((SECONDS_PER_RUN + 20)) iperf3 -c "$addr" -p 5299 -t "$SECONDS_PER_RUN" -J \
    -u -b "$UDP_RATE" -l 1300 -w 4M | summarize udp || echo "failed")
  kill "$srv" 2>/dev/null || true
  wait "$srv" 2>/dev/null || true
  echo "$tcp|$udp"
}

wait_for() { # FILE PATTERN SECONDS
  for _ in $(seq 1 $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench/tun: '$2' did not appear in $1:" >&2; cat "$1" >&2; return 1
}

run_tt() { # PROTO METHOD
  local proto=$1 method=$2
  local common=(-k "$KEY" -m "$method" -r 20000-29999 --tun-mtu 1410)
  ip netns exec "$NS_S" timeout 300 "$ROOT/bin/tt" server "${common[@]}" --tun-ip 10.1.0.1/24 \
    > "$LOGS/server-$proto-$method.log" 2>&1 &
  local s=$!
  PIDS+=("$s")
  wait_for "$LOGS/server-$proto-$method.log" "TT server listening" 30
  ip netns exec "$NS_C" timeout 300 "$ROOT/bin/tt" client "${common[@]}" -s 10.232.0.1 -l 127.0.0.1:1080 \
    --tun-ip 10.1.0.2/24 --tun-proto "$proto" > "$LOGS/client-$proto-$method.log" 2>&1 &
  local c=$!
  PIDS+=("$c")
  wait_for "$LOGS/client-$proto-$method.log" "TT client TUN mode" 30
  for _ in $(seq 1 100); do ip netns exec "$NS_C" ping -c1 -W1 10.1.0.1 >/dev/null 2>&1 && break; sleep 0.2; done
  # Warm the JIT so the numbers are the steady state, not the first seconds of a cold JVM.
  ip netns exec "$NS_S" timeout 30 iperf3 -s -1 -B 10.1.0.1 -p 5298 >/dev/null 2>&1 &
  sleep 0.5
  ip netns exec "$NS_C" timeout 20 iperf3 -c 10.1.0.1 -p 5298 -t 3 >/dev/null 2>&1 || true
  measure 10.1.0.1
  kill "$c" "$s" 2>/dev/null || true
  wait "$c" "$s" 2>/dev/null || true
}

echo "bench/tun: iperf3, ${SECONDS_PER_RUN} s per run, UDP offered ${UDP_RATE}bit/s in 1300-byte datagrams; $(nproc) CPUs; TT on ${TT_JAVA:-the JDK bin/tt picks (the newest installed)}" >&2
ROWS=()
ROWS+=("veth direct (no TT)|-|$(measure 10.232.0.1)")
for method in $METHODS; do
  for proto in UDP TCP; do
    echo "bench/tun: TT TUN over $proto, $method ..." >&2
    ROWS+=("TT TUN over $proto|$method|$(run_tt "$proto" "$method")")
  done
done

printf '\n%-22s | %-18s | %-12s | %s\n' "path" "method" "TCP Mbit/s" "UDP Mbit/s received"
printf '%s\n' "-----------------------+--------------------+--------------+------------------------"
for row in "${ROWS[@]}"; do
  IFS='|' read -r path method tcp udp <<< "$row"
  printf '%-22s | %-18s | %-12s | %s\n' "$path" "$method" "$tcp" "$udp"
done
echo "(logs: $LOGS)" >&2
