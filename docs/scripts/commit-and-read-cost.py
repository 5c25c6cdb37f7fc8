# Redis-side cost of a task's two scripts per 500-record batch (issue 12): the commit (commit.lua: 500 outputs of six
# fields, 500 acknowledgements, 500 dedupe ids) and the fenced read (read-group.lua, one Lua script, against the
# transaction MULTI / read-fence-begin.lua / XREADGROUP / read-fence-end.lua / EXEC of FencedReadConnection).
# Prints Redis' own accounting (INFO commandstats, usec per call): independent of the client, little moved by load.
# Usage, from the repository root, against a redis-server of your own (it runs FLUSHALL and CONFIG RESETSTAT):
#   redis-server --port 7795 --save '' --appendonly no --daemonize yes && python3 docs/scripts/commit-and-read-cost.py 7795
# Optional: a commit.lua and an append-outputs.lib.lua to measure instead of the working tree's (the arguments follow
# the layout they expect: dedupe ids and output field names as before or since 2026-12-03), e.g. those of e2e1a37:
#   git show e2e1a37:src/main/resources/io/quantumtrader/streams/redis/commit.lua > /tmp/commit.lua
#   git show e2e1a37:src/main/resources/io/quantumtrader/streams/redis/append-outputs.lib.lua > /tmp/lib.lua
#   python3 docs/scripts/commit-and-read-cost.py 7795 /tmp/commit.lua /tmp/lib.lua
# Another batch size: BATCH=1 ROUNDS=5000 python3 docs/scripts/commit-and-read-cost.py 7795
# With state writes, as a stateful stage commits them (400 distinct keys of a 500-record batch over 1,000 keys):
#   STATE=400 python3 docs/scripts/commit-and-read-cost.py 7795
# Redis CPU per script argument (distinct UUIDs against repeated field names), and nothing else:
#   ARG_COST=1 python3 docs/scripts/commit-and-read-cost.py 7795
# Outputs as plain XADDs in a MULTI instead of inside the script (docs/BENCHMARKS.md, 2026-12-03 09:31 UTC):
#   COMPARE_MULTI=1 python3 docs/scripts/commit-and-read-cost.py 7795
import os, sys, uuid

import resp_client
from lua_source import source
from resp_client import enc

R = 'src/main/resources/io/quantumtrader/streams/redis/'
port = int(sys.argv[1])
commit_lua = sys.argv[2] if len(sys.argv) > 2 else R + 'commit.lua'
lib_lua = sys.argv[3] if len(sys.argv) > 3 else R + 'append-outputs.lib.lua'
ROUNDS, BATCH = int(os.environ.get('ROUNDS', 100)), int(os.environ.get('BATCH', 500))


class Client(resp_client.Client):
    def usec_per_call(self):
        return {name: (calls, per_call) for name, (calls, _, per_call) in self.commandstats().items()}


# commit.lua until 2026-12-03 took the dedupe ids as (score, id) pairs into a sorted set; since then one element of
# the task's dedupe log per commit ('<newest arrival ms> <count>\n' then '<length>:<id>\n' per id, DedupeLog.java)
ZSET_DEDUPE = "'ZADD', KEYS[3]" in open(commit_lua).read()


# append-outputs.lib.lua until 2026-12-03 took each output's field names with it; since then outputs come in runs
# that name their fields once ({ keyIndex, maxlen, nOut, nNames, names, nOut x values }, CommitBatch.java)
PER_OUTPUT_NAMES = 'nNames' not in open(lib_lua).read()


def output_args(outputs):
    """outputs: lists of field, value, field, value ... with the same field names, all to KEYS[4] (index 1)"""
    if not outputs:
        return [0]
    if PER_OUTPUT_NAMES:
        return [len(outputs)] + [x for f in outputs for x in [1, 0, len(f)] + f]
    names = outputs[0][0::2]
    return [1, 1, 0, len(outputs), len(names)] + names + [v for f in outputs for v in f[1::2]]


# commit.lua until 2026-12-03 took one { keyIndex, field, op, value } per state write; since then runs of sets or
# deletes on one hash ({ keyIndex, op, n, n x { field, value } }). STATE=n adds n state writes (sets of distinct
# fields of one hash, KEYS[6] = 'state') to each commit, as a stateful stage's commit carries them.
STATE = int(os.environ.get('STATE', 0))
STATE_RUNS = "'D' and 1 or 2" in open(commit_lua).read()


