# Redis-side cost of CloudEvents structured mode (one field holding the whole event as JSON) against the layout in use
# (implied attributes omitted, six fields), and a variant that keeps 'subject' as a field beside the JSON: per
# appended entry (append.lua, 500 per script, pipelined), per entry read back (XRANGE COUNT 500) and stored bytes.
# Usage, from the repository root, against a redis-server of your own (never a shared one: it writes keys layout-*
# and resets the command statistics):
#   redis-server --port 7794 --save '' --daemonize yes && python3 docs/scripts/structured-mode-cost.py 7794 200
import subprocess, sys, time, json
port = sys.argv[1]; reps = int(sys.argv[2])
lib = 'src/main/resources/io/quantumtrader/streams/redis/append-outputs.lib.lua'
src = open(lib).read() + "\n" + open('src/main/resources/io/quantumtrader/streams/redis/append.lua').read()
cli = lambda *a: subprocess.run(['redis-cli', '-p', port, *a], capture_output=True, text=True).stdout.strip()
sha = subprocess.run(['redis-cli', '-p', port, '-x', 'SCRIPT', 'LOAD'], input="#!lua\n" + src, capture_output=True, text=True).stdout.strip()
def entry(i, layout):
    eid = "01c1c666-fc4a-3851-b77e-%012d" % i
    tr = "e05b2942-9b27-4b25-a3c3-%012d" % i
    if layout == 'compact':
        return [("id", eid), ("source", "bench-stateless/KSTREAM-SINK-0000000003"), ("time", "2023-11-14T22:13:20Z"), ("subject", "S%d" % (i % 1000)), ("data", "100.0"), ("traceid", tr)]
    ev = '{"specversion":"1.0","id":"%s","source":"bench-stateless/KSTREAM-SINK-0000000003","type":"notional.v1","time":"2023-11-14T22:13:20Z","subject":"S%d","traceid":"%s","datacontenttype":"application/json","data":100.0}' % (eid, i % 1000, tr)
    if layout == 'structured':
        return [("ce", ev)]
    return [("subject", "S%d" % (i % 1000)), ("ce", ev)]
def resp(args):
    out = ["*%d\r\n" % len(args)]
    for a in args:
        b = a.encode(); out.append("$%d\r\n%s\r\n" % (len(b), a))
    return "".join(out)
def run(layout):
    cmds = []
    for r in range(reps):
        args = ["EVALSHA", sha, "1", "layout-" + layout, "500"]
        for i in range(500):
            f = entry(r * 500 + i, layout)
            args += ["1", "0", str(2 * len(f))] + [x for kv in f for x in kv]
        cmds.append(resp(args))
    payload = "".join(cmds).encode()
    cli("CONFIG", "RESETSTAT"); cli("DEL", "layout-" + layout)
    subprocess.run(['redis-cli', '-p', port, '--pipe'], input=payload, capture_output=True)
    st = [l for l in cli("INFO", "commandstats").splitlines() if "evalsha" in l][0]
    usec = float(st.split("usec_per_call=")[1].split(",")[0])
    key = "layout-" + layout
    mem = int(cli("MEMORY", "USAGE", key, "SAMPLES", "0")) / int(cli("XLEN", key))
    # read cost: XRANGE whole in pages of 500
    cli("CONFIG", "RESETSTAT")

    for p in range(20):
        subprocess.run(['redis-cli', '-p', port, 'XRANGE', key, '-', '+', 'COUNT', '500'], capture_output=True)
    st = [l for l in cli("INFO", "commandstats").splitlines() if "xrange" in l][0]
    rus = float(st.split("usec_per_call=")[1].split(",")[0])
    print("%-18s bytes/script=%d redis %.0f us/script (%.2f us/entry) XRANGE500 %.0f us (%.2f/entry) %.0f B/entry" % (layout, len(cmds[0]), usec, usec/500, rus, rus/500, mem))
for l in ['compact', 'structured', 'subject+structured'] * 3:
    run(l)
