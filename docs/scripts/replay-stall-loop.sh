#!/bin/bash
# Runs the README's replay N times; from a run still going after 45 s it keeps a thread dump (jstack), the consumer
# groups of every stream (XINFO GROUPS), Redis' clients and command statistics and the output in /tmp/replay-stall-<i>/. docs/BENCHMARKS.md, 2026-12-03 13:04 UTC.
# usage: docs/scripts/replay-stall-loop.sh path/to/quantum-trader-streams.jar N   (needs redis-server, redis-cli, jstack)
# Each finished run's line counts its task restarts (docs/BENCHMARKS.md, 19:43 UTC section).
# JVM options for every run in JAVA_OPTS, e.g. JAVA_OPTS=-XX:+PrintCompilation (docs/BENCHMARKS.md, 16:46 UTC section)
set -u
jar=$(realpath "$1"); n=$2
for i in $(seq 1 "$n"); do
  out=$(mktemp)
  java ${JAVA_OPTS:-} -jar "$jar" replay --timeout PT120S > "$out" 2>&1 &
  pid=$!
  for _ in $(seq 1 45); do sleep 1; kill -0 $pid 2>/dev/null || break; done
  if kill -0 $pid 2>/dev/null; then
    d=/tmp/replay-stall-$i; mkdir -p "$d"
    jstack "$(pgrep -f "$jar replay" | head -1)" > "$d/jstack.txt" 2>&1
    port=$(grep -o '127.0.0.1:[0-9]*' "$out" | head -1 | cut -d: -f2)
    for k in $(redis-cli -p "$port" --scan --pattern 'replay-*'); do
      if [ "$(redis-cli -p "$port" type "$k")" = stream ]; then
        echo "== $k len $(redis-cli -p "$port" xlen "$k")"; redis-cli -p "$port" xinfo groups "$k" | paste -sd' '
      fi
    done > "$d/streams.txt" 2>&1
    # a failed MULTI or EXEC here gave away the 16:46 section's cause
    { redis-cli -p "$port" client list; redis-cli -p "$port" info commandstats; redis-cli -p "$port" info errorstats; } > "$d/redis.txt" 2>&1
    echo "run $i STALLED (state in $d)"
    wait $pid
    cp "$out" "$d/out.txt"
  else
    wait $pid; rc=$?
    echo "run $i rc=$rc $(grep -E 'elapsed|drained' "$out" | tr -s ' ' | tr '\n' ' ')restarts $(grep -c 'restarting from its last commit' "$out")"
  fi
  rm -f "$out"
done
