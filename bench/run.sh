#!/usr/bin/env bash
# bench/run.sh: TT beside shadowsocks-libev, on loopback, in one run.
#
# Builds TT and the bench jar if needed, installs shadowsocks-libev (and curl, libsodium23) from Debian if missing,
# starts one origin, TT (aes-256-gcm and chacha20-poly1305, on the newest JDK and on Java 17) and ss-libev
# (aes-256-gcm, chacha20-ietf-poly1305), and measures each through its SOCKS5 proxy against the same origin:
#   bulk      one stream of BULK_BYTES (default 1 GiB) with curl -x socks5h://, MB/s, plus client and server
#             CPU seconds per GiB moved
#   parallel  50 streams at once (curl --parallel), aggregate MB/s
#   connrate  2,000 sequential 1 KiB requests, a new connection each: req/s, p50 and p99 latency
#   scale     1,000 and 10,000 tunnels held open through one server, then each used once: all answered?,
#             server heap (live, after a full GC) and RSS
#   direct    the same against the origin without a proxy: the ceiling
#   netty-floor  connrate through bench's BareRelay (bare Netty, no crypto, no protocol): the floor of a JVM relay
# Every figure is the median of RUNS runs (default 5; scale: SCALE_RUNS, 3) with its min-max; the runs are interleaved (run 1 of every
# configuration, then run 2, ...) so background load hits all of them alike. Prints the table and writes it to
# bench/results/ (a .md with the table and the environment, a .tsv with every raw figure).
#
# Environment: RUNS, SCALE_RUNS, BULK_BYTES, PAR_STREAMS, PAR_BYTES (per stream), CONN_N, CONN_WARM, NAGLE_N, SCALE_NS ("1000 10000"),
# JAVA_NEW / JAVA_17 (JDK homes), TT_EXTRA_OPTS (extra TT CLI options, e.g. "--frame-size 65535"),
# BENCH_SKIP ("scale", "j17", "jdkcrypto" ... to leave parts out). Bounded: about 10-12 minutes on 2 cores (the report records the time).
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

RUNS=${RUNS:-5}
SCALE_RUNS=${SCALE_RUNS:-3}
BULK_BYTES=${BULK_BYTES:-1073741824}
PAR_STREAMS=${PAR_STREAMS:-50}
PAR_BYTES=${PAR_BYTES:-25165824}
CONN_N=${CONN_N:-2000}
NAGLE_N=${NAGLE_N:-200}
# The load client is a fresh JVM per run: after 200 warm-up requests its own C2 compiler still took 0.5-0.9 s of
# CPU during the 2,000 timed ones (perf sched), on the same two cores as the proxies, and every proxy measured
# about 30 % slower for it. Its warm-up requests go through the proxy under test like the timed ones.
CONN_WARM=${CONN_WARM:-3000}
SCALE_NS=${SCALE_NS:-"1000 10000"}
BENCH_SKIP=${BENCH_SKIP:-}
KEY=tt-bench-key-$$
# Ports of this bench only, below the ephemeral range (32768+) so no outgoing connection takes them.
ORIGIN_PORT=29080
TT_RANGE_NEW=29100-29199
TT_RANGE_17=29200-29299
P_TT_AES_NEW=29011 P_TT_CHA_NEW=29012 P_TT_AES_17=29013 P_TT_CHA_17=29014 P_TT_AES_NOMUX=29015
P_SS_SRV_AES=29021 P_SS_SRV_CHA=29022 P_SS_AES=29031 P_SS_CHA=29032 P_SS_SRV_NAGLE=29023 P_SS_NAGLE=29033
P_FLOOR_SRV=29041 P_FLOOR=29042
TT_RANGE_JDKC=29300-29399 P_TT_AES_JDKC=29016

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
skip() { [[ " $BENCH_SKIP " == *" $1 "* ]]; }

