# The replay's timeline as Redis sees it (issue 12): every ~20 ms, per stream of the trading pipeline, the consumer
# group's lag / pending entries (XINFO GROUPS) and the stream's watermark (the smallest of its producers' in the
# watermark hash; END = Long.MAX_VALUE, "no more records"), printed with the seconds since the script started.
# Shows when each task caught up and when "no more ticks" reached each sub-topology (docs/BENCHMARKS.md, 2026-12-04
# 13:29 section). Usage, from the repository root, against a redis-server of your own (it reads only):
#   redis-server --port 7801 --save '' --appendonly no --daemonize yes
#   python3 docs/scripts/replay-timeline.py 7801 12 > /tmp/timeline.txt &
#   REDIS_URL=redis://127.0.0.1:7801 java -jar target/quantum-trader-streams.jar replay
# It follows the newest namespace named replay-* once its ticks stream exists.
import socket, sys, time

STREAMS = [('market.tick.price', 'tick'), ('market.candle.new', 'cndl'), ('regime.classification.update', 'reg'),
           ('quantum-trader-ticks-by-account-repartition', 'Tacc'),
           ('quantum-trader-regimes-by-account-repartition', 'Racc'),
           ('quantum-trader-signals-by-account-repartition', 'Sacc')]

port, seconds = int(sys.argv[1]), float(sys.argv[2])
sock = socket.create_connection(('127.0.0.1', port))
reader = sock.makefile('rb')


def call(*args):
    sock.sendall(('*%d\r\n' % len(args) + ''.join('$%d\r\n%s\r\n' % (len(a.encode()), a) for a in args)).encode())
    return reply()


def reply():
    line = reader.readline().rstrip(b'\r\n')
    kind, rest = line[:1], line[1:]
    if kind == b'+':
        return rest.decode()
    if kind == b'-':
        raise RuntimeError(rest.decode())
    if kind == b':':
        return int(rest)
    if kind == b'$':
        n = int(rest)
        return None if n < 0 else reader.read(n + 2)[:-2].decode()
    n = int(rest)
    return None if n < 0 else [reply() for _ in range(n)]


def watermark(values):
    if not values:
        return '-'
    lowest = min(int(v) for v in values[1::2])
    return 'END' if lowest == 2 ** 63 - 1 else time.strftime('%d %H:%M', time.gmtime(lowest / 1000))


start, prefix = time.time(), None
while time.time() - start < seconds:
    if prefix is None:
        keys = sorted(call('KEYS', 'replay-*:s:market.tick.price'))
        if keys:
            prefix = keys[-1][:-len('market.tick.price')]
    else:
        row = []
        for stream, short in STREAMS:
            groups = call('XINFO', 'GROUPS', prefix + stream) if call('EXISTS', prefix + stream) else []
            info = dict(zip(groups[0][::2], groups[0][1::2])) if groups else {}
            marks = call('HGETALL', prefix.replace(':s:', ':watermarks:') + stream)
            row.append('%s=%s/%s@%s' % (short, info.get('lag', '-'), info.get('pending', '-'), watermark(marks)))
        print('%.3f %s' % (time.time() - start, ' '.join(row)), flush=True)
    time.sleep(0.02)
