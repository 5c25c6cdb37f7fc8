#!/bin/bash
# CPU and Redis commands per second during the measured 10 s of `bench --latency --rates RATE` (after its 30 s
# warm-up): the JVM's threads by name, redis-server's, and INFO commandstats. docs/BENCHMARKS.md, 2026-12-03 07:20.
# usage: docs/scripts/latency-cpu.sh path/to/quantum-trader-streams.jar [rate]   (needs redis-server and redis-cli on PATH)
set -euo pipefail
jar=$(realpath "$1"); rate=${2:-1000}
out=$(mktemp -d)
timeout 200 java -jar "$jar" bench --latency --rates "$rate" > "$out/bench.txt" 2>&1 &
bench=$!
sleep 6
jvm=$(pgrep -f "^java -jar $jar bench" | head -1)
redis=$(pgrep -P "$jvm" redis-server | head -1)
port=$(tr '\0' ' ' < "/proc/$redis/cmdline" | sed -E 's/.*:([0-9]+).*/\1/')
sleep 25   # into the measured phase (30 s warm-up)
threads() { # pid seconds -> CPU by thread name (digits folded), as fractions of a core
python3 - "$1" "$2" <<'PY'
import os, re, sys, time
pid, secs = sys.argv[1], float(sys.argv[2])
def snap():
    d = {}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            s = open(f'/proc/{pid}/task/{t}/stat').read()
            f = s[s.rindex(')') + 2:].split()
            d[t] = (re.sub(r'\d+', '#', s[s.index('(') + 1:s.rindex(')')]), int(f[11]) + int(f[12]))
        except OSError:
            pass
    return d
a = snap(); time.sleep(secs); b = snap()
tick = os.sysconf('SC_CLK_TCK'); agg = {}
for t, (name, v) in b.items():
    agg[name] = agg.get(name, 0) + v - a.get(t, (name, 0))[1]
print(f'total {sum(agg.values()) / tick / secs:.2f} cores: ' + ', '.join(
    f'{k} {v / tick / secs:.2f}' for k, v in sorted(agg.items(), key=lambda x: -x[1])[:5] if v > 0))
PY
}
redis-cli -p "$port" info commandstats > "$out/c1"
threads "$jvm" 10 > "$out/jvm.txt" &
sampler=$!
threads "$redis" 10 > "$out/redis.txt"
wait "$sampler"
redis-cli -p "$port" info commandstats > "$out/c2"
wait "$bench" || true
grep 'latency at' "$out/bench.txt"
echo "JVM   $(cat "$out/jvm.txt")"
echo "Redis $(cat "$out/redis.txt")"
python3 - "$out/c1" "$out/c2" <<'PY'
import re, sys
def parse(f):
    return {m.group(1): int(m.group(2)) for m in (re.match(r'cmdstat_(\S+):calls=(\d+)', l) for l in open(f)) if m}
a, b = parse(sys.argv[1]), parse(sys.argv[2])
d = {k: (b[k] - a.get(k, 0)) / 10 for k in b}
print(f'Redis commands/s {sum(d.values()):,.0f}: ' + ', '.join(f'{k} {v:,.0f}' for k, v in sorted(d.items(), key=lambda x: -x[1])[:9]))
PY
rm -rf "$out"