def state_args(r):
    if STATE == 0:
        return [0]
    pairs = [('k%d' % ((r * STATE + j) % 1000), '{"count":%d}' % r) for j in range(STATE)]
    if STATE_RUNS:
        return [1, 3, 'S', STATE] + [x for p in pairs for x in p]
    return [STATE] + [x for f, v in pairs for x in (3, f, 'S', v)]


def dedupe_args(first_arrival, n):
    ids = [str(uuid.uuid4()) for _ in range(n)]
    if ZSET_DEDUPE:
        return [n] + [x for k, i in enumerate(ids) for x in (first_arrival + k, i)]
    return [n, '%d %d\n' % (first_arrival + n - 1, n) + ''.join('%d:%s\n' % (len(i), i) for i in ids)]


def fill(c, stream, n):
    c.send(*[('XADD', stream, '*', 'id', str(uuid.uuid4()), 'source', 'bench', 'time', '2023-11-14T22:13:20Z',
              'subject', 'S0', 'data', '{"symbol":"S0","price":100.0,"size":1.0,"timestamp":1700000000000}')
             for _ in range(n)])


c = Client(port)


def redis_cpu():
    info = dict(l.split(':', 1) for l in c.cmd('INFO', 'cpu').decode().split('\r\n') if ':' in l)
    return float(info['used_cpu_user']) + float(info['used_cpu_sys'])


if os.environ.get('ARG_COST'):
    # Redis CPU per argument of a script call: EVALSHA of `return 1` with 8,000 arguments, distinct UUIDs or six field
    # names repeated, 200 calls each (INFO cpu)
    noop = c.cmd('SCRIPT', 'LOAD', 'return 1').decode()

    def ns_per_arg(args, rounds=200):
        data = enc('EVALSHA', noop, 0, *args) * rounds
        before = redis_cpu()
        c.s.sendall(data)
        for _ in range(rounds):
            c.read()
        return (redis_cpu() - before) / rounds / len(args) * 1e9

    for _ in range(3):
        print('Redis CPU per script argument: distinct UUIDs %.0f ns, repeated field names %.0f ns'
              % (ns_per_arg([str(uuid.uuid4()) for _ in range(8000)]),
                 ns_per_arg(['id', 'time', 'subject', 'data', 'traceid', 'source'] * 1333)))
    sys.exit(0)
c.cmd('FLUSHALL')
# --- the commit
sha = c.cmd('SCRIPT', 'LOAD', '#!lua\n' + open(lib_lua).read() + '\n' + source(commit_lua)).decode()
c.cmd('SET', 'lease', 'tok')
c.cmd('XGROUP', 'CREATE', 'in', 'g', '$', 'MKSTREAM')
for r in range(ROUNDS):
    fill(c, 'in', BATCH)
    ids = [e[0].decode() for e in c.cmd('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', BATCH, 'STREAMS', 'in', '>')[0][1]]
    # ARGV[6], the id of the task's run, since 2026-12-05 (a commit sent again is recognized as made)
    args = ['tok', 'g', r, '', 200000] + (['run-1'] if 'ARGV[6]' in open(commit_lua).read() else []) + state_args(r)
    args += output_args([['id', str(uuid.uuid4()), 'source', 'bench-stateless/KSTREAM-SINK-0000000003', 'time',
                          '2023-11-14T22:13:20Z', 'subject', 'S0', 'data', '100.0', 'traceid', str(uuid.uuid4())]
                         for _ in range(BATCH)])
    args += [1, 2, len(ids)] + ids + dedupe_args(1700000000000 + r * BATCH, BATCH)
    if r == 0:
        c.cmd('CONFIG', 'RESETSTAT')
    c.cmd('EVALSHA', sha, 6, 'lease', 'meta', 'dedupe', 'out', 'in', 'state', *args)
s = c.usec_per_call()
print('commit of %d outputs (%d args): %.0f us of Redis time (%s)' % (BATCH, len(args) + 5, s['evalsha'][1],
      ', '.join('%s %.0f us' % (k.upper(), s[k][0] * s[k][1] / s['evalsha'][0])
                for k in ('xadd', 'zadd', 'rpush', 'lindex', 'hset', 'xack') if k in s)))
