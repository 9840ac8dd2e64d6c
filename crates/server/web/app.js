// zopa workbench: a page over zopa's HTTP API, nothing fetched from
// anywhere else. The scenario is held as its JSON document (as
// /api/v1/convert?to=json gives it) with its source texts; every edit
// changes that document and sends it, with its sources, to /api/v1/analyze
// and /api/v1/space, whose documents every view draws.
"use strict";

const api = "/api/v1";
const SVG = "http://www.w3.org/2000/svg";
const state = {
  name: "", doc: null, original: null, sources: {}, analysis: null, space: null,
  axes: [0, 1], colorBy: "status", pending: 0, generation: 0,
};

// ---------------------------------------------------------------- helpers

function $(id) { return document.getElementById(id); }

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function s(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c) e.append(c);
  return e;
}

const fmt = (x, d = 2) => (x === null || x === undefined ? "–" : Number(x).toFixed(d));

function status(text, error = false) {
  const el = $("status");
  el.textContent = text;
  el.classList.toggle("error", error);
}

async function call(path, init = {}) {
  const r = await fetch(api + path, { method: "POST", ...init });
  const text = await r.text();
  let body;
  try { body = JSON.parse(text); } catch { body = { detail: text }; }
  if (!r.ok) {
    const where = (body.diagnostics || []).slice(0, 3)
      .map((d) => `${d.file}${d.line ? ":" + d.line + ":" + d.column : ""}: ${d.message}`).join("; ");
    throw new Error(`${body.title || r.status}: ${body.detail || ""}${where ? " — " + where : ""}`);
  }
  return body;
}

/// The current scenario and its sources as a multipart upload.
function upload() {
  const f = new FormData();
  f.append("scenario", new Blob([JSON.stringify(state.doc)], { type: "application/json" }), "scenario.json");
  for (const [path, text] of Object.entries(state.sources)) f.append("file", new Blob([text]), path);
  return f;
}

// ---------------------------------------------------------------- loading

async function loadBuiltins() {
  const r = await fetch(api + "/scenarios");
  const doc = await r.json();
  const sel = $("builtin");
  state.builtins = doc.scenarios.map((b) => b.name);
  sel.replaceChildren(...doc.scenarios.map((b) => h("option", { value: b.name, text: b.name })));
  sel.addEventListener("change", () => loadBuiltin(sel.value));
  return doc.scenarios.length ? doc.scenarios[0].name : null;
}

/// A conversion to zopa JSON: the scenario document and its sources.
function adopt(conv, name) {
  const [scenario, ...rest] = conv.files;
  state.name = name;
  state.doc = JSON.parse(scenario.text);
  state.original = JSON.parse(scenario.text);
  state.sources = Object.fromEntries(rest.map((f) => [f.path, f.text]));
  state.axes = [0, Math.min(1, state.doc.actors.length - 1)];
  state.simOffers = [];
}

async function loadBuiltin(name) {
  status(`Loading ${name}…`);
  try {
    adopt(await call(`/convert?scenario=${encodeURIComponent(name)}&to=json`), name);
    renderStatic();
    await recompute();
  } catch (e) { status(e.message, true); }
}

async function loadUpload(files) {
  const list = [...files];
  if (!list.length) return;
  const f = new FormData();
  // The zopa scenario: a .toml file, or the one .json among the files (a
  // GeniusWeb folder has several); the rest are its sources or a folder.
  const jsons = list.filter((x) => /\.json$/i.test(x.name));
  const main = list.find((x) => /\.toml$/i.test(x.name)) || (jsons.length === 1 ? jsons[0] : null);
  for (const x of list) f.append(x === main ? "scenario" : "file", x, x.name);
  status(`Reading ${list.length} file(s)…`);
  try {
    adopt(await call("/convert?to=json", { body: f }), main ? main.name : "upload");
    renderStatic();
    await recompute();
  } catch (e) {
    // A .toml file is a zopa scenario: its errors are the answer.
    if (!main || /\.toml$/i.test(main.name)) { status(e.message, true); return; }
    try {
      const g = new FormData();
      for (const x of list) g.append("file", x, x.name);
      adopt(await call("/convert?to=json", { body: g }), "upload");
      renderStatic();
      await recompute();
    } catch (e2) { status(`${e.message} (as a folder: ${e2.message})`, true); }
  }
}

// ---------------------------------------------------------------- recompute

