# Redis CPU per argument of a script call (issue 12, docs/BENCHMARKS.md 2026-12-03 22:21 section): an EVALSHA of
# `return 1` with 8,000 arguments, either distinct UUIDs or six field names repeated, 200 calls each (INFO cpu).
# Usage, from the repository root, against a redis-server of your own:
#   redis-server --port 7795 --save '' --appendonly no --daemonize yes && python3 docs/scripts/script-argument-cost.py 7795
import socket, sys, uuid

port = int(sys.argv[1])
s = socket.create_connection(('127.0.0.1', port))
f = s.makefile('rb')


def enc(*args):
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(a), a))
    return b''.join(out)


def reply():
    line = f.readline()
    if line[:1] == b'$':
        n = int(line[1:-2])
        return None if n < 0 else f.read(n + 2)[:-2]
    if line[:1] == b'-':
        raise RuntimeError(line.decode())
    return line[1:-2]


def cmd(*a):
    s.sendall(enc(*a))
    return reply()


def cpu():
    info = dict(l.split(':', 1) for l in cmd('INFO', 'cpu').decode().split('\r\n') if ':' in l)
    return float(info['used_cpu_user']) + float(info['used_cpu_sys'])


sha = cmd('SCRIPT', 'LOAD', 'return 1').decode()


def ns_per_arg(args, rounds=200):
    data = enc('EVALSHA', sha, 0, *args) * rounds
    before = cpu()
    s.sendall(data)
    for _ in range(rounds):
        reply()
    return (cpu() - before) / rounds / len(args) * 1e9


for _ in range(3):
    print('Redis CPU per script argument: distinct UUIDs %.0f ns, repeated field names %.0f ns'
          % (ns_per_arg([str(uuid.uuid4()) for _ in range(8000)]),
             ns_per_arg(['id', 'time', 'subject', 'data', 'traceid', 'source'] * 1333)))
