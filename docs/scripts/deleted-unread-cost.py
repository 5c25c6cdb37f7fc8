# What the check for entries deleted before their consumer group read them (deleted-unread.lua, run in every fenced
# read's transaction) costs Redis per read: 20,000 calls on a stream of 5,000 entries of one 300-byte field, never
# trimmed and with deletions (the check then also reads the groups), Redis' own INFO commandstats.
# Usage (from the repository's root, on a redis-server of its own, which it flushes):
#   redis-server --port 7811 --save '' --appendonly no --daemonize yes && python3 docs/scripts/deleted-unread-cost.py 7811
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resp_client import Client
from lua_source import source

main = source('deleted-unread.lua')
c = Client(int(sys.argv[1]))
c.cmd('FLUSHALL')
val = 'x' * 300
for trimmed in (False, True):
    key = 'ns:{ns.0}:s:ticks'
    c.cmd('DEL', key)
    c.send(*[('XADD', key, '*', 'cloudevent', val) for _ in range(5000)])
    c.cmd('XGROUP', 'CREATE', key, 'g', '0')
    if trimmed:
        c.cmd('XTRIM', key, 'MAXLEN', '4000')
        c.cmd('XGROUP', 'SETID', key, 'g', '$')   # read past: nothing unread deleted, the check still looks at the group
    c.cmd('SET', 'lease', 't')
    sha = c.cmd('SCRIPT', 'LOAD', main)
    c.cmd('CONFIG', 'RESETSTAT')
    n = 20000
    for _ in range(n // 1000):
        c.send(*[('EVALSHA', sha, 4, 'lease', key, 'ns:{ns.0}:deleted-unread:ticks', key + '.dlq', 't', 'g', '0_0', '0', 'ticks') for _ in range(1000)])
    st = c.commandstats()
    ev = st.get('evalsha', (0, 0, 0))
    print('stream %s: EVALSHA %.2f us per call (%d calls)' % ('with deletions' if trimmed else 'never trimmed', ev[2], ev[0]))