/// Analyse the current document and redraw; `fromEdit`: the time is
/// measured from the edit (marked by `edited`), else from now.
async function recompute(fromEdit = false) {
  const gen = ++state.generation;
  if (!fromEdit) performance.mark("zopa-edit");
  status("Computing…");
  try {
    const [analysis, space] = await Promise.all([
      // The page does not show the critical-assumption search yet: it is
      // not run on every edit.
      call("/analyze?top=0&critical_budget=0", { body: upload() }),
      call("/space", { body: upload() }),
    ]);
    if (gen !== state.generation) return; // a newer edit won
    state.analysis = analysis;
    state.space = space;
    renderResults();
    performance.mark("zopa-rendered");
    const m = performance.measure("zopa-recompute", "zopa-edit", "zopa-rendered");
    status(`${state.doc.scenario.title} — computed in ${m.duration.toFixed(0)} ms`);
    document.body.dataset.ready = String(gen);
  } catch (e) {
    if (gen === state.generation) status(e.message, true);
  }
}

// Edits are collected for 30 ms (a spinner held down sends many); the
// recompute time is measured from the edit itself.
let timer = null;
function edited() {
  performance.mark("zopa-edit");
  clearTimeout(timer);
  timer = setTimeout(() => recompute(true), 30);
}

// ---------------------------------------------------------------- static views

function renderStatic() {
  $("builtin").value = state.name;
  const actors = state.doc.actors;
  for (const [id, k] of [["axis-x", 0], ["axis-y", 1]]) {
    const sel = $(id);
    sel.replaceChildren(...actors.map((a, i) => h("option", { value: i, text: a.name })));
    sel.value = state.axes[k];
  }
  const color = $("color-by");
  color.replaceChildren(h("option", { value: "status", text: "agreement / reservation / red line" }),
    ...actors.map((a, i) => h("option", { value: i, text: `utility of ${a.name}` })));
  color.value = state.colorBy = "status";
  renderMatrix();
  renderSimControls();
  renderTournamentControls();
}

/// A claim's grounds marker: ❝ for quoted evidence, ✎ for an assumption.
function why(basis, label) {
  if (!basis) return null;
  const quoted = (basis.evidence || []).length > 0;
  const btn = h("button", {
    type: "button", class: quoted && !basis.assumption ? "why" : "why assumed",
    "aria-label": `grounds of ${label}`, text: quoted ? "❝" : "✎",
    onclick: () => showGrounds(basis, label),
  });
  return btn;
}

function showGrounds(basis, label) {
  const body = $("evidence-body");
  const parts = [h("p", {}, h("strong", { text: label }))];
  if (basis.assumption || basis.note) {
    parts.push(h("p", { class: "assumption" }, basis.assumption ? "Analyst assumption: " : "", basis.note || ""));
  }
  for (const ev of basis.evidence || []) {
    const src = state.doc.sources.find((x) => x.id === ev.source);
    const text = src ? state.sources[src.path] : undefined;
    parts.push(h("p", {}, `Quote from ${src ? src.title || src.id : ev.source}:`));
    const at = text ? text.indexOf(ev.quote) : -1;
    if (at < 0) {
      parts.push(h("blockquote", { text: ev.quote }));
    } else {
      const mark = h("mark", { text: ev.quote });
      parts.push(h("pre", { class: "source" }, text.slice(0, at), mark, text.slice(at + ev.quote.length)));
      requestAnimationFrame(() => mark.scrollIntoView({ block: "center", behavior: "instant" }));
    }
  }
  body.replaceChildren(...parts);
}

function numberInput(value, label, set, attrs = {}) {
  return h("input", {
    type: "number", step: "0.05", value, "aria-label": label, ...attrs,
    onchange: (e) => {
      const v = Number(e.target.value);
      if (Number.isFinite(v)) { set(v); edited(); }
    },
  });
}

function redLineOptions(pos) {
  return (pos.red_lines || []).map((r) => (typeof r === "string" ? r : r.option));
}

