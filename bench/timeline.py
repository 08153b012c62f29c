#!/usr/bin/env python3
"""Where a proxied request's time goes, hop by hop, from a loopback capture.

    tcpdump -i lo -nn -tt --time-stamp-precision=nano -w cap.pcap tcp &   # while LoadClient connrate runs
    tcpdump -nn -tt --time-stamp-precision=nano -r cap.pcap | bench/timeline.py PROXY SERVER_LO SERVER_HI ORIGIN

PROXY is the local proxy's port, SERVER_LO-SERVER_HI the server's ports (one port twice for ss-server), ORIGIN the
origin's. Each request starts with the load client's SYN to PROXY; every segment that carries data or a SYN/FIN/RST
after it, on that request's connections, is named by its hop (LC load client, P proxy, S server, O origin), flags
and length. A shared TT connection between P and S (mux) has no SYN per request: its segments count once the
request's first bytes reached P. The table gives, for each segment kind, the median time of its first occurrence
after the SYN (and the quartiles) over all requests but the first 50: a hop that holds the request shows as a gap.
A capture costs CPU, so its times run slower than the bench's; compare proxies in one sitting.
"""
import re
import statistics
import sys

SEGMENT = re.compile(r'^(\d+\.\d+) IP 127\.0\.0\.1\.(\d+) > 127\.0\.0\.1\.(\d+): Flags \[([^\]]*)\].*length (\d+)')


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    proxy, server_lo, server_hi, origin = (int(a) for a in sys.argv[1:])

    def role(port):
        if port == proxy:
            return 'P'
        if server_lo <= port <= server_hi:
            return 'S'
        return 'O' if port == origin else None

    # (time, hop kind, the connection's other port, name)
    segments = []
    for line in sys.stdin:
        m = SEGMENT.match(line)
        if not m:
            continue
        ts, a, b, flags, length = float(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4), int(m.group(5))
        ra, rb = role(a), role(b)
        if (ra and rb) or not (ra or rb):
            continue
        if length == 0 and not any(f in flags for f in 'SFR'):
            continue  # a bare ACK
        if rb == 'P':
            src, dst, other, hop = 'LC', 'P', a, 'LP'
        elif ra == 'P':
            src, dst, other, hop = 'P', 'LC', b, 'LP'
        elif rb == 'S':
            src, dst, other, hop = 'P', 'S', a, 'PS'
        elif ra == 'S':
            src, dst, other, hop = 'S', 'P', b, 'PS'
        elif rb == 'O':
            src, dst, other, hop = 'S', 'O', a, 'SO'
        else:
            src, dst, other, hop = 'O', 'S', b, 'SO'
        segments.append((ts, hop, other, f"{src}>{dst} {flags}{' ' + str(length) if length else ''}"))

    starts = [i for i, s in enumerate(segments) if s[3] == 'LC>P S']
    requests = []
    for k, i in enumerate(starts):
        end = starts[k + 1] + 40 if k + 1 < len(starts) else len(segments)
        ports = {'LP': segments[i][2]}
        spoke = False
        request = []
        for ts, hop, other, name in segments[i:end]:
            if hop == 'LP':
                if other != ports['LP']:
                    continue
                spoke = spoke or (name.startswith('LC>P') and 'P' in name.split()[1])
            else:
                if hop not in ports:
                    flags = name.split()[1]
                    if 'S' in flags and '.' not in flags:
                        ports[hop] = other  # this request's connection on that hop begins
                    elif hop == 'PS' and spoke and server_lo != server_hi:
                        ports[hop] = other  # TT's shared connection
                    else:
                        continue
                if other != ports[hop]:
                    continue
            request.append((ts, name))
        requests.append(request)
    requests = requests[50:-5]
    if not requests:
        sys.exit("no requests in the capture")

    first = {}
    for request in requests:
        t0 = request[0][0]
        seen = set()
        for ts, name in request:
            if name not in seen:
                seen.add(name)
                first.setdefault(name, []).append((ts - t0) * 1e6)
    print(f"{len(requests)} requests; time of each segment kind's first occurrence after the SYN, microseconds")
    print(f"{'segment':24s} {'count':>6s} {'p25':>8s} {'median':>8s} {'p75':>8s}")
    for name in sorted(first, key=lambda n: statistics.median(first[n])):
        v = sorted(first[name])
        if len(v) < len(requests) / 2:
            continue
        print(f"{name:24s} {len(v):6d} {v[len(v) // 4]:8.1f} {statistics.median(v):8.1f} {v[3 * len(v) // 4]:8.1f}")
    cycle = statistics.median((requests[i + 1][0][0] - requests[i][0][0]) * 1e6 for i in range(len(requests) - 1))
    print(f"median SYN to next SYN: {cycle:.1f}")


if __name__ == '__main__':
    main()
