# A minimal Redis client for the cost scripts in this folder (no client library to install): commands written in
# RESP, replies read back, and Redis' own accounting of its commands (INFO commandstats).
import socket


def enc(*args):
    """One command in RESP: an array of bulk strings (bytes as they are, anything else as its str in UTF-8)."""
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(a), a))
    return b''.join(out)


class Client:
    def __init__(self, port, host='127.0.0.1'):
        self.s = socket.create_connection((host, port))
        self.f = self.s.makefile('rb')

    def send(self, *commands):
        """Writes the commands at once (pipelined) and returns their replies in order."""
        self.s.sendall(b''.join(enc(*c) for c in commands))
        return [self.read() for _ in commands]

    def cmd(self, *a):
        return self.send(a)[0]

    def read(self):
        line = self.f.readline()
        t, rest = line[:1], line[1:-2]
        if t == b'-':
            raise RuntimeError(rest.decode())
        if t in (b'+', b':'):
            return rest.decode() if t == b'+' else int(rest)
        if t == b'$':
            n = int(rest)
            return None if n < 0 else self.f.read(n + 2)[:-2]
        return None if int(rest) < 0 else [self.read() for _ in range(int(rest))]

    def commandstats(self):
        """{command: (calls, usec in all, usec per call)} from INFO commandstats, since the last CONFIG RESETSTAT."""
        stats = {}
        for line in self.cmd('INFO', 'commandstats').decode().split('\r\n'):
            if line.startswith('cmdstat_'):
                name, fields = line[8:].split(':', 1)
                f = dict(kv.split('=') for kv in fields.split(','))
                stats[name] = (int(f['calls']), int(f['usec']), float(f['usec_per_call']))
        return stats