function renderMatrix() {
  const d = state.doc;
  const head = h("tr", {}, h("th", { text: "Actor" }), h("th", { text: "Power" }), h("th", { text: "Reservation" }),
    ...d.issues.map((i) => h("th", { scope: "col", text: i.name || i.id })));
  const rows = d.actors.map((a) => {
    const cells = d.issues.map((issue) => {
      const pos = a.positions.find((p) => p.issue === issue.id);
      const reds = pos ? redLineOptions(pos) : [];
      const sal = h("div", { class: "cell" },
        h("span", { class: "opt", text: "salience" }),
        numberInput(a.salience[issue.id] ?? 0, `salience of ${issue.id} for ${a.id}`, (v) => { a.salience[issue.id] = v; }, { min: 0 }),
        why(a.salience_basis, `${a.name}: salience`));
      const opts = issue.options.map((o) => h("div", { class: "cell" },
        h("span", { class: "opt", text: o.label || o.id, title: o.id }),
        numberInput(pos ? pos.values[o.id] : 0, `value of ${o.id} for ${a.id}`, (v) => { pos.values[o.id] = v; }, { min: 0, max: 1 }),
        h("label", { class: "opt", title: "red line: never acceptable to this actor" },
          h("input", {
            type: "checkbox", checked: reds.includes(o.id), "aria-label": `red line ${a.id} ${issue.id}=${o.id}`,
            onchange: (e) => { setRedLine(a, issue.id, o.id, e.target.checked); },
          }), "✕")));
      return h("td", {}, sal, ...opts, pos ? why(pos, `${a.name} on ${issue.name || issue.id}`) : null);
    });
    return h("tr", {},
      h("th", { scope: "row", text: a.name }),
      h("td", {}, numberInput(a.power, `power of ${a.id}`, (v) => { a.power = v; }, { min: 0 }), why(a.power_basis, `${a.name}: power`)),
      h("td", {}, numberInput(a.reservation, `reservation of ${a.id}`, (v) => { a.reservation = v; }, { min: 0, max: 1 }), why(a.reservation_basis, `${a.name}: reservation`)),
      ...cells);
  });
  $("matrix").replaceChildren(h("thead", {}, head), h("tbody", {}, rows));
}

/// Add or remove a red line in the document; a restored one comes back as
/// it was (with its evidence) from the original document.
function putRedLine(actor, issue, option, on) {
  const pos = actor.positions.find((p) => p.issue === issue);
  if (!pos) return;
  const optionOf = (r) => (typeof r === "string" ? r : r.option);
  const without = (pos.red_lines || []).filter((r) => optionOf(r) !== option);
  if (on) {
    const orig = state.original.actors.find((x) => x.id === actor.id)
      ?.positions.find((p) => p.issue === issue)?.red_lines?.find((r) => optionOf(r) === option);
    without.push(orig ? structuredClone(orig) : option);
  }
  if (without.length) pos.red_lines = without; else delete pos.red_lines;
}

/// Switch one red line, then redraw the switches and recompute.
function setRedLine(actor, issue, option, on) {
  putRedLine(actor, issue, option, on);
  syncSwitches();
  edited();
}

function hasRedLine(actorId, issue, option) {
  const a = state.doc.actors.find((x) => x.id === actorId);
  const pos = a && a.positions.find((p) => p.issue === issue);
  return !!pos && redLineOptions(pos).includes(option);
}

function syncSwitches() {
  for (const box of document.querySelectorAll("input[data-redline]")) {
    const [a, i, o] = box.dataset.redline.split("|");
    box.checked = hasRedLine(a, i, o);
    box.closest("tr").classList.toggle("off", !box.checked);
  }
  for (const box of document.querySelectorAll("#matrix input[type=checkbox]")) {
    const m = box.getAttribute("aria-label").match(/^red line (\S+) (\S+)=(\S+)$/);
    if (m) box.checked = hasRedLine(m[1], m[2], m[3]);
  }
}

// ---------------------------------------------------------------- results

function renderResults() {
  const a = state.analysis;
  $("space-count").textContent = a.space.size.toLocaleString("en");
  $("no-red-count").textContent = a.space.no_red_line.toLocaleString("en");
  $("zopa-count").textContent = a.space.agreement.toLocaleString("en");
  const d = a.decision;
  $("rule-text").textContent = d.unanimity
    ? d.rule
    : `${d.rule}; ${a.space.unanimous.toLocaleString("en")} of the packages are acceptable to all; veto players: ${d.vetoes.join(", ") || "none"}`;
  $("frontier-count").textContent = a.agreement_frontier.size.toLocaleString("en");
  $("evidence-count").textContent = `${a.evidence.evidenced} quoted, ${a.evidence.assumptions} assumed`;
  renderSolutions();
  renderScatter();
  renderParallel();
  renderBlocking();
}

const CONCEPTS = [["nash", "Nash"], ["kalai_smorodinsky", "Kalai–Smorodinsky"], ["utilitarian", "Utilitarian"], ["egalitarian", "Egalitarian"]];