# ---------------------------------------------------------------- prerequisites
need_pkgs=()
command -v ss-server >/dev/null || need_pkgs+=(shadowsocks-libev)
command -v curl >/dev/null || need_pkgs+=(curl)
command -v python3 >/dev/null || need_pkgs+=(python3)
ls /usr/lib/x86_64-linux-gnu/libsodium.so.* /usr/lib/*/libsodium.so.* >/dev/null 2>&1 || need_pkgs+=(libsodium23)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing from Debian: ${need_pkgs[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

newest_jdk() {
  local best="" bestv=0 v j
  for j in /usr/lib/jvm/*/bin/java; do
    [ -x "$j" ] || continue
    v=$("$j" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}')
    if [ "${v:-0}" -gt "$bestv" ] 2>/dev/null; then best=$(dirname "$(dirname "$j")"); bestv=$v; fi
  done
  echo "$best"
}
JAVA_NEW=${JAVA_NEW:-$(newest_jdk)}
JAVA_17=${JAVA_17:-/usr/lib/jvm/java-17-openjdk-amd64}
[ -x "$JAVA_17/bin/java" ] || { log "no Java 17 at $JAVA_17: its rows are skipped"; BENCH_SKIP="$BENCH_SKIP j17"; }
[ "$(readlink -f "$JAVA_NEW")" = "$(readlink -f "$JAVA_17")" ] && BENCH_SKIP="$BENCH_SKIP j17"
jver() { "$1/bin/java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/'; }

server_jar=server-verticle/target/tt-server-fat.jar
client_jar=client-verticle/target/tt-client-fat.jar
bench_jar=bench/target/tt-bench.jar
stale() {
  [ -f "$server_jar" ] && [ -f "$client_jar" ] && [ -f "$bench_jar" ] || return 0
  [ -n "$(find common server-verticle client-verticle bench -name '*.java' -newer "$bench_jar" -print -quit)" ]
}
if stale; then
  log "building (mvn -q -DskipTests package)"
  mvn -o -q -B -DskipTests package >/dev/null 2>&1 || mvn -q -B -DskipTests package
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)
TS=$(date +%Y%m%d-%H%M%S)
OUT=$here/results
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/tt-bench.XXXXXX)
RAW=$OUT/$TS.tsv
: >"$RAW"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # Keep the processes' logs beside the results (not committed), for a failure that needs explaining.
  mkdir -p "$OUT/logs-$TS" && cp "$WORK"/*.log "$WORK"/*.out "$WORK"/*.err "$OUT/logs-$TS/" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RAW"; }   # config metric run value

wait_port() {
  local port=$1 i
  for i in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  log "nothing listens on $port"; return 1
}

# ---------------------------------------------------------------- processes
start_origin() {
  "$JAVA_NEW/bin/java" -XX:+UseParallelGC -Xmx256m -cp "$bench_jar" io.tt.bench.Origin 127.0.0.1 $ORIGIN_PORT \
    >"$WORK/origin.log" 2>&1 &
  PIDS+=($!)
  wait_port $ORIGIN_PORT
}

# tt_server JAVA_HOME RANGE NAME -> sets LAST_PID; returns once the server listens (its ports jump, so the log says)
tt_server() {
  TT_KEY=$KEY TT_JAVA="$1/bin/java" bin/tt server -l 127.0.0.1 -r "$2" -m aes-256-gcm,chacha20-poly1305 \
    >"$WORK/$3.log" 2>&1 &
  LAST_PID=$!; PIDS+=($LAST_PID)
  local i
  for i in $(seq 1 150); do
    grep -q "TT server listening" "$WORK/$3.log" 2>/dev/null && return 0
    sleep 0.2
  done
  log "the TT server $3 did not say it listens"
}
# tt_client JAVA_HOME RANGE PORT METHOD NAME
tt_client() {
  # shellcheck disable=SC2086
  TT_KEY=$KEY TT_JAVA="$1/bin/java" bin/tt client -s 127.0.0.1 -r "$2" -l "127.0.0.1:$3" -m "$4" ${TT_EXTRA_OPTS:-} \
    >"$WORK/$5.log" 2>&1 &
  LAST_PID=$!; PIDS+=($LAST_PID)
  wait_port "$3"
}
# ss_pair SERVER_PORT LOCAL_PORT METHOD NAME [EXTRA] -> SS_SRV_PID, SS_LOC_PID
# --no-delay (TCP_NODELAY, as TT sets on every socket) unless EXTRA is "nagle": ss-libev's default leaves Nagle
# on, and then some requests wait for a 40 ms delayed ACK (the ss-aes-nagle row shows it).
ss_pair() {
  local nd=(--no-delay); [ "${5:-}" = nagle ] && nd=()
  ss-server -s 127.0.0.1 -p "$1" -k "$KEY" -m "$3" -n "$NOFILE" "${nd[@]}" >"$WORK/$4-server.log" 2>&1 &
  SS_SRV_PID=$!; PIDS+=($SS_SRV_PID)
  ss-local -s 127.0.0.1 -p "$1" -b 127.0.0.1 -l "$2" -k "$KEY" -m "$3" -n "$NOFILE" "${nd[@]}" >"$WORK/$4-local.log" 2>&1 &
  SS_LOC_PID=$!; PIDS+=($SS_LOC_PID)
  wait_port "$1"; wait_port "$2"
}
# netty_floor: bench's BareRelay pair, the floor of any JVM relay on Netty (no crypto, no protocol, no Vert.x; one
# event loop a side, TT's JVM flags): what TT costs per connection above it is TT's, what it costs above ss-libev
# the JVM's and Netty's. Connection rate only.
netty_floor() {
  local flags=(-XX:+UseParallelGC -Dthreads=1 --enable-native-access=ALL-UNNAMED)
  local v; v=$(jver "$JAVA_NEW"); [ "${v%%.*}" -ge 23 ] && flags+=(--sun-misc-unsafe-memory-access=allow)
  "$JAVA_NEW/bin/java" "${flags[@]}" -cp "$bench_jar" io.tt.bench.BareRelay server $P_FLOOR_SRV \
    >"$WORK/floor-server.log" 2>&1 &
  PIDS+=($!)
  "$JAVA_NEW/bin/java" "${flags[@]}" -cp "$bench_jar" io.tt.bench.BareRelay client $P_FLOOR $P_FLOOR_SRV \
    >"$WORK/floor-client.log" 2>&1 &
  PIDS+=($!)
  wait_port $P_FLOOR_SRV; wait_port $P_FLOOR
}
stop_pid() {
  kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
  local keep=() p; for p in "${PIDS[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done; PIDS=("${keep[@]}")
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
# Live heap after a full GC (MiB), with the JDK the process runs on.
heap_mib() {
  local jh=$1 pid=$2
  "$jh/bin/jcmd" "$pid" GC.run >/dev/null 2>&1 || true
  "$jh/bin/jstat" -gc "$pid" | awk 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i}
    NR == 2 {printf "%.1f", ($c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]) / 1024}'
}
HZ=$(getconf CLK_TCK)

# ---------------------------------------------------------------- measurements
# bulk CONFIG RUN PROXYPORT|none CLIENTPID SERVERPID
bulk() {
  local cfg=$1 run=$2 port=$3 cpid=${4:-} spid=${5:-} proxy=() c0=0 s0=0 c1 s1 out
  [ "$port" != none ] && proxy=(-x "socks5h://127.0.0.1:$port")
  [ -n "$cpid" ] && c0=$(cpu_ticks "$cpid")
  [ -n "$spid" ] && s0=$(cpu_ticks "$spid")
  out=$(curl -s "${proxy[@]}" -o /dev/null -w '%{size_download} %{speed_download}' \
    "http://127.0.0.1:$ORIGIN_PORT/$BULK_BYTES") || out="0 0"
  set -- $out
  if [ "$1" != "$BULK_BYTES" ]; then log "$cfg bulk: got $1 of $BULK_BYTES bytes"; record "$cfg" bulk_mbs "$run" 0; return; fi
  record "$cfg" bulk_mbs "$run" "$(awk -v s="$2" 'BEGIN {printf "%.1f", s / 1e6}')"
  local gib; gib=$(awk -v b="$BULK_BYTES" 'BEGIN {print b / 1073741824}')
  if [ -n "$cpid" ]; then c1=$(cpu_ticks "$cpid")
    record "$cfg" cpu_client_s_gib "$run" "$(awk -v a="$c0" -v b="$c1" -v h="$HZ" -v g="$gib" 'BEGIN {printf "%.2f", (b - a) / h / g}')"; fi
  if [ -n "$spid" ]; then s1=$(cpu_ticks "$spid")
    record "$cfg" cpu_server_s_gib "$run" "$(awk -v a="$s0" -v b="$s1" -v h="$HZ" -v g="$gib" 'BEGIN {printf "%.2f", (b - a) / h / g}')"; fi
}

parallel() {
  local cfg=$1 run=$2 port=$3 proxy=() args=() i t0 t1 got
  [ "$port" != none ] && proxy=(-x "socks5h://127.0.0.1:$port")
  for i in $(seq 1 "$PAR_STREAMS"); do args+=(-o /dev/null "http://127.0.0.1:$ORIGIN_PORT/$PAR_BYTES?s=$i"); done
  t0=$(date +%s.%N)
  got=$(curl -s "${proxy[@]}" --parallel --parallel-immediate --parallel-max "$PAR_STREAMS" -w '%{size_download}\n' \
    "${args[@]}" 2>/dev/null | awk '{s += $1} END {print s + 0}') || got=0
  t1=$(date +%s.%N)
  local want=$((PAR_STREAMS * PAR_BYTES))
  if [ "$got" != "$want" ]; then log "$cfg parallel: got $got of $want bytes"; record "$cfg" par_mbs "$run" 0; return; fi
  record "$cfg" par_mbs "$run" "$(awk -v b="$got" -v a="$t0" -v z="$t1" 'BEGIN {printf "%.1f", b / (z - a) / 1e6}')"
}

connrate() {
  local cfg=$1 run=$2 port=$3 line
  local proxy=none; [ "$port" != none ] && proxy=127.0.0.1:$port
  # The Nagle row only shows ss-libev's default: on some kernels nearly every request waits for a 40 ms delayed ACK
  # (40 req/s on 6.18), and 5,000 requests a run would take 2 minutes. Its rate is the ACK timer's, not the JIT's.
  local n=$CONN_N warm=$CONN_WARM
  [ "$cfg" = ss-aes-nagle ] && { n=$NAGLE_N; warm=0; }
  line=$("$JAVA_NEW/bin/java" -XX:+UseSerialGC -Xmx128m -cp "$bench_jar" io.tt.bench.LoadClient connrate \
    --proxy "$proxy" --target 127.0.0.1:$ORIGIN_PORT --n "$n" --size 1024 --warmup "$warm" 2>"$WORK/connrate.err") || line=""
  local rate p50 p99 failed
  rate=$(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' <<<"$line"); p50=$(sed -n 's/.* p50_ms=\([0-9.]*\).*/\1/p' <<<"$line")
  p99=$(sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p' <<<"$line"); failed=$(sed -n 's/.* failed=\([0-9]*\).*/\1/p' <<<"$line")
  if [ -z "$rate" ]; then log "$cfg connrate failed: $(tail -2 "$WORK/connrate.err")"; record "$cfg" conn_rps "$run" 0; return; fi
  [ "${failed:-0}" != 0 ] && log "$cfg connrate: $failed of $n requests failed: $(head -2 "$WORK/connrate.err")"
  local wf; wf=$(sed -n 's/.* warm_failed=\([0-9]*\).*/\1/p' <<<"$line")
  [ "${wf:-0}" != 0 ] && log "$cfg connrate: $wf of $CONN_WARM warm-up requests failed: $(grep -m1 warm-up "$WORK/connrate.err")"
  record "$cfg" conn_rps "$run" "$rate"; record "$cfg" conn_p50_ms "$run" "$p50"; record "$cfg" conn_p99_ms "$run" "$p99"
  record "$cfg" conn_failed "$run" "${failed:-0}"
}

