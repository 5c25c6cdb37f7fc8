# What reading one entry costs Redis' thread, by the way it is read (issue 12): through a consumer group with a pending
# entry list (XREADGROUP, then XACK), through a consumer group without one (XREADGROUP NOACK), and without a group
# (XREAD from a position the reader keeps, as a Kafka consumer keeps its offset). Entries of one ~300-byte field,
# the shape of this engine's structured-mode entries. Prints Redis' own accounting (INFO commandstats, usec per entry).
# Usage, against a redis-server of your own (it runs FLUSHALL and CONFIG RESETSTAT):
#   redis-server --port 7797 --save '' --appendonly no --daemonize yes && python3 docs/scripts/read-cost.py 7797
import os, sys

from resp_client import Client

port = int(sys.argv[1])
N, COUNT, ROUNDS = int(os.environ.get('ENTRIES', 200000)), int(os.environ.get('COUNT', 2000)), int(os.environ.get('ROUNDS', 3))


c = Client(port)
payload = ('{"id":"%s","source":"/quantum-trader/bench","time":"2026-12-05T06:00:00.000Z","subject":"k-%d",'
           '"data":{"symbol":"BTC-USD","price":1234.56,"size":0.5,"ts":1385337600000,"seq":%d}}')


def fill():
    c.cmd('FLUSHALL')
    for start in range(0, N, 1000):
        c.send(*[('XADD', 's', '*', 'cloudevent', payload % ('%032x' % i, i % 1000, i)) for i in range(start, start + 1000)])
    c.cmd('XGROUP', 'CREATE', 's', 'g', '0')


def measure(name, read):
    fill()
    c.cmd('CONFIG', 'RESETSTAT')
    read()
    u = {name: usec for name, (_, usec, _) in c.commandstats().items()}
    per = {k: v / N for k, v in u.items() if not k.startswith(('config', 'info'))}
    print('%-34s %5.2f us/entry  %s' % (name, sum(per.values()), '  '.join('%s %.2f' % kv for kv in sorted(per.items()))))


def group_then_ack():
    while True:
        r = c.cmd('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', COUNT, 'STREAMS', 's', '>')
        if not r:
            return
        ids = [e[0] for e in r[0][1]]
        c.cmd('XACK', 's', 'g', *ids)


def group_noack():
    while c.cmd('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', COUNT, 'NOACK', 'STREAMS', 's', '>'):
        pass


def plain_xread():
    last = '0'
    while True:
        r = c.cmd('XREAD', 'COUNT', COUNT, 'STREAMS', 's', last)
        if not r:
            return
        last = r[0][1][-1][0]


for rnd in range(ROUNDS):
    print('round %d: %d entries, COUNT %d' % (rnd + 1, N, COUNT))
    measure('XREADGROUP (pending entries) + XACK', group_then_ack)
    measure('XREADGROUP NOACK', group_noack)
    measure('XREAD from a kept position', plain_xread)