function renderSolutions() {
  const a = state.analysis;
  const actors = a.actors.map((x) => x.id);
  // Under a rule other than unanimity a package can pass over refusals.
  const rule = !a.decision.unanimity;
  const extra = rule ? [h("th", { text: "outvoted" })] : [];
  $("solutions").querySelector("thead").replaceChildren(h("tr", {}, h("th", { text: "solution" }),
    ...a.issues.map((i) => h("th", { text: i.id })), ...actors.map((id) => h("th", { text: id })), ...extra,
    h("th", { text: "to know before recommending it" })));
  const rows = CONCEPTS.map(([key, label]) => {
    const sol = a.solutions[key];
    if (!sol) return h("tr", {}, h("th", { text: label }), h("td", { colspan: a.issues.length + actors.length + extra.length + 1, text: "no agreement space" }));
    const outvoted = rule ? [h("td", { text: sol.coalition.outvoted.join(", ") || "–" })] : [];
    const flags = (sol.flags || []).map((f) => f.text).join(" ");
    return h("tr", { "data-solution": key }, h("th", { scope: "row", text: label }),
      ...a.issues.map((i) => h("td", { text: sol.options[i.id] })),
      ...actors.map((id) => h("td", { class: "num", text: fmt(sol.utilities[id]) })), ...outvoted,
      h("td", { class: "flags", text: flags || "–" }));
  });
  $("solutions").querySelector("tbody").replaceChildren(...rows);
}

/// Option labels of a package index.
function packageOf(index) {
  const issues = state.analysis.issues;
  const out = [];
  let rest = index;
  for (let i = issues.length - 1; i >= 0; i--) {
    const r = issues[i].options.length;
    out[i] = issues[i].options[rest % r];
    rest = Math.floor(rest / r);
  }
  return out;
}

function showTip(evt, index, utilities) {
  const tip = $("tooltip");
  const pkg = packageOf(index);
  const issues = state.analysis.issues;
  tip.replaceChildren(
    h("div", {}, h("strong", { text: `package ${index}` })),
    ...pkg.map((o, i) => h("div", { text: `${issues[i].id}: ${o.label || o.id}` })),
    h("hr"),
    ...state.analysis.actors.map((a, k) => h("div", { text: `${a.id}: ${fmt(utilities[k], 3)}` })));
  const wrap = tip.parentElement.getBoundingClientRect();
  const x = (evt.clientX ?? wrap.left + 10) - wrap.left + 12;
  const y = (evt.clientY ?? wrap.top + 10) - wrap.top + 12;
  tip.style.left = `${Math.min(x, wrap.width - 200)}px`;
  tip.style.top = `${y}px`;
  tip.hidden = false;
}

function hideTip() { $("tooltip").hidden = true; }

function axisTicks(g, scale, horizontal, w, hgt) {
  for (let t = 0; t <= 1.0001; t += 0.2) {
    const p = scale(t);
    if (horizontal) {
      g.append(s("line", { class: "grid-line", x1: p, x2: p, y1: 0, y2: hgt }),
        s("text", { x: p, y: hgt + 14, "text-anchor": "middle", text: t.toFixed(1) }));
    } else {
      g.append(s("line", { class: "grid-line", x1: 0, x2: w, y1: p, y2: p }),
        s("text", { x: -6, y: p + 4, "text-anchor": "end", text: t.toFixed(1) }));
    }
  }
}

function colorOf(k) {
  const sp = state.space;
  if (state.colorBy === "status") return null;
  const u = sp.utilities[Number(state.colorBy)][k];
  const t = Math.max(0, Math.min(1, u));
  return `hsl(${220 - 200 * t}, 70%, ${35 + 25 * (1 - t)}%)`;
}