# ---------------------------------------------------------------- throughput and connection rate
log "JDKs: new $JAVA_NEW ($(jver "$JAVA_NEW")), 17 $JAVA_17; nofile $NOFILE; results in $OUT/$TS.*"
start_origin
tt_server "$JAVA_NEW" $TT_RANGE_NEW tt-server-new; TT_SRV_NEW=$LAST_PID
tt_client "$JAVA_NEW" $TT_RANGE_NEW $P_TT_AES_NEW aes-256-gcm tt-aes-new; TT_CLI_AES_NEW=$LAST_PID
tt_client "$JAVA_NEW" $TT_RANGE_NEW $P_TT_CHA_NEW chacha20-poly1305 tt-cha-new; TT_CLI_CHA_NEW=$LAST_PID
# TT's per-connection mode (--mux 0: a TT connection and handshake per proxied connection), connection rate only.
TT_EXTRA_OPTS="${TT_EXTRA_OPTS:-} --mux 0" tt_client "$JAVA_NEW" $TT_RANGE_NEW $P_TT_AES_NOMUX aes-256-gcm tt-aes-nomux
TT_CLI_AES_NOMUX=$LAST_PID
configs=("tt-aes|$P_TT_AES_NEW|$TT_CLI_AES_NEW|$TT_SRV_NEW" "tt-chacha|$P_TT_CHA_NEW|$TT_CLI_CHA_NEW|$TT_SRV_NEW"
         "tt-aes-nomux|$P_TT_AES_NOMUX|$TT_CLI_AES_NOMUX|$TT_SRV_NEW")