# --- the fenced read, both ways (KEYS and ARGV as ReadStreams and FencedReadConnection give them today: the lease,
# the stream, its deleted-unread hash, its dead-letter stream; a read of new entries names the last entry received)
read_sha = c.cmd('SCRIPT', 'LOAD', source('read-group.lua')).decode()
begin, end, deleted = source('read-fence-begin.lua'), source('read-fence-end.lua'), source('deleted-unread.lua')
for stream in ('s1', 's2'):
    c.cmd('XGROUP', 'CREATE', stream, 'g', '$', 'MKSTREAM')
    for _ in range(ROUNDS):
        fill(c, stream, BATCH)
c.cmd('CONFIG', 'RESETSTAT')
seen = '-'
for _ in range(ROUNDS):
    reply = c.cmd('EVALSHA', read_sha, 4, 'lease', 's1', 's1:deleted-unread', 's1.dlq', 'tok', 'g', 'c', BATCH, '>',
                  seen, '0_0', 0, 's1')
    seen = reply[1][0][1][-1][0].decode()
lua = c.usec_per_call()['evalsha'][1]
c.cmd('CONFIG', 'RESETSTAT')
for _ in range(ROUNDS):
    c.send(('MULTI',), ('EVAL', begin, 3, 'lease', 'scratch', 's2', 'tok', 'g'),
           ('EVAL', deleted, 4, 'lease', 's2', 's2:deleted-unread', 's2.dlq', 'tok', 'g', '0_0', 0, 's2'),
           ('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', BATCH, 'STREAMS', 's2', '>'),
           ('EVAL', end, 3, 'lease', 'scratch', 's2', 'tok', 'g', 'c', BATCH), ('EXEC',))
print('fenced read of %d entries: read-group.lua %.0f us, transaction %.0f us of Redis time'
      % (BATCH, lua, c.usec_per_call()['exec'][1]))


def commit_cpu(in_multi, rounds=200):
    """Redis CPU (INFO cpu) per record of `rounds` commits of BATCH records: the outputs inside commit.lua, or as plain
    XADDs after it in one MULTI (the script then commits state, dedupe ids, acknowledgements and the sequence only)."""
    c.cmd('FLUSHALL')
    c.cmd('SCRIPT', 'LOAD', '#!lua\n' + open(lib_lua).read() + '\n' + open(commit_lua).read())
    c.cmd('SET', 'lease', 'tok')
    c.cmd('XGROUP', 'CREATE', 'in', 'g', '$', 'MKSTREAM')
    writes = []
    for r in range(rounds):
        fill(c, 'in', BATCH)
        ids = [e[0].decode() for e in c.cmd('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', BATCH, 'STREAMS', 'in', '>')[0][1]]
        outs = [['id', str(uuid.uuid4()), 'source', 'bench-stateless/KSTREAM-SINK-0000000003', 'time',
                 '2023-11-14T22:13:20Z', 'subject', 'S0', 'data', '100.0', 'traceid', str(uuid.uuid4())]
                for _ in range(BATCH)]
        seen = dedupe_args(1700000000000 + r * BATCH, BATCH)
        args = ['tok', 'g', r, '', 2000000] + state_args(r) + output_args([] if in_multi else outs)
        args += [1, 2, len(ids)] + ids + seen
        commands = [('EVALSHA', sha, 6, 'lease', 'meta', 'dedupe', 'out', 'in', 'state', *args)]
        if in_multi:
            commands = [('MULTI',)] + commands + [('XADD', 'out', '*', *f) for f in outs] + [('EXEC',)]
        writes.append((b''.join(enc(*x) for x in commands), len(commands)))
    before = redis_cpu()
    for data, replies in writes:
        c.s.sendall(data)
        for _ in range(replies):
            c.read()
    return (redis_cpu() - before) / rounds / BATCH * 1e6


if os.environ.get('COMPARE_MULTI'):
    for _ in range(2):
        print('Redis CPU per record of a commit: outputs in the script %.1f us, as XADDs in a MULTI %.1f us'
              % (commit_cpu(False), commit_cpu(True)))