function renderScatter() {
  const svg = $("scatter");
  const W = 560, H = 400, m = { l: 48, r: 16, t: 12, b: 44 };
  const w = W - m.l - m.r, hh = H - m.t - m.b;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const [ax, ay] = state.axes;
  const a = state.analysis, sp = state.space;
  const X = (u) => m.l + u * w, Y = (u) => m.t + (1 - u) * hh;
  const g = s("g", { class: "axis", transform: `translate(${m.l},${m.t})` });
  axisTicks(g, (t) => t * w, true, w, hh);
  axisTicks(g, (t) => (1 - t) * hh, false, w, hh);
  const layer = s("g");
  const order = [0, 1, 2]; // red lines under reservations under agreements
  for (const st of order) {
    for (let k = 0; k < sp.index.length; k++) {
      if (sp.status[k] !== st) continue;
      const c = colorOf(k);
      layer.append(s("circle", {
        class: c ? "pt" : `pt pt-${sp.status_names[st]}`, cx: X(sp.utilities[ax][k]).toFixed(1), cy: Y(sp.utilities[ay][k]).toFixed(1),
        r: 2.2, "fill-opacity": st === 2 ? 0.9 : 0.55, fill: c,
      }));
    }
  }
  // Frontier of the agreement space, in the two chosen actors' utilities.
  const ids = a.actors.map((x) => x.id);
  const front = a.agreement_frontier.packages || [];
  const pts = front.map((p) => [p.utilities[ids[ax]], p.utilities[ids[ay]], p]);
  // (Points only: with more than two actors, the frontier's projection on two
  // of them is not a curve.)
  const frontier = s("g", { class: "frontier" });
  for (const [x, y, p] of pts) {
    const c = s("circle", {
      class: "frontier-point", cx: X(x).toFixed(1), cy: Y(y).toFixed(1), r: 4, tabindex: 0,
      "aria-label": `frontier package ${p.index}`,
      onmouseenter: (e) => showTip(e, p.index, ids.map((id) => p.utilities[id])),
      onfocus: (e) => showTip(e, p.index, ids.map((id) => p.utilities[id])),
      onmouseleave: hideTip, onblur: hideTip,
    });
    frontier.append(c);
  }
  // Reservation lines and solutions.
  const res = s("g");
  const rx = a.actors[ax].reservation, ry = a.actors[ay].reservation;
  res.append(s("line", { class: "reservation", x1: X(rx), x2: X(rx), y1: Y(0), y2: Y(1) }),
    s("line", { class: "reservation", x1: X(0), x2: X(1), y1: Y(ry), y2: Y(ry) }),
    s("text", { x: X(rx) + 3, y: Y(1) + 10, text: `${ids[ax]} reservation` }),
    s("text", { x: X(1) - 3, y: Y(ry) - 4, "text-anchor": "end", text: `${ids[ay]} reservation` }));
  const sols = s("g");
  CONCEPTS.forEach(([key, label], n) => {
    const sol = a.solutions[key];
    if (!sol) return;
    const x = X(sol.utilities[ids[ax]]), y = Y(sol.utilities[ids[ay]]);
    sols.append(s("rect", { class: "solution", x: x - 5, y: y - 5, width: 10, height: 10, "data-solution": key }),
      s("text", { x: x + 8, y: y - 6 - 10 * n, text: label }));
  });
  const labels = s("g", {},
    s("text", { x: m.l + w / 2, y: H - 6, "text-anchor": "middle", text: `utility of ${a.actors[ax].name}` }),
    s("text", { transform: `translate(12,${m.t + hh / 2}) rotate(-90)`, "text-anchor": "middle", text: `utility of ${a.actors[ay].name}` }));
  svg.replaceChildren(g, layer, res, frontier, sols, labels, offerTrails(X, Y, ids[ax], ids[ay]));
  svg.dataset.frontierPoints = String(pts.length);
  const note = sp.sampled
    ? `Drawn: a fixed sample of ${sp.listed.toLocaleString("en")} of ${sp.size.toLocaleString("en")} packages, and every frontier package.`
    : `Drawn: all ${sp.size.toLocaleString("en")} packages. Blue: agreement space; orange: no red line but below a reservation; grey: violates a red line. Dark: Pareto frontier of the agreement space. Squares: solutions.`;
  $("space-note").textContent = note;
}