# TT on the JDK's ciphers alone (-Dtt.crypto=jdk): what the native ones (libgcrypt, libsodium) buy, in the same run.
# Its own server and client (a JVM property).
if ! skip jdkcrypto; then
  TT_JAVA_OPTS="${TT_JAVA_OPTS:-} -Dtt.crypto=jdk" tt_server "$JAVA_NEW" $TT_RANGE_JDKC tt-server-jdkcrypto
  TT_SRV_JDKC=$LAST_PID
  TT_JAVA_OPTS="${TT_JAVA_OPTS:-} -Dtt.crypto=jdk" tt_client "$JAVA_NEW" $TT_RANGE_JDKC $P_TT_AES_JDKC aes-256-gcm \
    tt-aes-jdkcrypto
  configs+=("tt-aes-jdkcrypto|$P_TT_AES_JDKC|$LAST_PID|$TT_SRV_JDKC")
fi
if ! skip j17; then
  tt_server "$JAVA_17" $TT_RANGE_17 tt-server-17; TT_SRV_17=$LAST_PID
  tt_client "$JAVA_17" $TT_RANGE_17 $P_TT_AES_17 aes-256-gcm tt-aes-17; TT_CLI_AES_17=$LAST_PID
  tt_client "$JAVA_17" $TT_RANGE_17 $P_TT_CHA_17 chacha20-poly1305 tt-cha-17; TT_CLI_CHA_17=$LAST_PID
  configs+=("tt-aes-j17|$P_TT_AES_17|$TT_CLI_AES_17|$TT_SRV_17" "tt-chacha-j17|$P_TT_CHA_17|$TT_CLI_CHA_17|$TT_SRV_17")
