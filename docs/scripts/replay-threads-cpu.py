# The replay's CPU by thread group, every 0.25 s (issue 12): cores used by the replay JVM's task threads
# (Reactor's parallel-*), Lettuce's I/O threads, the C1 compiler, the collector, the main thread and the rest, and by
# every redis-server except the one on 6379, read from /proc (Linux). Shows whether a phase is CPU-bound (the total
# near the machine's cores) or waits (docs/BENCHMARKS.md, 2026-12-04 16:47 section). Usage, from the repository root:
#   python3 docs/scripts/replay-threads-cpu.py > /tmp/threads.txt &
#   java -jar target/quantum-trader-streams.jar replay
# It waits for the replay's JVM (the one started with -XX:TieredStopAtLevel=1) and stops when that JVM exits.
import os
import sys
import time

HZ = os.sysconf('SC_CLK_TCK')
GROUPS = ['tasks', 'lettuce', 'C1', 'GC', 'main', 'qt', 'rstart', 'other', 'redis']
PREFIXES = (('parallel', 'tasks'), ('lettuce-epoll', 'lettuce'), ('C1', 'C1'), ('GC', 'GC'), ('ParGC', 'GC'),
            ('main', 'main'), ('java', 'main'), ('qt-', 'qt'), ('redis-start', 'rstart'))   # Java's main thread: 'java'


def cmdline(pid):
    try:
        return open('/proc/%s/cmdline' % pid, 'rb').read().replace(b'\0', b' ').decode(errors='replace')
    except OSError:
        return ''


def replay_jvm():
    for p in filter(str.isdigit, os.listdir('/proc')):
        c = cmdline(p)
        if 'java' in c and 'TieredStopAtLevel=1' in c and 'replay' in c:
            return int(p)
    return None


def redis_servers():
    return [int(p) for p in filter(str.isdigit, os.listdir('/proc'))
            if cmdline(p).startswith('/usr/bin/redis-server') and '6379' not in cmdline(p)]


def cpu_ticks(stat_path):
    s = open(stat_path).read()
    fields = s[s.rindex(')') + 2:].split()
    return s[s.index('(') + 1:s.rindex(')')], int(fields[11]) + int(fields[12])   # utime + stime


def group(thread_name):
    return next((g for prefix, g in PREFIXES if thread_name.startswith(prefix)), 'other')


pid = None
while pid is None:
    pid = replay_jvm()
    time.sleep(0.02)
start, seen, seen_redis, step = time.time(), {}, {}, 0.25
print('t     ' + ' '.join('%7s' % g for g in GROUPS + ['total']))
while os.path.exists('/proc/%d' % pid):
    cores = dict.fromkeys(GROUPS, 0.0)
    try:
        for tid in os.listdir('/proc/%d/task' % pid):
            try:
                name, ticks = cpu_ticks('/proc/%d/task/%s/stat' % (pid, tid))
            except OSError:
                continue
            cores[group(name)] += (ticks - seen.get(tid, 0)) / HZ / step
            seen[tid] = ticks
    except OSError:
        break
    for rp in redis_servers():
        try:
            _, ticks = cpu_ticks('/proc/%d/stat' % rp)
        except OSError:
            continue
        cores['redis'] += (ticks - seen_redis.get(rp, ticks)) / HZ / step
        seen_redis[rp] = ticks
    print('%5.2f ' % (time.time() - start) + ' '.join('%7.2f' % cores[g] for g in GROUPS) + ' %7.2f' % sum(cores.values()))
    sys.stdout.flush()
    time.sleep(step)
