// The live topology page of `serve` (docs/OPERATIONS.md, "Live topology"). Draws the topology as SVG from
// topology/graph.json (the TopologyDescription the exports use) and refreshes its numbers from topology/live.json
// every REFRESH_MS. No library and nothing loaded from elsewhere: the layout is a small layered (Sugiyama-style) one,
// top to bottom, one band per sub-topology; each stream is drawn once: a stream the topology reads as a vertex in the
// band of its reader (with its consumer lag), a stream it only writes inside the box of its sink.
"use strict";
(() => {
  const REFRESH_MS = 2000;
  const LAG_WARN = 1000;                 // as max-lag's default: a stream this far behind is drawn red
  const LAYER_GAP = 30, NODE_GAP = 12, BAND_GAP = 24, BAND_PAD = 14, HEADER = 44, NODE_H = 44;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const base = location.pathname.replace(/\/+$/, "");
  const view = { graph: null, vertices: new Map(), edges: [], previous: null, svg: null, width: 0, height: 0 };

  const el = (name, attrs = {}, parent) => {
    const e = document.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  };
  const fmt = n => !isFinite(n) ? "–" : Math.abs(n) >= 1e6 ? (n / 1e6).toFixed(1) + "M" : Math.abs(n) >= 1e4 ? (n / 1e3).toFixed(0) + "k"
    : Math.abs(n) >= 1e3 ? (n / 1e3).toFixed(1) + "k" : Math.abs(n) >= 10 || n === 0 ? n.toFixed(0) : n.toFixed(1);
  const textWidth = (s, px) => s.length * px * 0.6;
  const duration = s => s >= 1 ? s.toFixed(1) + " s" : s >= 1e-3 ? (s * 1e3).toFixed(s >= 0.1 ? 0 : 1) + " ms" : (s * 1e6).toFixed(0) + " µs";

  // ---- the graph: topology nodes and one vertex per stream --------------------------------------------------------
  function buildGraph(graph) {
    const vertices = new Map(), edges = [];
    const readers = new Map(), writers = new Map();
    for (const sub of graph.description.subtopologies) {
      for (const n of sub.nodes) {
        const kind = n.kind.toLowerCase();
        vertices.set("n:" + n.name, { id: "n:" + n.name, name: n.name, kind, sub: sub.id, stores: n.stores, node: n });
        if (kind === "source") n.streams.forEach(s => push(readers, s, { node: n.name, sub: sub.id }));
        if (kind === "sink") push(writers, n.streams[0], { node: n.name, sub: sub.id });
        n.successors.forEach(c => edges.push({ from: "n:" + n.name, to: "n:" + c }));
      }
    }
    // a stream the topology reads is a vertex of its own (it has consumer lag); a stream it only writes is shown in
    // the box of the sink that writes it, so every stream is drawn once
    for (const [s, ws] of writers) {
      if (!readers.has(s)) ws.forEach(w => Object.assign(vertices.get("n:" + w.node), { writes: s, partitions: graph.partitions[s] || 1 }));
    }
    for (const [s, rs] of readers) {
      const home = rs[0].sub, ws = writers.get(s) || [];
      vertices.set("s:" + s, { id: "s:" + s, name: s, kind: "stream", sub: home, partitions: graph.partitions[s] || 1, readers: rs, writers: ws });
      ws.forEach(w => edges.push({ from: "n:" + w.node, to: "s:" + s, cross: w.sub !== home }));
      rs.forEach(r => edges.push({ from: "s:" + s, to: "n:" + r.node, cross: r.sub !== home }));
    }
    return { vertices, edges };
  }
  function bandWidth(bands) {
    return (document.getElementById("diagram").clientWidth - 24 - (bands - 1) * BAND_GAP) / bands;
  }
  function push(map, key, value) { (map.get(key) || map.set(key, []).get(key)).push(value); }

  // ---- layout: per band, longest-path layers (back edges ignored), barycentre ordering, then x by parents ----------
  function layout(vertices, edges) {
    const bands = new Map();
    for (const v of vertices.values()) (bands.get(v.sub) || bands.set(v.sub, []).get(v.sub)).push(v);
    for (const v of vertices.values()) {
      v.label = v.name;
      v.detail = v.stores && v.stores.length ? "stores: " + v.stores.join(", ")
        : v.writes ? "→ " + v.writes + (v.partitions > 1 ? ` ×${v.partitions}` : "") : "";
      v.w = Math.max(176, textWidth(v.name, 11.5) + 24, textWidth(v.detail, 10) + 20);
      v.h = NODE_H + (v.detail ? 12 : 0);
    }
    let bandX = 0, maxHeight = 0;
    const bandBoxes = [];
    for (const [sub, members] of [...bands.entries()].sort((a, b) => a[0] - b[0])) {
      const ids = new Set(members.map(v => v.id));
      const local = edges.filter(e => ids.has(e.from) && ids.has(e.to));
      const out = new Map(members.map(v => [v.id, []])), inn = new Map(members.map(v => [v.id, []]));
      local.forEach(e => { out.get(e.from).push(e.to); inn.get(e.to).push(e.from); });
      // back edges by depth-first search from the band's roots, in declaration order
      const state = new Map(), back = new Set();
      const visit = id => {
        state.set(id, 1);
        for (const to of out.get(id)) {
          if (state.get(to) === 1) back.add(id + ">" + to); else if (!state.has(to)) visit(to);
        }
        state.set(id, 2);
      };
      members.filter(v => inn.get(v.id).length === 0).forEach(v => state.has(v.id) || visit(v.id));
      members.forEach(v => state.has(v.id) || visit(v.id));
      // longest path layering, in topological order of the forward edges
      const indeg = new Map(members.map(v => [v.id, inn.get(v.id).filter(f => !back.has(f + ">" + v.id)).length]));
      const queue = members.filter(v => indeg.get(v.id) === 0).map(v => v.id), layerOf = new Map();
      queue.forEach(id => layerOf.set(id, 0));
      while (queue.length) {
        const id = queue.shift();
        for (const to of out.get(id)) {
          if (back.has(id + ">" + to)) continue;
          layerOf.set(to, Math.max(layerOf.get(to) || 0, layerOf.get(id) + 1));
          indeg.set(to, indeg.get(to) - 1);
          if (indeg.get(to) === 0) queue.push(to);
        }
      }
      members.forEach(v => { v.layer = layerOf.get(v.id) || 0; });
      // a source sits right above its first consumer (a stream read here: right above its reader)
      for (const v of members) {
        if (inn.get(v.id).length === 0 && out.get(v.id).length) {
          v.layer = Math.max(v.layer, Math.min(...out.get(v.id).map(t => layerOf.get(t))) - 1);
        }
      }
      // no layer wider than the band may be: the vertices with the shortest way to a leaf (streams nobody here reads,
      // then sinks) move down a layer, and their successors with them
      const height = new Map();
      const heightOf = id => {
        if (!height.has(id)) {
          height.set(id, 0);
          height.set(id, Math.max(0, ...out.get(id).filter(t => !back.has(id + ">" + t)).map(t => heightOf(t) + 1)));
        }
        return height.get(id);
      };
      const pushDown = v => {
        for (const t of out.get(v.id)) {
          const c = vertices.get(t);
          if (!back.has(v.id + ">" + t) && c.layer <= v.layer) { c.layer = v.layer + 1; pushDown(c); }
        }
      };
      const maxWidth = Math.max(600, bandWidth(bands.size) - 2 * BAND_PAD);
      for (let l = 0; l <= Math.max(...members.map(v => v.layer)); l++) {
        const row = members.filter(v => v.layer === l);
        let width = row.reduce((a, v) => a + v.w + NODE_GAP, -NODE_GAP);
        // shortest way to a leaf first; among those, one not moved yet (so a moved sink stays near its parent)
        row.sort((a, b) => heightOf(a.id) - heightOf(b.id) || (a.moved || 0) - (b.moved || 0));
        while (width > maxWidth && row.length > 1) {
          const v = row.shift();
          v.layer = l + 1;
          v.moved = (v.moved || 0) + 1;
          pushDown(v);
          width -= v.w + NODE_GAP;
        }
      }
      const layers = [];
      members.forEach(v => (layers[v.layer] = layers[v.layer] || []).push(v));
      // order within layers: barycentre sweeps down and up
      const pos = new Map();
      layers.forEach(l => l.forEach((v, i) => pos.set(v.id, i)));
      const bary = (v, neighbours) => {
        const ps = neighbours.filter(n => pos.has(n)).map(n => pos.get(n));
        return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : pos.get(v.id);
      };
      for (let sweep = 0; sweep < 8; sweep++) {
        const down = sweep % 2 === 0;
        const order = down ? layers : [...layers].reverse();
        for (const l of order) {
          if (!l || !l.length) continue;
          l.forEach(v => v.b = bary(v, down ? inn.get(v.id) : out.get(v.id)));
          l.sort((a, b) => a.b - b.b);
          l.forEach((v, i) => pos.set(v.id, i));
        }
      }
      // x: each layer packed and centred in the band's width, then pulled under (or over) its neighbours, keeping the
      // layer's order, the gaps and the band's width
      let y = HEADER + BAND_PAD;
      const packed = l => l.reduce((a, v) => a + v.w + NODE_GAP, -NODE_GAP);
      const width = Math.max(...layers.filter(l => l && l.length).map(packed));
      for (const l of layers) {
        if (!l || !l.length) continue;
        let x = (width - packed(l)) / 2;
        l.forEach(v => { v.x = x; x += v.w + NODE_GAP; });
      }
      for (let pass = 0; pass < 6; pass++) {
        const up = pass % 2 === 1;
        for (const l of (up ? [...layers].reverse() : layers)) {
          if (!l || !l.length) continue;
          l.forEach(v => {
            const ns = (up ? out : inn).get(v.id).map(id => vertices.get(id)).filter(n => n.layer !== v.layer);
            if (ns.length) v.x = ns.reduce((a, n) => a + n.x + n.w / 2, 0) / ns.length - v.w / 2;
          });
          for (let i = 1; i < l.length; i++) l[i].x = Math.max(l[i].x, l[i - 1].x + l[i - 1].w + NODE_GAP);
          l[l.length - 1].x = Math.min(l[l.length - 1].x, width - l[l.length - 1].w);
          for (let i = l.length - 2; i >= 0; i--) l[i].x = Math.min(l[i].x, l[i + 1].x - l[i].w - NODE_GAP);
          l[0].x = Math.max(0, l[0].x);
          for (let i = 1; i < l.length; i++) l[i].x = Math.max(l[i].x, l[i - 1].x + l[i - 1].w + NODE_GAP);
        }
      }
      for (const l of layers) {
        if (!l || !l.length) continue;
        const h = Math.max(...l.map(v => v.h));
        l.forEach(v => { v.x += bandX + BAND_PAD; v.y = y + (h - v.h) / 2; });
        y += h + LAYER_GAP;
      }
      const box = { sub, x: bandX, y: 0, w: width + 2 * BAND_PAD, h: y - LAYER_GAP + BAND_PAD };
      bandBoxes.push(box);
      bandX += box.w + BAND_GAP;
      maxHeight = Math.max(maxHeight, box.h);
    }
    return { bands: bandBoxes, width: bandX - BAND_GAP, height: maxHeight };
  }

  // ---- drawing -------------------------------------------------------------------------------------------------------
  function draw(graph) {
    const { vertices, edges } = buildGraph(graph);
    const box = layout(vertices, edges);
    const svg = el("svg", { id: "topology", viewBox: `-2 -2 ${box.width + 4} ${box.height + 4}`, role: "img",
      "aria-label": "topology of " + graph.application });
    view.width = box.width + 4;
    view.height = box.height + 4;
    for (const b of box.bands) {
      const sub = graph.description.subtopologies.find(s => s.id === b.sub);
      const g = el("g", { class: "band", "data-sub": b.sub }, svg);
      el("rect", { x: b.x, y: b.y, width: b.w, height: b.h, rx: 8 }, g);
      el("text", { class: "title", x: b.x + BAND_PAD, y: b.y + 20 }, g).textContent =
        "Sub-topology " + b.sub + (sub && sub.global ? " (global store)" : "") + " · consumer group " + graph.application + "." + b.sub;
      b.taskText = el("text", { class: "task", x: b.x + BAND_PAD, y: b.y + 36 }, g);
    }
    const edgeLayer = el("g", { class: "edges" }, svg);
    for (const e of edges) {
      const a = vertices.get(e.from), b = vertices.get(e.to);
      const x1 = a.x + a.w / 2, y1 = a.y + a.h, x2 = b.x + b.w / 2, y2 = b.y;
      const d = y2 > y1 ? `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`
        : `M${x1},${y1} C${x1},${y1 + 60} ${x2},${y2 - 60} ${x2},${y2}`;
      e.path = el("path", { class: "edge" + (e.cross ? " cross" : ""), d, "marker-end": "url(#arrow)" }, edgeLayer);
    }
    const defs = el("defs", {}, svg);
    const marker = el("marker", { id: "arrow", viewBox: "0 0 8 8", refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: "auto" }, defs);
    el("path", { d: "M0,0 L8,4 L0,8 z", fill: "#8c959f" }, marker);
    for (const v of vertices.values()) {
      const g = el("g", { class: "vertex " + v.kind, "data-id": v.name, "data-kind": v.kind, transform: `translate(${v.x},${v.y})` }, svg);
      el("rect", { width: v.w, height: v.h, rx: v.kind === "stream" ? 14 : 4 }, g);
      v.title = el("title", {}, g);
      v.about = v.title.textContent = v.kind === "stream"
        ? `stream ${v.name}, ${v.partitions} partition(s); written by ${v.writers.map(w => w.node).join(", ") || "producers outside the topology"}; read by ${v.readers.map(r => r.node).join(", ") || "consumers outside the topology"}`
        : `${v.kind} ${v.name}` + (v.writes ? ` writes stream ${v.writes} (${v.partitions} partition(s))` : "");
      el("text", { class: "name", x: v.w / 2, y: 17, "text-anchor": "middle" }, g).textContent =
        v.kind === "stream" ? v.name + (v.partitions > 1 ? ` ×${v.partitions}` : "") : v.name;
      let liveY = 36;
      if (v.detail) {
        el("text", { class: v.writes ? "writes" : "stores", x: v.w / 2, y: 30, "text-anchor": "middle" }, g).textContent = v.detail;
        liveY = 47;
      }
      v.live = el("text", { class: "live", x: v.w / 2, y: liveY, "text-anchor": "middle" }, g);
      v.live.textContent = "…";
      v.g = g;
    }
    view.graph = graph;
    view.vertices = vertices;
    view.edges = edges;
    view.bands = box.bands;
    view.svg = svg;
    const main = document.getElementById("diagram");
    main.replaceChildren(svg);
    fit();
  }

  function fit() {
    if (!view.svg) return;
    const available = document.getElementById("diagram").clientWidth - 16;
    const scale = document.getElementById("fit").checked ? Math.min(1, available / view.width) : 1;
    view.svg.setAttribute("width", Math.round(view.width * scale));
    view.svg.setAttribute("height", Math.round(view.height * scale));
  }

  // ---- live numbers ----------------------------------------------------------------------------------------------------
  function update(now) {
    const before = view.previous;
    const seconds = before ? Math.max(0.001, (now.time - before.time) / 1000) : NaN;
    const rate = (cur, prev) => before ? Math.max(0, (cur - prev) / seconds) : NaN;
    const rates = new Map();
    for (const v of view.vertices.values()) {
      if (v.kind !== "processor") continue;
      const m = now.nodes[v.name] || { in: 0, out: 0, processSeconds: 0 };
      const p = before && before.nodes[v.name] || m;
      const r = { in: rate(m.in, p.in), out: rate(m.out, p.out), perRecord: m.in > p.in ? (m.processSeconds - p.processSeconds) / (m.in - p.in) : NaN };
      rates.set(v.id, r);
      v.g.setAttribute("data-in", m.in);
      v.g.setAttribute("data-out", m.out);
      v.live.textContent = `${fmt(r.in)}/s → ${fmt(r.out)}/s` + (isFinite(r.perRecord) ? " · " + duration(r.perRecord) : "");
    }
    const nodeIn = id => (rates.get(id) || {}).in, nodeOut = id => (rates.get(id) || {}).out;
    const sourceRate = new Map(), sinkRate = new Map();
    for (const v of view.vertices.values()) {
      if (v.kind === "source") {
        const r = Math.max(0, ...v.node.successors.map(c => nodeIn("n:" + c)).filter(isFinite));
        sourceRate.set(v.name, before ? r : NaN);
        v.g.setAttribute("data-rate", sourceRate.get(v.name));
        v.live.textContent = `reads ${fmt(sourceRate.get(v.name))}/s`;
      }
    }
    for (const v of view.vertices.values()) {
      if (v.kind === "sink") {
        const r = v.node.predecessors.map(p => nodeOut("n:" + p)).filter(isFinite).reduce((a, b) => a + b, 0);
        sinkRate.set(v.name, before ? r : NaN);
        v.g.setAttribute("data-rate", sinkRate.get(v.name));
        v.live.textContent = `writes ${fmt(sinkRate.get(v.name))}/s`;
      }
    }
    for (const v of view.vertices.values()) {
      if (v.kind !== "stream") continue;
      const lags = now.lag.filter(l => l.stream === v.name);
      // per consumer group, summed over its partitions; a stream read by several sub-topologies (each its own group)
      // shows the largest lag and the largest pending over its groups (each may be another group's), never their sum (until 2026-12-07 two groups 600 behind showed
      // "lag 1.2k" in red: found in review, LiveTopologyTwoGroupsLagTest)
      const groups = new Map();
      for (const l of lags) {
        const g = groups.get(l.group) || groups.set(l.group, { lag: 0, pending: 0 }).get(l.group);
        g.lag += l.lag;
        g.pending += l.pending;
      }
      const lag = Math.max(0, ...[...groups.values()].map(g => g.lag));
      const pending = Math.max(0, ...[...groups.values()].map(g => g.pending));
      const age = Math.max(0, ...lags.map(l => l.oldestPendingAgeSeconds));
      const written = v.writers.map(w => sinkRate.get(w.node)).filter(isFinite).reduce((a, b) => a + b, 0);
      const read = v.readers.map(r => sourceRate.get(r.node)).filter(isFinite).reduce((a, b) => a + b, 0);
      const flow = v.writers.length ? written : read;
      // a lag the instance could not read (its gauges are NaN after 3 failed reads in a row) is shown as unknown, not 0
      const known = lags.every(l => l.known !== false);
      v.g.setAttribute("data-lag", known ? lag : NaN);
      v.g.setAttribute("data-pending", known ? pending : NaN);
      v.g.setAttribute("data-rate", before ? flow : NaN);
      v.g.classList.toggle("lagging", known && lag >= LAG_WARN);
      v.g.classList.toggle("active", before && flow > 0);
      v.title.textContent = v.about + (known && groups.size > 1 ? "; behind per consumer group: "
        + [...groups].map(([g, n]) => `${g} lag ${n.lag}, pending ${n.pending}`).join("; ") : "");
      v.live.textContent = (!lags.length ? "" : known ? `lag ${fmt(lag)} · pend ${fmt(pending)}` + (age >= 1 ? ` (${fmt(age)} s)` : "") + " · "
        : "lag unknown · ") + `${fmt(before ? flow : NaN)}/s`;
    }
    for (const v of view.vertices.values()) {
      if (v.kind === "processor") v.g.classList.toggle("active", nodeIn(v.id) > 0);
      if (v.kind === "source") v.g.classList.toggle("active", sourceRate.get(v.name) > 0);
      if (v.kind === "sink") v.g.classList.toggle("active", sinkRate.get(v.name) > 0);
    }
    for (const e of view.edges) {
      const a = view.vertices.get(e.from);
      const flowing = a.g.classList.contains("active") && (a.kind !== "processor" || nodeOut(a.id) > 0);
      e.path.classList.toggle("active", !!flowing);
    }
    for (const b of view.bands) {
      const tasks = now.tasks.filter(t => t.task.startsWith(b.sub + "_"));
      const prevTasks = before ? before.tasks : [];
      b.taskText.textContent = tasks.length ? tasks.map(t => {
        const p = prevTasks.find(x => x.task === t.task) || t;
        const busy = before ? Math.min(1, Math.max(0, (t.noDemandSeconds - p.noDemandSeconds) / seconds)) : NaN;
        const commitMs = t.commits > p.commits ? (t.commitSeconds - p.commitSeconds) / (t.commits - p.commits) * 1e3 : NaN;
        return `task ${t.task}: demand ${fmt(t.demand)} · read ahead ${fmt(t.readAhead)} · busy ${isFinite(busy) ? (busy * 100).toFixed(0) + "%" : "–"}`
          + ` · ${fmt(rate(t.commits, p.commits))} commits/s` + (isFinite(commitMs) ? ` (${duration(commitMs / 1e3)} each)` : "")
          + (t.held > 0 ? ` · ${fmt(t.held)} held for event time` : "");
      }).join("   |   ") : "no task on this instance";
      b.taskText.classList.toggle("busy", tasks.some(t => t.demand === 0 && t.readAhead > 0));
    }
    const t = now.totals, pt = before ? before.totals : t;
    text("in-rate", fmt(rate(t.recordsIn, pt.recordsIn)));
    text("out-rate", fmt(rate(t.recordsOut, pt.recordsOut)));
    text("commit-rate", fmt(rate(t.commits, pt.commits)));
    text("dead-letters", fmt(t.deadLettered));
    text("late", fmt(t.lateDropped));
    text("dropped", fmt(t.dropped));
    text("restarts", fmt(t.taskRestarts));
    // qt.streams.state is 1 in RUNNING only: 0 is stopped, starting or ERROR (a runtime in ERROR still running its
    // other tasks was shown as "STOPPED" until 2026-12-07, found in review); the health pill says which
    pill("state", now.state >= 1 ? ["runtime RUNNING", "good"] : ["runtime not RUNNING", "bad"]);
    pill("health", ({ 2: ["health UP", "good"], 1: ["health OUT_OF_SERVICE", "warn"], 0: ["health DOWN", "bad"] })[now.health] || ["health unknown", ""]);
    text("updated", "updated " + new Date(now.time).toLocaleTimeString() + ` (every ${REFRESH_MS / 1000} s)`);
    document.body.classList.remove("stale");
    document.body.setAttribute("data-updates", String(Number(document.body.getAttribute("data-updates") || 0) + 1));
    view.previous = now;
  }
  const text = (id, s) => { document.getElementById(id).textContent = s; };
  const pill = (id, [label, cls]) => { const e = document.getElementById(id); e.textContent = label; e.className = "pill " + cls; };

  async function poll() {
    try {
      const r = await fetch(base + "/live.json", { cache: "no-store" });
      if (!r.ok) throw new Error("HTTP " + r.status);
      update(await r.json());
    } catch (e) {
      // the last reading is not the present: no green status and numbers that look current while nothing is read
      pill("state", ["runtime unknown", "bad"]);
      pill("health", ["health unknown", "bad"]);
      document.body.classList.add("stale");
      const last = view.previous ? "; last reading " + new Date(view.previous.time).toLocaleTimeString() : "";
      text("updated", "no reading: " + e.message + last);
    } finally {
      setTimeout(poll, REFRESH_MS);
    }
  }

  async function start() {
    try {
      const r = await fetch(base + "/graph.json", { cache: "no-store" });
      if (!r.ok) throw new Error("HTTP " + r.status);
      const graph = await r.json();
      document.getElementById("application").textContent = graph.application;
      draw(graph);
      document.getElementById("fit").addEventListener("change", fit);
      window.addEventListener("resize", fit);
      poll();
    } catch (e) {
      document.getElementById("diagram").textContent = "cannot load the topology: " + e.message;
    }
  }
  start();
})();