fi
ss_pair $P_SS_SRV_AES $P_SS_AES aes-256-gcm ss-aes; configs+=("ss-aes|$P_SS_AES|$SS_LOC_PID|$SS_SRV_PID")
ss_pair $P_SS_SRV_CHA $P_SS_CHA chacha20-ietf-poly1305 ss-chacha; configs+=("ss-chacha|$P_SS_CHA|$SS_LOC_PID|$SS_SRV_PID")
ss_pair $P_SS_SRV_NAGLE $P_SS_NAGLE aes-256-gcm ss-aes-nagle nagle; configs+=("ss-aes-nagle|$P_SS_NAGLE|$SS_LOC_PID|$SS_SRV_PID")
netty_floor; configs+=("netty-floor|$P_FLOOR||")
configs=("direct|none||" "${configs[@]}")

# TT runs on a JIT: measured cold, the first seconds are C2 compiling on the same 2 cores (about 45% of the CPU
# in a profile of the first 10,000 connections, still 27% on the server after 8,000; none after 20,000: then
# 1,650-1,750 req/s instead of 1,250-1,550). Every proxy gets the same warm-up, so all are measured warm.
WARM_CONN=${WARM_CONN:-20000}
log "warm-up of every proxy: 1 GiB, one parallel round, $WARM_CONN connections (ss-libev: 500, it has no JIT)"
for c in "${configs[@]}"; do
  IFS='|' read -r name port cpid spid <<<"$c"
  [ "$port" = none ] && continue
  if [ "$name" != netty-floor ] && [ "$name" != tt-aes-nomux ]; then
    curl -s -x "socks5h://127.0.0.1:$port" -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/1073741824" || log "$name warm-up failed"
    parallel "$name" 0 "$port"
  fi
  "$JAVA_NEW/bin/java" -cp "$bench_jar" io.tt.bench.LoadClient connrate --proxy "127.0.0.1:$port" \
    --target 127.0.0.1:$ORIGIN_PORT --n "$([[ $name == ss-* ]] && echo 500 || echo "$WARM_CONN")" --size 1024 --warmup 0 \
    >"$WORK/warm-$name.out" 2>&1 \
    || log "$name warm-up connrate failed"
  log "warm-up $name: $(tail -1 "$WORK/warm-$name.out")"
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq 1 "$RUNS"); do
  for c in "${configs[@]}"; do
    IFS='|' read -r name port cpid spid <<<"$c"
    log "run $run/$RUNS: $name"
    if [ "$name" != ss-aes-nagle ] && [ "$name" != netty-floor ] && [ "$name" != tt-aes-nomux ]; then
      bulk "$name" "$run" "$port" "$cpid" "$spid"
      parallel "$name" "$run" "$port"
    fi
    connrate "$name" "$run" "$port"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# RSS of the long-running proxies after all that (MiB)
