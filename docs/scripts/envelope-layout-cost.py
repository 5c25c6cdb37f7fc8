# Redis-side cost of the part of a commit that appends outputs (append.lua = the commit's append_outputs), 500 entries
# per script, the ten-field layout ('full', before issue 12) against the compact one (implied attributes omitted).
# Usage, from the repository root, against a redis-server of your own (never a shared one: it writes keys
# layout-full and layout-compact and resets the command statistics):
#   redis-server --port 7794 --save '' --daemonize yes && python3 docs/scripts/envelope-layout-cost.py 7794 200
# An optional third argument is another append-outputs.lib.lua to measure instead of the working tree's, e.g.
#   git show d04d4f5:src/main/resources/io/quantumtrader/streams/redis/append-outputs.lib.lua > /tmp/old.lua
import subprocess, sys, time
port = sys.argv[1]; reps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
lib = sys.argv[3] if len(sys.argv) > 3 else 'src/main/resources/io/quantumtrader/streams/redis/append-outputs.lib.lua'
src = open(lib).read() + "\n" + \
      open('src/main/resources/io/quantumtrader/streams/redis/append.lua').read()
cli = lambda *a: subprocess.run(['redis-cli', '-p', port, *a], capture_output=True, text=True).stdout.strip()
sha = subprocess.run(['redis-cli', '-p', port, '-x', 'SCRIPT', 'LOAD'], input="#!lua\n" + src, capture_output=True, text=True).stdout.strip()
def entry(i, full):
    eid = "01c1c666-fc4a-3851-b77e-%012d" % i
    f = [("id", eid), ("source", "bench-stateless/KSTREAM-SINK-0000000003")]
    if full: f += [("specversion", "1.0"), ("type", "notional.v1")]
    f += [("time", "2023-11-14T22:13:20Z"), ("subject", "S%d" % (i % 1000))]
    if full: f += [("datacontenttype", "application/json")]
    f += [("data", "100.0"), ("traceid", "e05b2942-9b27-4b25-a3c3-%012d" % i)]
    if full: f += [("idempotencykey", eid)]
    return f
def resp(args):
    out = ["*%d\r\n" % len(args)]
    for a in args:
        b = a.encode(); out.append("$%d\r\n%s\r\n" % (len(b), a))
    return "".join(out)
def run(full):
    cmds = []
    for r in range(reps):
        args = ["EVALSHA", sha, "1", "layout-%s" % ("full" if full else "compact"), "500"]
        for i in range(500):
            f = entry(r * 500 + i, full)
            args += ["1", "0", str(2 * len(f))] + [x for kv in f for x in kv]
        cmds.append(resp(args))
    payload = "".join(cmds).encode()
    cli("CONFIG", "RESETSTAT"); cli("DEL", "layout-full", "layout-compact")
    t = time.time()
    subprocess.run(['redis-cli', '-p', port, '--pipe'], input=payload, capture_output=True)
    wall = time.time() - t
    st = [l for l in cli("INFO", "commandstats").splitlines() if "evalsha" in l][0]
    usec = float(st.split("usec_per_call=")[1].split(",")[0])
    key = "layout-" + ("full" if full else "compact")
    mem = int(cli("MEMORY", "USAGE", key, "SAMPLES", "0")) / int(cli("XLEN", key))
    print("%-8s args/script=%d bytes/script=%d  redis %.0f us/script (%.2f us/entry)  wall %.2f s  %.0f B/entry stored"
          % ("full" if full else "compact", len(args_of(full)), len(cmds[0]), usec, usec / 500, wall, mem))
def args_of(full):
    a = ["EVALSHA", sha, "1", "k", "500"]
    for i in range(500):
        f = entry(i, full); a += ["1", "0", str(2 * len(f))] + [x for kv in f for x in kv]
    return a
for full in [True, False, True, False]:
    run(full)
