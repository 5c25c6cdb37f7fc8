# Redis-side cost of the part of a commit that appends outputs (append.lua = the commit's append_outputs), 500 entries
# per script, per entry layout: the ten-field layout ('full', before issue 12) against the compact one (implied
# attributes omitted); with LAYOUTS=structured also CloudEvents structured mode (one field holding the whole event as
# JSON, 'structured') and 'subject+structured' (subject kept as a field beside it), and for each layout the Redis time
# per entry read back (XRANGE COUNT 500) — docs/BENCHMARKS.md, 2026-12-03 16:46 UTC.
# Usage, from the repository root, against a redis-server of your own (never a shared one: it writes keys
# layout-<name> and resets the command statistics):
#   redis-server --port 7794 --save '' --daemonize yes && python3 docs/scripts/envelope-layout-cost.py 7794 200
#   LAYOUTS=structured python3 docs/scripts/envelope-layout-cost.py 7794 200
# An optional third argument is another append-outputs.lib.lua to measure instead of the working tree's, e.g.
#   git show d04d4f5:src/main/resources/io/quantumtrader/streams/redis/append-outputs.lib.lua > /tmp/old.lua
import os, subprocess, sys
port = sys.argv[1]; reps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
lib = sys.argv[3] if len(sys.argv) > 3 else 'src/main/resources/io/quantumtrader/streams/redis/append-outputs.lib.lua'
src = open(lib).read() + "\n" + \
      open('src/main/resources/io/quantumtrader/streams/redis/append.lua').read()
cli = lambda *a: subprocess.run(['redis-cli', '-p', port, *a], capture_output=True, text=True).stdout.strip()
sha = subprocess.run(['redis-cli', '-p', port, '-x', 'SCRIPT', 'LOAD'], input="#!lua\n" + src, capture_output=True, text=True).stdout.strip()
SOURCE = "bench-stateless/KSTREAM-SINK-0000000003"
def entry(i, layout):
    eid = "01c1c666-fc4a-3851-b77e-%012d" % i
    trace = "e05b2942-9b27-4b25-a3c3-%012d" % i
    subject = "S%d" % (i % 1000)
    if layout in ('structured', 'subject+structured'):
        event = ('{"specversion":"1.0","id":"%s","source":"%s","type":"notional.v1","time":"2023-11-14T22:13:20Z",'
                 '"subject":"%s","traceid":"%s","datacontenttype":"application/json","data":100.0}') % (eid, SOURCE, subject, trace)
        return ([("subject", subject)] if layout == 'subject+structured' else []) + [("ce", event)]
    full = layout == 'full'
    f = [("id", eid), ("source", SOURCE)]
    if full: f += [("specversion", "1.0"), ("type", "notional.v1")]
    f += [("time", "2023-11-14T22:13:20Z"), ("subject", subject)]
    if full: f += [("datacontenttype", "application/json")]
    f += [("data", "100.0"), ("traceid", trace)]
    if full: f += [("idempotencykey", eid)]
    return f
def resp(args):
    out = ["*%d\r\n" % len(args)]
    for a in args:
        b = a.encode(); out.append("$%d\r\n%s\r\n" % (len(b), a))
    return "".join(out)
def args_of(layout, first):
    # one run of 500 outputs naming its fields once (append-outputs.lib.lua since 2026-12-03; before, each output
    # carried its own names: "500" runs of { "1", "0", 2 x fields, field, value, ... })
    names = [k for k, _ in entry(first, layout)]
    a = ["EVALSHA", sha, "1", "layout-" + layout, "1", "1", "0", "500", str(len(names))] + names
    for i in range(first, first + 500):
        a += [v for _, v in entry(i, layout)]
    return a
def usec_per_call(command):
    st = [l for l in cli("INFO", "commandstats").splitlines() if "cmdstat_" + command + ":" in l][0]
    return float(st.split("usec_per_call=")[1].split(",")[0])
def run(layout):
    key = "layout-" + layout
    first = args_of(layout, 0)
    payload = "".join(resp(args_of(layout, r * 500)) for r in range(reps)).encode()
    cli("CONFIG", "RESETSTAT"); cli("DEL", key)
    subprocess.run(['redis-cli', '-p', port, '--pipe'], input=payload, capture_output=True)
    usec = usec_per_call("evalsha")
    mem = int(cli("MEMORY", "USAGE", key, "SAMPLES", "0")) / int(cli("XLEN", key))
    cli("CONFIG", "RESETSTAT")
    for _ in range(20):
        subprocess.run(['redis-cli', '-p', port, 'XRANGE', key, '-', '+', 'COUNT', '500'], capture_output=True)
    read = usec_per_call("xrange")
    print("%-18s args/script=%d bytes/script=%d  redis %.0f us/script (%.2f us/entry)  XRANGE %.2f us/entry  %.0f B/entry stored"
          % (layout, len(first), len(resp(first)), usec, usec / 500, read / 500, mem))
layouts = ['compact', 'structured', 'subject+structured'] * 3 if os.environ.get('LAYOUTS') == 'structured' \
    else ['full', 'compact', 'full', 'compact']
for layout in layouts:
    run(layout)