for c in "${configs[@]}"; do
  IFS='|' read -r name port cpid spid <<<"$c"
  [ -n "$cpid" ] && record "$name" rss_client_after_mib 1 "$(rss_mib "$cpid")"
  [ -n "$spid" ] && record "$name" rss_server_after_mib 1 "$(rss_mib "$spid")"
done
for p in "${PIDS[@]:1}"; do stop_pid "$p"; done

# ---------------------------------------------------------------- scale
# ss-libev holds two sockets per tunnel in each process; TT (mux, 4 streams per TT connection) one per tunnel plus
# one per four: N is capped by the open-files limit, for each by its own need.
ss_cap=$(( (NOFILE - 300) / 2 ))
tt_cap=$(( (NOFILE - 300) * 4 / 5 ))
if ! skip scale; then
  for n in $SCALE_NS; do
    for run in $(seq 1 "$SCALE_RUNS"); do
      for cfg in tt-aes tt-chacha ss-aes ss-chacha; do
        N=$n; cap=$ss_cap; [[ $cfg == tt-* ]] && cap=$tt_cap
        if [ "$N" -gt "$cap" ]; then
          [ "$run" = 1 ] && log "scale $n $cfg: the open-files limit ($NOFILE, hard) allows $cap tunnels per process"
          N=$cap
        fi
        case $cfg in
          tt-aes|tt-chacha)
            m=aes-256-gcm; [ $cfg = tt-chacha ] && m=chacha20-poly1305
            tt_server "$JAVA_NEW" $TT_RANGE_NEW "scale-$cfg-$n-$run-server"; spid=$LAST_PID
            tt_client "$JAVA_NEW" $TT_RANGE_NEW $P_TT_AES_NEW $m "scale-$cfg-$n-$run-client"; cpid=$LAST_PID; port=$P_TT_AES_NEW ;;
          ss-aes|ss-chacha)
            m=aes-256-gcm; [ $cfg = ss-chacha ] && m=chacha20-ietf-poly1305
            ss_pair $P_SS_SRV_AES $P_SS_AES $m "scale-$cfg-$n-$run"; spid=$SS_SRV_PID; cpid=$SS_LOC_PID; port=$P_SS_AES ;;
        esac
        rel=$WORK/release-$cfg-$n-$run
        for attempt in 1 2; do
          "$JAVA_NEW/bin/java" -XX:+UseSerialGC -Xmx512m -cp "$bench_jar" io.tt.bench.LoadClient scale \
            --proxy "127.0.0.1:$port" --target 127.0.0.1:$ORIGIN_PORT --n "$N" --size 1024 --window 256 --timeout 150 \
            --release-file "$rel" >"$WORK/scale.out" 2>"$WORK/scale.err" &
          lp=$!
          for _ in $(seq 1 1600); do grep -q '^phase=used' "$WORK/scale.out" && break; kill -0 $lp 2>/dev/null || break; sleep 0.1; done
          grep -q '^phase=' "$WORK/scale.out" && break
          # The load client ended without a word (seen twice in ~50 runs, exit status logged): once more.
          wait $lp; log "scale $N $cfg run $run: the load client exited with status $? and no output; attempt $((attempt + 1))"
          sleep 1
        done
        used=$(grep '^phase=used' "$WORK/scale.out" || true)
        opened=$(grep '^phase=open' "$WORK/scale.out" || true)
        answered=$(sed -n 's/.* answered=\([0-9]*\).*/\1/p' <<<"$used")
        record "$cfg" "scale${n}_answered" "$run" "${answered:-0}"
        record "$cfg" "scale${n}_n" "$run" "$N"
        record "$cfg" "scale${n}_open_s" "$run" "$(sed -n 's/.* secs=\([0-9.]*\).*/\1/p' <<<"$opened")"
        record "$cfg" "scale${n}_server_rss_mib" "$run" "$(rss_mib "$spid")"
        record "$cfg" "scale${n}_client_rss_mib" "$run" "$(rss_mib "$cpid")"
        [[ $cfg == tt-* ]] && record "$cfg" "scale${n}_server_heap_mib" "$run" "$(heap_mib "$JAVA_NEW" "$spid")"
        log "scale $N $cfg run $run: ${opened:-no open line}; ${used:-no used line}"
        cp "$WORK/scale.out" "$WORK/scale-$cfg-$n-$run.out"; cp "$WORK/scale.err" "$WORK/scale-$cfg-$n-$run.err"
        touch "$rel"; wait $lp 2>/dev/null || true
        stop_pid "$cpid"; stop_pid "$spid"
        sleep 1
      done
    done
  done