const PALETTE = ["#1f6fb2", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490"];

/// The last simulation's offers, party by party, in the plotted actors'
/// utilities (empty until a simulation has run on this scenario).
function offerTrails(X, Y, xId, yId) {
  const g = s("g", { class: "trails" });
  const offers = state.simOffers || [];
  state.doc.actors.forEach((a, k) => {
    const own = offers.filter((e) => e.party === a.id);
    if (!own.length) return;
    const color = PALETTE[k % PALETTE.length];
    g.append(s("polyline", {
      fill: "none", stroke: color, "stroke-width": 1.2, "stroke-opacity": 0.8, "data-trail": a.id,
      points: own.map((e) => `${X(e.utilities[xId]).toFixed(1)},${Y(e.utilities[yId]).toFixed(1)}`).join(" "),
    }));
    const last = own[own.length - 1];
    g.append(s("text", { x: X(last.utilities[xId]) + 4, y: Y(last.utilities[yId]) - 4, fill: color, text: `${a.id}'s offers` }));
  });
  return g;
}

function renderParallel() {
  const svg = $("parallel");
  const a = state.analysis;
  const ids = a.actors.map((x) => x.id);
  const W = 560, H = 220, m = { l: 30, r: 30, t: 20, b: 24 };
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const step = ids.length > 1 ? (W - m.l - m.r) / (ids.length - 1) : 0;
  const X = (k) => m.l + k * step, Y = (u) => m.t + (1 - u) * (H - m.t - m.b);
  const g = s("g", { class: "axis" });
  ids.forEach((id, k) => g.append(s("line", { x1: X(k), x2: X(k), y1: Y(0), y2: Y(1) }),
    s("text", { x: X(k), y: H - 6, "text-anchor": "middle", text: id }),
    s("text", { x: X(k) + 3, y: Y(1) - 4, text: "1" }), s("text", { x: X(k) + 3, y: Y(0), text: "0" })));
  const lines = s("g");
  for (const p of a.agreement_frontier.packages || []) {
    lines.append(s("polyline", {
      class: "frontier-line", "stroke-opacity": 0.6,
      points: ids.map((id, k) => `${X(k).toFixed(1)},${Y(p.utilities[id]).toFixed(1)}`).join(" "),
    }));
  }
  svg.replaceChildren(g, lines);
}

function renderBlocking() {
  const a = state.analysis;
  const thead = h("tr", {}, ...["on", "actor", "rejects", "packages with it", "it alone removes", "ZOPA without it", "Nash without it"]
    .map((t) => h("th", { text: t })));
  // Every red line of the original scenario, on or off now.
  const rows = [];
  const blockingOf = (x) => a.blocking.find((b) => b.actor === x.actor && b.issue === x.issue && b.option === x.option);
  for (const actor of state.original.actors) {
    for (const pos of actor.positions) {
      for (const opt of redLineOptions(pos)) {
        const key = { actor: actor.id, issue: pos.issue, option: opt };
        const on = hasRedLine(actor.id, pos.issue, opt);
        const b = on ? blockingOf(key) : null;
        const nash = b && b.nash_if_dropped ? Object.values(b.nash_if_dropped.options).join(", ") : "–";
        rows.push(h("tr", { class: on ? "" : "off" },
          h("td", { class: "switch" }, h("input", {
            type: "checkbox", checked: on, "data-redline": `${actor.id}|${pos.issue}|${opt}`,
            "aria-label": `red line of ${actor.id}: ${pos.issue} = ${opt}`,
            onchange: (e) => setRedLine(state.doc.actors.find((x) => x.id === actor.id), pos.issue, opt, e.target.checked),
          })),
          h("td", { text: actor.id }), h("td", { text: `${pos.issue} = ${opt}` }),
          h("td", { class: "num", text: b ? b.violating : "–" }),
          h("td", { class: "num", text: b ? b.alone_removes : "–" }),
          h("td", { class: "num", text: b ? b.agreement_if_dropped : "–" }),
          h("td", { text: nash })));
      }
    }
  }
  const actorsWith = state.original.actors.filter((x) => x.positions.some((p) => redLineOptions(p).length));
  const all = h("tr", {}, h("td", { colspan: 7 }, "All red lines of: ", ...actorsWith.map((x) => h("button", {
    type: "button", text: x.id, "aria-label": `switch every red line of ${x.id}`,
    onclick: () => toggleActor(x.id),
  }))));
  $("blocking-table").querySelector("thead").replaceChildren(thead);
  $("blocking-table").querySelector("tbody").replaceChildren(...rows, all);
  const u = a.unblocking;
  $("unblocking").textContent = u ? `The agreement space is empty; removing any of these red-line sets opens one: ${JSON.stringify(u)}` : "";
}

/// Switch every red line of an actor's original scenario: all off when any
/// is on, else all back on.
function toggleActor(id) {
  const orig = state.original.actors.find((x) => x.id === id);
  const cur = state.doc.actors.find((x) => x.id === id);
  const anyOn = orig.positions.some((p) => redLineOptions(p).some((o) => hasRedLine(id, p.issue, o)));
  for (const p of orig.positions) {
    for (const o of redLineOptions(p)) putRedLine(cur, p.issue, o, !anyOn);
  }
  syncSwitches();
  edited();
}

// ---------------------------------------------------------------- forecast

async function runForecast() {
  const runs = Math.max(0, Math.min(5000, Number($("forecast-runs").value) || 0));
  status("Forecasting…");
  try {
    const f = await call(`/forecast?runs=${runs}&seed=1`, { body: upload() });
    renderForecast(f);
    status(`Forecast: ${f.forecasts.length} models, ${runs} sensitivity runs`);
  } catch (e) { status(e.message, true); }
}

function renderForecast(f) {
  const out = [];
  const issues = state.doc.issues;
  const sens = f.sensitivity ? Object.fromEntries(f.sensitivity.models.map((m) => [m.model, m.issues])) : {};
  issues.forEach((issue, i) => {
    const W = 560, rowH = 22, m = { l: 150, r: 16, t: 26, b: 10 };
    const H = m.t + rowH * f.forecasts.length + m.b;
    const X = (p) => m.l + (p / 100) * (W - m.l - m.r);
    const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `forecasts of ${issue.id}`, class: "forecast-plot" });
    const n = issue.options.length;
    issue.options.forEach((o, k) => {
      const p = n > 1 ? (100 * k) / (n - 1) : 50;
      svg.append(s("line", { class: "grid-line", x1: X(p), x2: X(p), y1: m.t - 4, y2: H - m.b }),
        s("text", { x: X(p), y: 12, "text-anchor": "middle", text: o.id }));
    });
    const positions = [];
    f.forecasts.forEach((fc, r) => {
      const it = fc.issues.find((x) => x.issue === issue.id);
      if (!it) return;
      const y = m.t + rowH * r + rowH / 2;
      const band = (sens[fc.model] || []).find((x) => x.issue === issue.id);
      svg.append(s("text", { x: m.l - 8, y: y + 4, "text-anchor": "end", text: fc.name || fc.model }));
      if (band) svg.append(s("line", { x1: X(band.p5), x2: X(band.p95), y1: y, y2: y, stroke: "#1f6fb2", "stroke-width": 6, "stroke-opacity": 0.25, "stroke-linecap": "round" }));
      svg.append(s("circle", { cx: X(it.position), cy: y, r: 4.5, class: "frontier-point", "data-model": fc.model }));
      positions.push(it.position);
    });
    const spread = positions.length ? Math.max(...positions) - Math.min(...positions) : 0;
    out.push(h("h3", { text: `${issue.name || issue.id}${spread > 100 / Math.max(1, n - 1) ? " — the models disagree" : ""}` }),
      h("div", { class: "plot-wrap" }, svg));
  });
  $("forecast-plots").replaceChildren(h("p", { class: "note", text: "Dot: each model's forecast on the issue's option scale; band: 5–95 % of the sensitivity runs." }), ...out);
}

