#!/usr/bin/env python3
"""Summarises async-profiler collapsed stacks: hottest self frames, and the share of samples whose stack passes
through selected frames (each sample counted once)."""
import collections
import sys

KEYS = ["TunnelRelay.fromPlain", "TunnelRelay.fromTunnel", "FrameEncoder.encode", "DecoderOpener.open",
        "Aead.seal", "Aead.open", "Cipher.init", "writeMessage", "epollInReady", "AbstractChannel$AbstractUnsafe.flush0",
        "[vert.x-eventloop", "GCTaskThread", "GC Thread", "C2 CompilerThre", "C1 CompilerThre", "__x64_sys_recvfrom",
        "__x64_sys_sendto", "__x64_sys_write", "__x64_sys_read", "__x64_sys_epoll", "Argon2"]

for path in sys.argv[1:]:
    stacks = []
    for line in open(path):
        stack, n = line.rstrip().rsplit(" ", 1)
        stacks.append((stack.split(";"), int(n)))
    tot = sum(n for _, n in stacks) or 1
    selfc = collections.Counter()
    for frames, n in stacks:
        selfc[frames[-1]] += n
    print(f"== {path}: {tot} samples; self time")
    for f, n in selfc.most_common(22):
        print(f"  {100 * n / tot:5.1f}%  {f[:110]}")
    loop = [(f, n) for f, n in stacks if any("EpollIoHandler" in x for x in f)]
    comp = sum(n for f, n in stacks if any("CompileBroker" in x for x in f))
    print(f"   JIT compiler threads {100 * comp / tot:.1f}%, event loops {100 * sum(n for _, n in loop) / tot:.1f}%;"
          " TT frames in the event loops (inclusive):")
    inc = collections.Counter()
    for f, n in loop:
        for x in set(x for x in f if x.startswith("io/tt/") and "Lambda" not in x):
            inc[x] += n
    for f, n in inc.most_common(14):
        print(f"  {100 * n / tot:5.1f}%  {f[:110]}")
    print("   inclusive (stacks through):")
    for key in KEYS:
        n = sum(c for frames, c in stacks if any(key in f for f in frames))
        if n:
            print(f"  {100 * n / tot:5.1f}%  {key}")