fi

# ---------------------------------------------------------------- report
env_md=$WORK/env.md
{
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); kernel $(uname -r)"
  echo "- TT on JDK $(jver "$JAVA_NEW") ($JAVA_NEW)$(skip j17 || echo "; the -j17 rows on JDK $(jver "$JAVA_17")"); JVM flags: bin/tt's defaults$( [ -n "${TT_JAVA_OPTS:-}" ] && echo " + $TT_JAVA_OPTS"); TT options: defaults${TT_EXTRA_OPTS:+ + $TT_EXTRA_OPTS}"
  echo "- TT crypto: $(TT_KEY=x "$JAVA_NEW/bin/java" -cp "$bench_jar" io.tt.bench.CryptoInfo 2>/dev/null || echo '?')"
  echo "- $(ss-server -h 2>&1 | sed -n 's/^\(shadowsocks-libev [0-9.]*\).*/\1/p' | head -1) with --no-delay (TCP_NODELAY, like TT) except the ss-aes-nagle row (its default), $(dpkg-query -W -f='libsodium ${Version}, libmbedcrypto ' libsodium23 2>/dev/null)$(dpkg-query -W -f='${Version}' 'libmbedcrypto*' 2>/dev/null | head -1); fast open: net.ipv4.tcp_fastopen=$(cat /proc/sys/net/ipv4/tcp_fastopen) (client only), ss-libev without --fast-open"
  echo "- $(curl --version | head -1 | cut -d' ' -f1-2); origin: bench's NIO server (sendfile); load client: bench's LoadClient (one thread)"
  grep -q '^tt-aes-jdkcrypto' "$RAW" && echo "- tt-aes-jdkcrypto: TT on the same JDK with -Dtt.crypto=jdk (the JDK's ciphers alone; its own server and client)"
  echo "- netty-floor: bench's BareRelay pair on the same JDK (bare Netty epoll, SOCKS5 answered at once, no crypto, no protocol, no Vert.x, one event loop a side): the floor of a JVM relay, connection rate only"
  echo "- load average before/after the throughput runs: $load_before / $load_after (1/5/15 min; other work on the machine adds noise)"
  echo "- open files limit: $NOFILE (hard); runs: $RUNS (scale: $SCALE_RUNS); bulk $BULK_BYTES B; parallel $PAR_STREAMS x $PAR_BYTES B; connrate $CONN_N x 1 KiB after $CONN_WARM warm-up requests by the same load client (ss-aes-nagle: $NAGLE_N, no warm-up)"
  echo "- whole run (build included): $((SECONDS / 60)) min $((SECONDS % 60)) s"
} >"$env_md"
python3 "$here/report.py" "$RAW" "$env_md" "$OUT/$TS.md"
cp "$OUT/$TS.md" "$OUT/latest.md"
cat "$OUT/$TS.md"