// ---------------------------------------------------------------- simulation

const STRATEGIES = ["boulware", "linear", "conceder", "hardliner", "tft", "micro"];

function renderSimControls() {
  $("sim-strategies").replaceChildren(...state.doc.actors.map((a) => h("label", {}, `${a.id} `,
    h("select", { "data-actor": a.id, "aria-label": `strategy of ${a.id}` }, ...STRATEGIES.map((x) => h("option", { value: x, text: x }))))));
}

async function runSimulation() {
  const strategies = [...document.querySelectorAll("#sim-strategies select")].map((x) => `${x.dataset.actor}=${x.value}`).join(",");
  const q = `protocol=${$("sim-protocol").value}&deadline=${Number($("sim-deadline").value) || 100}&strategies=${encodeURIComponent(strategies)}&trace=true`;
  status("Simulating…");
  try {
    const sim = await call(`/simulate?${q}`, { body: upload() });
    state.simOffers = (sim.trace || []).filter((e) => e.action === "offer" && e.utilities);
    renderSimulation(sim);
    renderScatter();
    status(`Simulation: ${sim.agreement ? "agreement" : "no agreement"} after ${sim.rounds} rounds`);
  } catch (e) { status(e.message, true); }
}

function renderSimulation(sim) {
  const ids = state.doc.actors.map((a) => a.id);
  const agree = sim.agreement ? Object.entries(sim.agreement.package).map(([k, v]) => `${k}=${v}`).join(", ") : "none";
  $("sim-result").textContent = `Agreement: ${agree}. Distance to the Pareto frontier ${fmt(sim.distance_to_pareto, 3)}, to Nash ${fmt(sim.distance_to_nash, 3)}.`;
  const offers = (sim.trace || []).filter((e) => e.action === "offer" && e.utilities);
  const W = 560, H = 260, m = { l: 40, r: 90, t: 10, b: 30 };
  const rounds = Math.max(1, ...offers.map((e) => e.round));
  const X = (r) => m.l + (r / rounds) * (W - m.l - m.r), Y = (u) => m.t + (1 - u) * (H - m.t - m.b);
  const svg = $("sim-plot");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const g = s("g", { class: "axis" });
  axisTicks(g, (t) => Y(t) - m.t, false, W - m.l - m.r, H - m.t - m.b);
  g.setAttribute("transform", `translate(${m.l},${m.t})`);
  const palette = PALETTE;
  const lines = s("g");
  ids.forEach((id, k) => {
    const own = offers.filter((e) => e.party === id);
    if (!own.length) return;
    lines.append(s("polyline", { fill: "none", stroke: palette[k % palette.length], "stroke-width": 1.5, "data-party": id,
      points: own.map((e) => `${X(e.round).toFixed(1)},${Y(e.utilities[id]).toFixed(1)}`).join(" ") }),
    s("text", { x: W - m.r + 6, y: Y(own[own.length - 1].utilities[id]) + 4, fill: palette[k % palette.length], text: id }));
  });
  svg.replaceChildren(g, lines, s("text", { x: m.l + (W - m.l - m.r) / 2, y: H - 4, "text-anchor": "middle", text: "round (each party's own offers, in its own utility)" }));
}

