#!/usr/bin/env python3
"""Renders bench/run.sh's raw figures (config, metric, run, value) as the markdown table with ratios and targets."""
import statistics
import sys
from collections import defaultdict

raw, env_md, out = sys.argv[1], sys.argv[2], sys.argv[3]
vals = defaultdict(list)
for line in open(raw):
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 4 or parts[3] == "" or parts[2] == "0":  # run 0: warm-up
        continue
    try:
        vals[(parts[0], parts[1])].append(float(parts[3]))
    except ValueError:
        pass

configs = [c for c in ["direct", "tt-aes", "tt-chacha", "tt-aes-j17", "tt-chacha-j17", "tt-aes-nomux", "tt-aes-jdkcrypto",
                       "ss-aes",
                       "ss-chacha", "ss-aes-nagle", "netty-floor"]
           if any(k[0] == c for k in vals)]
scale_ns = sorted({int(m[5:].split("_")[0]) for (_, m) in vals if m.startswith("scale")})
metrics = [
    ("bulk_mbs", "bulk, 1 stream (MB/s)", True),
    ("par_mbs", "50 streams, aggregate (MB/s)", True),
    ("conn_rps", "connection rate (req/s)", True),
    ("conn_p50_ms", "request latency p50 (ms)", False),
    ("conn_p99_ms", "request latency p99 (ms)", False),
    ("conn_failed", "requests failed (of 2,000)", False),
    ("cpu_client_s_gib", "client CPU s per GiB (bulk)", False),
    ("cpu_server_s_gib", "server CPU s per GiB (bulk)", False),
    ("rss_client_after_mib", "client RSS after the runs (MiB)", False),
    ("rss_server_after_mib", "server RSS after the runs (MiB)", False),
]
for n in scale_ns:
    metrics += [
        (f"scale{n}_n", f"scale {n}: tunnels held", True),
        (f"scale{n}_answered", f"scale {n}: answered", True),
        (f"scale{n}_open_s", f"scale {n}: seconds to open all", False),
        (f"scale{n}_server_heap_mib", f"scale {n}: server live heap (MiB)", False),
        (f"scale{n}_server_rss_mib", f"scale {n}: server RSS (MiB)", False),
        (f"scale{n}_client_rss_mib", f"scale {n}: client RSS (MiB)", False),
    ]


def med(c, m):
    v = vals.get((c, m))
    return statistics.median(v) if v else None


def cell(c, m):
    v = vals.get((c, m))
    if not v:
        return ""
    md = statistics.median(v)
    fmt = (lambda x: f"{x:.0f}") if md >= 100 else (lambda x: f"{x:.2f}") if md < 10 else (lambda x: f"{x:.1f}")
    if len(v) == 1 or min(v) == max(v):
        return fmt(md)
    return f"{fmt(md)} ({fmt(min(v))}-{fmt(max(v))})"


pairs = [("tt-aes", "ss-aes", "TT/ss aes"), ("tt-chacha", "ss-chacha", "TT/ss chacha"),
         ("tt-aes-j17", "ss-aes", "TT17/ss aes"), ("tt-chacha-j17", "ss-chacha", "TT17/ss chacha"),
         ("tt-aes-jdkcrypto", "ss-aes", "TT-jdkcrypto/ss aes")]
pairs = [p for p in pairs if p[0] in configs and p[1] in configs]


def ratio(a, b, m):
    x, y = med(a, m), med(b, m)
    if x is None or y is None or y == 0:
        return ""
    return f"{x / y:.2f}"


lines = ["| metric | " + " | ".join(configs) + " | " + " | ".join(p[2] for p in pairs) + " |",
         "|---|" + "---|" * (len(configs) + len(pairs))]
for m, label, _ in metrics:
    if not any((c, m) in vals for c in configs):
        continue
    lines.append(f"| {label} | " + " | ".join(cell(c, m) for c in configs) + " | "
                 + " | ".join(ratio(a, b, m) for a, b, _ in pairs) + " |")

targets = []


def target(name, ok, detail):
    targets.append(f"- {'MET' if ok else 'NOT MET'}: {name} ({detail})")


def r(a, b, m):
    x, y = med(a, m), med(b, m)
    return None if x is None or not y else x / y


for a, b, want, name in [("tt-aes", "ss-aes", 1.5, "bulk aes-256-gcm >= 1.5x ss-libev"),
                         ("tt-chacha", "ss-chacha", 1.0, "bulk chacha20-poly1305 >= 1.0x ss-libev")]:
    x = r(a, b, "bulk_mbs")
    if x is not None:
        target(name, x >= want, f"{x:.2f}x")
for a, b in [("tt-aes", "ss-aes"), ("tt-chacha", "ss-chacha")]:
    x = r(a, b, "conn_rps")
    if x is not None:
        target(f"connection rate >= 1.0x ss-libev ({a})", x >= 1.0, f"{x:.2f}x")
if scale_ns:
    n = max(scale_ns)
    for c in ["tt-aes", "tt-chacha"]:
        held, ans, heap = med(c, f"scale{n}_n"), med(c, f"scale{n}_answered"), med(c, f"scale{n}_server_heap_mib")
        if held is not None:
            ok = ans is not None and ans >= held and heap is not None and heap < 256 and held >= 10000
            target(f"10,000 concurrent tunnels, all answered, server heap < 256 MiB ({c})", ok,
                   f"{held:.0f} held, {ans:.0f} answered, live heap {heap} MiB"
                   + ("" if held >= 10000 else "; fewer than 10,000: the open-files limit caps it here"))

with open(out, "w") as f:
    f.write("# TT beside shadowsocks-libev\n\n")
    f.write("Command: `bench/run.sh`. Median of the runs (min-max); ratios are TT / ss-libev of the medians "
            "(for latency, CPU, heap and RSS lower is better). Everything shares one 2-core machine: origin, "
            "proxies, curl and the load client.\n\n")
    f.write("\n".join(lines) + "\n\n")
    f.write("Targets:\n" + "\n".join(targets) + "\n\n")
    f.write("Environment:\n" + open(env_md).read())
