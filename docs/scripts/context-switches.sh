#!/bin/bash
# Context switches and CPU per JVM thread (Java names, from jstack) and of redis-server during the measured 10 s of
# `bench --latency --rates RATE` (after its 30 s warm-up). docs/BENCHMARKS.md, 2026-12-03 09:31 UTC.
# usage: docs/scripts/context-switches.sh path/to/quantum-trader-streams.jar [rate]   (needs redis-server on PATH, jstack)
set -euo pipefail
jar=$(realpath "$1"); rate=${2:-1000}
out=$(mktemp -d)
timeout 200 java -jar "$jar" bench --latency --rates "$rate" > "$out/bench.txt" 2>&1 &
bench=$!
sleep 31   # into the measured phase
jvm=$(pgrep -f "^java -jar $jar bench" | head -1)
redis=$(pgrep -P "$jvm" redis-server | head -1)
jstack "$jvm" > "$out/jstack.txt"
python3 - "$jvm" "$redis" "$out/jstack.txt" <<'PY'
import os, re, sys, time
jvm, redis, jstack = sys.argv[1:]
names = {str(int(m.group(2), 16)): m.group(1)
         for m in re.finditer(r'^"([^"]+)".*nid=(0x[0-9a-f]+)', open(jstack).read(), re.M)}
def snap(pid):
    d = {}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            status = open(f'/proc/{pid}/task/{t}/status').read()
            stat = open(f'/proc/{pid}/task/{t}/stat').read()
            f = stat[stat.rindex(')') + 2:].split()
            d[t] = (int(re.search(r'\nvoluntary_ctxt_switches:\s*(\d+)', status).group(1)),
                    int(re.search(r'nonvoluntary_ctxt_switches:\s*(\d+)', status).group(1)), int(f[11]) + int(f[12]))
        except (OSError, AttributeError):
            pass
    return d
a = {p: snap(p) for p in (jvm, redis)}; time.sleep(10); b = {p: snap(p) for p in (jvm, redis)}
tick = os.sysconf('SC_CLK_TCK')
for pid, label in ((jvm, 'JVM'), (redis, 'Redis')):
    rows = [(names.get(t, t) if pid == jvm else 'redis-server', v - a[pid].get(t, (0, 0, 0))[0],
             n - a[pid].get(t, (0, 0, 0))[1], c - a[pid].get(t, (0, 0, 0))[2]) for t, (v, n, c) in b[pid].items()]
    print(f'{label}: {sum(r[1] for r in rows) / 10:,.0f} voluntary, {sum(r[2] for r in rows) / 10:,.0f} involuntary switches/s')
    for name, v, n, c in sorted(rows, key=lambda r: -r[1])[:8]:
        if v or n:
            print(f'  {name:<45} {v / 10:>7,.0f} / {n / 10:>6,.0f} per s  {c / tick / 10:.2f} cores')
PY
wait "$bench" || true
grep 'latency at' "$out/bench.txt"
rm -rf "$out"