// ---------------------------------------------------------------- tournaments

function renderTournamentControls() {
  $("t-strategies").replaceChildren(...STRATEGIES.map((x, k) => h("label", {},
    h("input", { type: "checkbox", value: x, checked: k < 3, "aria-label": `strategy ${x}` }), ` ${x}`)));
}

async function runTournament() {
  const strategies = [...document.querySelectorAll("#t-strategies input:checked")].map((x) => x.value);
  const files = [...$("t-upload").files];
  const deadline = Number($("t-deadline").value) || 200;
  if (!files.length && !(state.builtins || []).includes(state.name)) {
    status("Choose the tournament's domain files, or pick a built-in scenario", true);
    return;
  }
  const domains = files.length ? ["upload/*"] : [`builtin:${state.name}`];
  const toml = `name = "workbench"\ndeadline = ${deadline}\ndomains = ${JSON.stringify(domains)}\nstrategies = ${JSON.stringify(strategies)}\n`;
  let init;
  if (files.length) {
    const f = new FormData();
    f.append("tournament", new Blob([toml]), "tournament.toml");
    for (const x of files) f.append("file", x, `upload/${x.name}`);
    init = { body: f };
  } else {
    init = { body: toml, headers: { "Content-Type": "application/toml" } };
  }
  try {
    const job = await call("/tournaments", init);
    follow(job);
  } catch (e) { status(e.message, true); }
}

function follow(job) {
  const bar = $("t-progress");
  bar.max = Math.max(1, job.planned);
  const events = new EventSource(job.events);
  const show = (j) => {
    bar.value = j.completed;
    $("t-state").textContent = `${j.state}: ${j.completed} of ${j.planned} negotiations`;
    $("t-state").dataset.state = j.state;
  };
  show(job);
  events.addEventListener("progress", (e) => show(JSON.parse(e.data)));
  events.addEventListener("failed", (e) => { show(JSON.parse(e.data)); events.close(); });
  events.addEventListener("done", async (e) => {
    show(JSON.parse(e.data));
    events.close();
    const r = await fetch(job.report);
    renderReport(await r.json());
  });
}

function renderReport(r) {
  $("t-results").querySelector("thead").replaceChildren(h("tr", {}, ...["strategy", "slots", "agreement", "utility", "welfare", "rounds", "to Pareto", "to Nash"].map((t) => h("th", { text: t }))));
  $("t-results").querySelector("tbody").replaceChildren(...r.strategies.map((x) => h("tr", {},
    h("th", { scope: "row", text: x.strategy }), h("td", { class: "num", text: x.slots }),
    h("td", { class: "num", text: `${(100 * x.agreement_rate).toFixed(1)} %` }), h("td", { class: "num", text: fmt(x.mean_utility, 3) }),
    h("td", { class: "num", text: fmt(x.mean_welfare, 3) }), h("td", { class: "num", text: fmt(x.mean_rounds, 1) }),
    h("td", { class: "num", text: fmt(x.mean_pareto_distance, 3) }), h("td", { class: "num", text: fmt(x.mean_nash_distance, 3) }))));
}

// ---------------------------------------------------------------- wiring

async function downloadToml() {
  try {
    const c = await call("/convert?to=toml", { body: upload() });
    const a = h("a", { href: URL.createObjectURL(new Blob([c.files[0].text], { type: "application/toml" })), download: c.files[0].path });
    document.body.append(a);
    a.click();
    a.remove();
  } catch (e) { status(e.message, true); }
}

function wire() {
  $("upload").addEventListener("change", (e) => loadUpload(e.target.files));
  $("download").addEventListener("click", downloadToml);
  $("reset").addEventListener("click", () => {
    state.doc = structuredClone(state.original);
    renderMatrix();
    recompute();
  });
  $("axis-x").addEventListener("change", (e) => { state.axes[0] = Number(e.target.value); renderScatter(); });
  $("axis-y").addEventListener("change", (e) => { state.axes[1] = Number(e.target.value); renderScatter(); });
  $("color-by").addEventListener("change", (e) => { state.colorBy = e.target.value; renderScatter(); });
  $("forecast-run").addEventListener("click", runForecast);
  $("sim-run").addEventListener("click", runSimulation);
  $("t-run").addEventListener("click", runTournament);
}

(async () => {
  wire();
  try {
    const first = await loadBuiltins();
    if (first) await loadBuiltin(first);
  } catch (e) { status(e.message, true); }
})();
