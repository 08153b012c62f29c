#!/usr/bin/env bash
# bench/alloc.sh [aes-256-gcm|chacha20-poly1305]: JFR allocation profile of TT moving 2 GiB (after a 2 GiB warm-up):
# what the relay allocates per 16 KiB frame, by allocation site, server and client.
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd); cd "$here/.."
J=${JAVA_NEW:-$(ls -d /usr/lib/jvm/*/ | sort -V | tail -1)}
M=${1:-aes-256-gcm}
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null' EXIT
java -cp bench/target/tt-bench.jar io.tt.bench.Origin 127.0.0.1 29780 >/dev/null 2>&1 & pids+=($!)
TT_KEY=k TT_JAVA=$J/bin/java bin/tt server -l 127.0.0.1 -r 29800-29899 -m $M >/tmp/ja-s.log 2>&1 & TS=$!; pids+=($!)
TT_KEY=k TT_JAVA=$J/bin/java bin/tt client -s 127.0.0.1 -r 29800-29899 -l 127.0.0.1:29741 -m $M >/tmp/ja-c.log 2>&1 & TC=$!; pids+=($!)
for i in $(seq 1 150); do (exec 3<>/dev/tcp/127.0.0.1/29741) 2>/dev/null && break; sleep 0.2; done
curl -s -x socks5h://127.0.0.1:29741 -o /dev/null http://127.0.0.1:29780/2147483648
$J/bin/jcmd $TS JFR.start name=a settings=profile filename=/tmp/ja-s-$M.jfr >/dev/null
$J/bin/jcmd $TC JFR.start name=a settings=profile filename=/tmp/ja-c-$M.jfr >/dev/null
curl -s -x socks5h://127.0.0.1:29741 -o /dev/null -w "%{size_download} bytes %{speed_download} B/s\n" http://127.0.0.1:29780/2147483648
$J/bin/jcmd $TS JFR.stop name=a >/dev/null
$J/bin/jcmd $TC JFR.stop name=a >/dev/null
for s in s c; do $J/bin/jfr print --json --events jdk.ObjectAllocationSample /tmp/ja-$s-$M.jfr > /tmp/ja-$s-$M.json; done
python3 - "$M" <<'PY'
import json, collections, sys
M = sys.argv[1]; moved = 2147483648
for s in 's', 'c':
    ev = json.load(open(f'/tmp/ja-{s}-{M}.json'))['recording']['events']
    tot = 0; by = collections.Counter()
    for e in ev:
        v = e['values']; w = v['weight']; tot += w
        fr = v['stackTrace']['frames'] if v.get('stackTrace') else []
        by[' < '.join(f['method']['type']['name'].split('/')[-1] + '.' + f['method']['name'] for f in fr[:4])] += w
    frames = moved / 16384
    print(f"== {'server' if s == 's' else 'client'} {M}: ~{tot / 1e6:.0f} MB allocated while moving 2 GiB = {tot / frames:.0f} B per 16 KiB frame")
    for k, w in by.most_common(8):
        print(f"  {100 * w / tot:5.1f}%  {w / frames:6.0f} B/frame  {k[:150]}")
PY
