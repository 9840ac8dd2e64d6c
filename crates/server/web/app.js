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
  // The analysis of the document as loaded (the "before" of every edit),
  // and the stated demands switched on as red lines (key → the red lines
  // that switch added).
  baseline: null, demands: new Map(),
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

/// Text with Markdown's **bold** and `code` spans as nodes (the brief's
/// sentences are Markdown).
function md(text) {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/).filter(Boolean).map((part) =>
    part.startsWith("**") && part.endsWith("**") ? h("strong", { text: part.slice(2, -2) })
      : part.startsWith("`") && part.endsWith("`") ? h("code", { text: part.slice(1, -1) }) : part);
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
  state.baseline = null;
  state.demands = new Map();
  for (const id of ["critical-out", "robust-out", "brief-out", "forecast-plots", "sim-offers-box"]) {
    if (id === "sim-offers-box") $("sim-offers").querySelector("tbody").replaceChildren();
    else $(id).replaceChildren();
  }
  $("sim-result").textContent = "";
  $("sim-plot").replaceChildren();
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
    if (JSON.stringify(state.doc) === JSON.stringify(state.original)) state.baseline = analysis;
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

/// The scenario, one column per actor: power, reservation, then each
/// issue's salience and option values (with their red-line switches).
function renderMatrix() {
  const d = state.doc;
  const n = d.actors.length;
  const head = h("tr", {}, h("th", { text: "" }), ...d.actors.map((a) => h("th", { scope: "col", text: a.name })));
  const row = (label, cell) => h("tr", {}, h("th", { scope: "row", text: label }), ...d.actors.map(cell));
  const rows = [
    row("power", (a) => h("td", {}, numberInput(a.power, `power of ${a.id}`, (v) => { a.power = v; }, { min: 0 }), why(a.power_basis, `${a.name}: power`))),
    row("reservation", (a) => h("td", {}, numberInput(a.reservation, `reservation of ${a.id}`, (v) => { a.reservation = v; }, { min: 0, max: 1 }), why(a.reservation_basis, `${a.name}: reservation`))),
  ];
  for (const issue of d.issues) {
    rows.push(h("tr", {}, h("th", { class: "issue", colspan: n + 1, scope: "colgroup", text: issue.name || issue.id })));
    rows.push(row("salience", (a) => h("td", {},
      numberInput(a.salience[issue.id] ?? 0, `salience of ${issue.id} for ${a.id}`, (v) => { a.salience[issue.id] = v; }, { min: 0 }),
      why(a.salience_basis, `${a.name}: salience`))));
    for (const o of issue.options) {
      rows.push(h("tr", {}, h("th", { scope: "row", text: o.label || o.id, title: o.id }), ...d.actors.map((a) => {
        const pos = a.positions.find((p) => p.issue === issue.id);
        if (!pos) return h("td", { text: "–" });
        return h("td", {},
          numberInput(pos.values[o.id] ?? 0, `value of ${o.id} for ${a.id}`, (v) => { pos.values[o.id] = v; }, { min: 0, max: 1 }),
          h("label", { class: "opt", title: "red line: never acceptable to this actor" },
            h("input", {
              type: "checkbox", checked: redLineOptions(pos).includes(o.id), "aria-label": `red line ${a.id} ${issue.id}=${o.id}`,
              onchange: (e) => { setRedLine(a, issue.id, o.id, e.target.checked); },
            }), "✕"));
      })));
    }
    rows.push(row("grounds", (a) => {
      const pos = a.positions.find((p) => p.issue === issue.id);
      return h("td", {}, pos ? why(pos, `${a.name} on ${issue.name || issue.id}`) : null);
    }));
  }
  $("matrix").replaceChildren(h("thead", {}, head), h("tbody", {}, rows));
}

// ---------------------------------------------------------------- red lines

const optionOf = (r) => (typeof r === "string" ? r : r.option);

/// Add or remove a red line in the document; a restored one comes back as
/// it was (with its evidence) from the original document.
function putRedLine(actor, issue, option, on) {
  const pos = actor.positions.find((p) => p.issue === issue);
  if (!pos) return;
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

/// A combination's identity: its options in issue order.
const comboKey = (options) => Object.keys(options).sort().map((k) => `${k}=${options[k]}`).join("+");

function hasCombination(actorId, key) {
  const a = state.doc.actors.find((x) => x.id === actorId);
  return !!a && (a.red_line_combinations || []).some((c) => comboKey(c.options) === key);
}

/// Add (as the original states it) or remove one of an actor's combinations.
function putCombination(actorId, key, on) {
  const a = state.doc.actors.find((x) => x.id === actorId);
  const orig = state.original.actors.find((x) => x.id === actorId);
  const without = (a.red_line_combinations || []).filter((c) => comboKey(c.options) !== key);
  if (on) {
    const c = (orig?.red_line_combinations || []).find((x) => comboKey(x.options) === key);
    if (c) without.push(structuredClone(c));
  }
  if (without.length) a.red_line_combinations = without; else delete a.red_line_combinations;
}

/// Every red line of the original scenario and of the edited one, each once:
/// `{actor, issue, option, added}`.
function allRedLines() {
  const out = [];
  const seen = new Set();
  for (const [doc, added] of [[state.original, false], [state.doc, true]]) {
    for (const actor of doc.actors) {
      for (const pos of actor.positions) {
        for (const option of redLineOptions(pos)) {
          const k = `${actor.id}|${pos.issue}|${option}`;
          if (!seen.has(k)) { seen.add(k); out.push({ actor: actor.id, issue: pos.issue, option, added }); }
        }
      }
    }
  }
  return out;
}

/// Every combination of the original scenario (edits only switch them).
function allCombinations() {
  return state.original.actors.flatMap((a) => (a.red_line_combinations || [])
    .map((c) => ({ actor: a.id, options: c.options, key: comboKey(c.options) })));
}

function syncSwitches() {
  for (const box of document.querySelectorAll("input[data-redline]")) {
    const [a, i, o] = box.dataset.redline.split("|");
    box.checked = hasRedLine(a, i, o);
    box.closest("tr").classList.toggle("off", !box.checked);
  }
  for (const box of document.querySelectorAll("input[data-combination]")) {
    const [a, key] = box.dataset.combination.split("|");
    box.checked = hasCombination(a, key);
    box.closest("tr").classList.toggle("off", !box.checked);
  }
  for (const box of document.querySelectorAll("#matrix input[type=checkbox]")) {
    const m = box.getAttribute("aria-label").match(/^red line (\S+) (\S+)=(\S+)$/);
    if (m) box.checked = hasRedLine(m[1], m[2], m[3]);
  }
}

// ---------------------------------------------------------------- words

const actorName = (id) => state.doc.actors.find((a) => a.id === id)?.name || id;
function optionLabel(issue, option) {
  const i = state.doc.issues.find((x) => x.id === issue);
  const o = i && i.options.find((x) => x.id === option);
  return o ? o.label || o.id : option;
}
const pkgText = (sol) => (sol ? Object.values(sol.options).join(", ") : "no agreement space");

/// How a Nash package differs from the current one, in words.
function nashChange(other) {
  const now = state.analysis.solutions.nash;
  if (!other && !now) return "none either way";
  if (!other) return "no agreement space";
  if (!now) return pkgText(other);
  if (other.index === now.index) return "unchanged";
  return Object.entries(other.options).filter(([k, v]) => now.options[k] !== v).map(([k, v]) => `${k} → ${v}`).join(", ");
}

/// The edits from the document as loaded to the current one, in words.
function describeEdits(orig, cur) {
  const out = [];
  const num = (x) => (x === undefined ? "–" : String(x));
  for (const a of cur.actors) {
    const o = orig.actors.find((x) => x.id === a.id);
    if (!o) continue;
    if (a.power !== o.power) out.push(`${a.name}: power ${num(o.power)} → ${num(a.power)}`);
    if (a.reservation !== o.reservation) out.push(`${a.name}: reservation ${num(o.reservation)} → ${num(a.reservation)}`);
    for (const [issue, v] of Object.entries(a.salience || {})) {
      if (v !== (o.salience || {})[issue]) out.push(`${a.name}: salience of ${issue} ${num((o.salience || {})[issue])} → ${num(v)}`);
    }
    for (const p of a.positions) {
      const q = o.positions.find((x) => x.issue === p.issue);
      if (!q) continue;
      for (const [opt, v] of Object.entries(p.values)) {
        if (v !== q.values[opt]) out.push(`${a.name}: value of ${p.issue} = ${opt} ${num(q.values[opt])} → ${num(v)}`);
      }
      const was = redLineOptions(q), now = redLineOptions(p);
      for (const x of now) if (!was.includes(x)) out.push(`${a.name}: red line ${p.issue} = ${x} added`);
      for (const x of was) if (!now.includes(x)) out.push(`${a.name}: red line ${p.issue} = ${x} switched off`);
    }
    const keys = (x) => (x.red_line_combinations || []).map((c) => comboKey(c.options));
    for (const k of keys(o)) if (!keys(a).includes(k)) out.push(`${a.name}: combination ${k} switched off`);
  }
  return out;
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
  $("findings").replaceChildren(...(a.summary || []).map((f) => h("li", { "data-topic": f.topic, text: f.text })));
  renderSolutions();
  renderCompare();
  renderScatter();
  renderParallel();
  renderBlocking();
  renderDemands();
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

/// The analysis of the scenario as loaded beside the current one, with the
/// edits that separate them.
function renderCompare() {
  const box = $("compare");
  const edits = describeEdits(state.original, state.doc);
  box.dataset.edits = String(edits.length);
  const b = state.baseline, a = state.analysis;
  if (!edits.length || !b) {
    box.replaceChildren(h("p", { class: "note", text: "No edits yet: this is the scenario as loaded. Edit a number or switch a red line to compare." }));
    return;
  }
  const rows = [
    ["Packages in the ZOPA", b.space.agreement, a.space.agreement],
    ["Pareto frontier of the ZOPA", b.agreement_frontier.size, a.agreement_frontier.size],
    ...CONCEPTS.map(([k, label]) => [label, pkgText(b.solutions[k]), pkgText(a.solutions[k])]),
    ...a.actors.map((x) => [`Nash: utility of ${x.name}`, fmt(b.solutions.nash?.utilities[x.id]), fmt(a.solutions.nash?.utilities[x.id])]),
  ];
  box.replaceChildren(
    h("ul", { class: "findings", "aria-label": "Edits" }, ...edits.map((t) => h("li", { text: t }))),
    h("div", { class: "scroll" }, h("table", { class: "grid", id: "compare-table" },
      h("thead", {}, h("tr", {}, h("th", { text: "" }), h("th", { text: "as loaded" }), h("th", { text: "edited" }))),
      h("tbody", {}, ...rows.map(([label, x, y]) => h("tr", { class: String(x) === String(y) ? "" : "changed", "data-row": label },
        h("th", { scope: "row", text: label }), h("td", { text: String(x) }), h("td", { text: String(y) })))))));
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
  const box = evt.target?.getBoundingClientRect ? evt.target.getBoundingClientRect() : null;
  const cx = evt.clientX || (box ? box.left + box.width / 2 : wrap.left + 10);
  const cy = evt.clientY || (box ? box.top + box.height / 2 : wrap.top + 10);
  tip.style.left = `${Math.max(0, Math.min(cx - wrap.left + 12, wrap.width - 200))}px`;
  tip.style.top = `${cy - wrap.top + 12}px`;
  tip.hidden = false;
}

function hideTip() { $("tooltip").hidden = true; }

function axisTicks(g, scale, horizontal, w, hgt, ticks = [0, 0.2, 0.4, 0.6, 0.8, 1], label = (t) => t.toFixed(1)) {
  for (const t of ticks) {
    const p = scale(t);
    if (horizontal) {
      g.append(s("line", { class: "grid-line", x1: p, x2: p, y1: 0, y2: hgt }),
        s("text", { x: p, y: hgt + 14, "text-anchor": "middle", text: label(t) }));
    } else {
      g.append(s("line", { class: "grid-line", x1: 0, x2: w, y1: p, y2: p }),
        s("text", { x: -6, y: p + 4, "text-anchor": "end", text: label(t) }));
    }
  }
}

const ramp = (t) => `hsl(${220 - 200 * t}, 70%, ${35 + 25 * (1 - t)}%)`;

function colorOf(k) {
  const sp = state.space;
  if (state.colorBy === "status") return null;
  const u = sp.utilities[Number(state.colorBy)][k];
  return ramp(Math.max(0, Math.min(1, u)));
}

/// Labels placed beside their points, pushed apart vertically so none
/// overlaps another; a label moved from its point gets a leader line.
function placeLabels(items, W, top, bottom) {
  const gap = 15;
  const sorted = [...items].sort((p, q) => p.y - q.y);
  let last = -Infinity;
  for (const it of sorted) {
    it.ly = Math.max(it.y - 8, last + gap, top + 10);
    last = it.ly;
  }
  // Pushed past the bottom: shift the whole column up.
  const over = last - bottom;
  if (over > 0) for (const it of sorted) it.ly -= over;
  for (const it of sorted) {
    const width = 6.2 * it.text.length;
    it.right = it.x + 14 + width <= W - 4;
    it.lx = it.right ? it.x + 14 : it.x - 14;
  }
  return sorted;
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
  const layer = s("g", { class: "cloud" });
  for (const st of [0, 1, 2]) { // red lines under reservations under agreements
    for (let k = 0; k < sp.index.length; k++) {
      if (sp.status[k] !== st) continue;
      const c = colorOf(k);
      layer.append(s("circle", {
        class: c ? "pt" : `pt pt-${sp.status_names[st]}`, cx: X(sp.utilities[ax][k]).toFixed(1), cy: Y(sp.utilities[ay][k]).toFixed(1),
        r: 2.2, "fill-opacity": st === 2 ? 0.9 : 0.55, fill: c, "data-k": k,
      }));
    }
  }
  // One listener for the whole cloud: the point under the pointer shows its
  // package.
  layer.addEventListener("mouseover", (e) => {
    const k = e.target.dataset?.k;
    if (k !== undefined) showTip(e, sp.index[k], sp.utilities.map((u) => u[k]));
  });
  layer.addEventListener("mouseout", hideTip);
  const ids = a.actors.map((x) => x.id);
  const front = a.agreement_frontier.packages || [];
  const frontier = s("g", { class: "frontier" });
  for (const p of front) {
    const tip = (e) => showTip(e, p.index, ids.map((id) => p.utilities[id]));
    frontier.append(s("circle", {
      class: "frontier-point", cx: X(p.utilities[ids[ax]]).toFixed(1), cy: Y(p.utilities[ids[ay]]).toFixed(1), r: 4, tabindex: 0,
      "aria-label": `frontier package ${p.index}`, onmouseenter: tip, onfocus: tip, onmouseleave: hideTip, onblur: hideTip,
    }));
  }
  const res = s("g");
  const rx = a.actors[ax].reservation, ry = a.actors[ay].reservation;
  res.append(s("line", { class: "reservation", x1: X(rx), x2: X(rx), y1: Y(0), y2: Y(1) }),
    s("line", { class: "reservation", x1: X(0), x2: X(1), y1: Y(ry), y2: Y(ry) }),
    s("text", { class: "label", x: X(rx) + 3, y: Y(1) + 10, text: `${ids[ax]} reservation` }),
    s("text", { class: "label", x: X(1) - 3, y: Y(ry) - 4, "text-anchor": "end", text: `${ids[ay]} reservation` }));
  // Solutions: one square per distinct point, one label naming every
  // solution there, labels kept apart with leader lines.
  const sols = s("g");
  const spots = new Map();
  for (const [key, label] of CONCEPTS) {
    const sol = a.solutions[key];
    if (!sol) continue;
    const x = X(sol.utilities[ids[ax]]), y = Y(sol.utilities[ids[ay]]);
    const at = `${x.toFixed(1)},${y.toFixed(1)}`;
    if (!spots.has(at)) spots.set(at, { x, y, keys: [], names: [] });
    spots.get(at).keys.push(key);
    spots.get(at).names.push(label);
    sols.append(s("rect", { class: "solution", x: x - 5, y: y - 5, width: 10, height: 10, "data-solution": key }));
  }
  const items = [...spots.values()].map((p) => ({ ...p, text: p.names.join(" = ") }));
  for (const it of placeLabels(items, W, m.t, H - m.b)) {
    const moved = Math.abs(it.ly - it.y) > 4 || !it.right;
    if (moved) sols.append(s("line", { class: "leader", x1: it.x, y1: it.y, x2: it.lx + (it.right ? -2 : 2), y2: it.ly - 4 }));
    sols.append(s("text", { class: "label solution-label", x: it.lx, y: it.ly, "text-anchor": it.right ? "start" : "end", "data-solutions": it.keys.join(" "), text: it.text }));
  }
  const labels = s("g", {},
    s("text", { x: m.l + w / 2, y: H - 6, "text-anchor": "middle", text: `utility of ${a.actors[ax].name}` }),
    s("text", { transform: `translate(12,${m.t + hh / 2}) rotate(-90)`, "text-anchor": "middle", text: `utility of ${a.actors[ay].name}` }));
  svg.replaceChildren(g, layer, res, frontier, offerTrails(X, Y, ids[ax], ids[ay]), sols, labels);
  svg.dataset.frontierPoints = String(front.length);
  renderLegend();
  const drawn = sp.sampled
    ? `Drawn: a fixed sample of ${sp.listed.toLocaleString("en")} of ${sp.size.toLocaleString("en")} packages, and every frontier package.`
    : `Drawn: all ${sp.size.toLocaleString("en")} packages.`;
  const colours = state.colorBy === "status"
    ? "Blue: the agreement space; orange: no red line crossed but below a reservation; grey: crosses a red line."
    : `Colour: the utility of ${a.actors[Number(state.colorBy)].name}, from 0 (blue) to 1 (red).`;
  $("space-note").textContent = `${drawn} ${colours} Dark dots: the Pareto frontier of the agreement space; squares: the bargaining solutions; dashed: the two reservations.`;
  $("projection-note").textContent = ids.length > 2
    ? `With ${ids.length} parties this plot shows 2 of ${ids.length} dimensions: a frontier package can sit inside the cloud because it is better for a party not on these axes. The plot below shows every party.`
    : "";
}

function renderLegend() {
  const a = state.analysis;
  const box = $("space-legend");
  if (state.colorBy === "status") {
    const sw = (cls, text) => h("span", {}, h("span", { class: `sw ${cls}` }), text);
    box.replaceChildren(sw("agree", "agreement space"), sw("below", "below a reservation"),
      sw("red", "crosses a red line"), sw("front", "Pareto frontier"), sw("sq", "solution"));
  } else {
    const bar = h("span", { class: "ramp" });
    bar.style.background = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map(ramp).join(", ")})`;
    box.replaceChildren(h("span", { text: `utility of ${a.actors[Number(state.colorBy)].name}:` }), h("span", {}, "0", bar, "1"));
  }
}

const PALETTE = ["#1f6fb2", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490"];

/// The last simulation's offers (party by party) or the mediator's adopted
/// texts, in the plotted actors' utilities (empty until a simulation has
/// run on this scenario).
function offerTrails(X, Y, xId, yId) {
  const g = s("g", { class: "trails" });
  const offers = state.simOffers || [];
  const trail = (own, color, party, text) => {
    if (!own.length) return;
    g.append(s("polyline", {
      fill: "none", stroke: color, "stroke-width": 1.2, "stroke-opacity": 0.8, "data-trail": party,
      points: own.map((e) => `${X(e.utilities[xId]).toFixed(1)},${Y(e.utilities[yId]).toFixed(1)}`).join(" "),
    }));
    const last = own[own.length - 1];
    g.append(s("text", { class: "label", x: X(last.utilities[xId]) + 4, y: Y(last.utilities[yId]) + 12, fill: color, text }));
  };
  state.doc.actors.forEach((a, k) => trail(offers.filter((e) => e.party === a.id), PALETTE[k % PALETTE.length], a.id, `${a.id}'s offers`));
  trail(offers.filter((e) => e.party === "mediator" && e.adopted), "#444", "mediator", "mediator's texts");
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

// ---------------------------------------------------------------- blocking

const sameOptions = (p, q) => comboKey(p) === comboKey(q);

function switchCell(attrs, on, label, change) {
  return h("td", { class: "switch" }, h("input", { type: "checkbox", checked: on, "aria-label": label, ...attrs, onchange: change }));
}

function renderBlocking() {
  const a = state.analysis;
  const thead = h("tr", {}, ...["on", "actor", "rejects", "packages with it", "it alone removes", "ZOPA without it", "Nash without it"]
    .map((t) => h("th", { text: t })));
  const rows = [];
  for (const r of allRedLines()) {
    const on = hasRedLine(r.actor, r.issue, r.option);
    const b = on ? a.blocking.find((x) => x.actor === r.actor && x.issue === r.issue && x.option === r.option) : null;
    // A red line on, absent from the blocking list, removes nothing.
    const num = (v, zero) => (b ? v(b) : on ? zero : "–");
    rows.push(h("tr", { class: on ? "" : "off", "data-row": `${r.actor}|${r.issue}|${r.option}` },
      switchCell({ "data-redline": `${r.actor}|${r.issue}|${r.option}` }, on, `red line of ${r.actor}: ${r.issue} = ${r.option}`,
        (e) => setRedLine(state.doc.actors.find((x) => x.id === r.actor), r.issue, r.option, e.target.checked)),
      h("td", { text: r.actor }),
      h("td", {}, `${r.issue} = ${r.option}`, r.added ? h("span", { class: "added", text: " (added)" }) : null),
      h("td", { class: "num", text: String(num((x) => x.violating, "–")) }),
      h("td", { class: "num", text: String(num((x) => x.alone_removes, 0)) }),
      h("td", { class: "num", text: String(num((x) => x.agreement_if_dropped, a.space.agreement)) }),
      h("td", { text: b ? nashChange(b.nash_if_dropped) : on ? "unchanged" : "–" })));
  }
  for (const c of allCombinations()) {
    const on = hasCombination(c.actor, c.key);
    const b = on ? a.combination_blocking.find((x) => x.actor === c.actor && sameOptions(x.options, c.options)) : null;
    rows.push(h("tr", { class: on ? "" : "off", "data-row": `${c.actor}|${c.key}` },
      switchCell({ "data-combination": `${c.actor}|${c.key}` }, on, `combination of ${c.actor}: ${c.key}`, (e) => {
        putCombination(c.actor, c.key, e.target.checked);
        syncSwitches();
        edited();
      }),
      h("td", { text: c.actor }),
      h("td", { text: `together: ${Object.entries(c.options).map(([k, v]) => `${k} = ${v}`).join(" + ")}` }),
      h("td", { class: "num", text: "–" }),
      h("td", { class: "num", text: b ? String(b.alone_removes) : "–" }),
      h("td", { class: "num", text: b ? String(b.agreement_if_dropped) : "–" }),
      h("td", { text: b ? nashChange(b.nash_if_dropped) : "–" })));
  }
  if (!rows.length) rows.push(h("tr", {}, h("td", { colspan: 7, text: "No actor has a red line." })));
  $("blocking-table").querySelector("thead").replaceChildren(thead);
  $("blocking-table").querySelector("tbody").replaceChildren(...rows);
  const owners = [...new Set([...allRedLines().map((r) => r.actor), ...allCombinations().map((c) => c.actor)])];
  $("all-switches").replaceChildren(owners.length ? "All red lines of: " : "", ...owners.map((id) => h("button", {
    type: "button", text: actorName(id), "aria-label": `switch every red line of ${id}`, onclick: () => toggleActor(id),
  })));
  renderJoint();
  renderUnblocking();
}

/// A set of dropped red lines and combinations, in words.
function droppedText(x) {
  return [...x.red_lines.map((r) => `${r.actor}: ${r.issue} = ${r.option}`),
    ...x.combinations.map((c) => `${c.actor}: ${comboKey(c.options)} together`)].join("; ");
}

function renderJoint() {
  const j = state.analysis.joint_blocking;
  $("joint-table").querySelector("thead").replaceChildren(h("tr", {}, ...["all red lines of", "red lines and combinations", "ZOPA without them", "Nash without them"].map((t) => h("th", { text: t }))));
  $("joint-table").querySelector("tbody").replaceChildren(...(j.per_actor || []).map((x) => h("tr", { "data-actor": x.actor },
    h("th", { scope: "row", text: actorName(x.actor) }), h("td", { class: "num", text: String(x.red_lines.length + x.combinations.length) }),
    h("td", { class: "num", text: String(x.agreement_if_dropped) }), h("td", { text: nashChange(x.nash_if_dropped) }))));
  const notes = [
    ...(j.pairs || []).map((p) => `Dropped together — ${droppedText(p)} — the ZOPA has ${p.agreement_if_dropped} packages and the Nash package is ${nashChange(p.nash_if_dropped)} (neither alone does this).`),
    ...(j.nash_changers || []).map((p) => `Dropping ${droppedText(p)} moves the Nash package: ${nashChange(p.nash_if_dropped)}.`),
  ];
  if (j.budget_exhausted) notes.push("The joint study stopped at its work budget: these lists may be incomplete.");
  $("joint-notes").replaceChildren(...notes.map((t) => h("li", { text: t })));
}

function renderUnblocking() {
  const a = state.analysis;
  const u = a.unblocking;
  let text = "";
  if (u && u.kind === "sets") {
    const sets = u.sets.map((set) => set.map((r) => `${actorName(r.actor)} drops ${r.issue} = ${r.option}`).join(" and "));
    text = `The agreement space is empty. The smallest ways to open it: ${sets.join("; or ")}${u.truncated ? " (more exist)" : ""}.`;
  } else if (u && u.kind === "reservations_conflict") {
    text = "The agreement space is empty, and would stay empty with every red line dropped: the reservations conflict (no package is worth enough to every party).";
  } else if (u && u.kind === "budget_exhausted") {
    text = `The agreement space is empty; the search for red lines to drop stopped at its budget (${u.tried} sets tried, size ${u.exhausted_size}).`;
  }
  if (a.opening && a.opening.sets.length) {
    text += ` A package could pass if these parties set their red lines and reservations aside: ${a.opening.sets.map((s) => s.map(actorName).join(" and ")).join("; or ")}.`;
  }
  $("unblocking").textContent = text;
}

/// Switch every red line and combination an actor has (or had): all off
/// when any is on, else all back on.
function toggleActor(id) {
  const cur = state.doc.actors.find((x) => x.id === id);
  const reds = allRedLines().filter((r) => r.actor === id);
  const combos = allCombinations().filter((c) => c.actor === id);
  const anyOn = reds.some((r) => hasRedLine(id, r.issue, r.option)) || combos.some((c) => hasCombination(id, c.key));
  for (const r of reds) putRedLine(cur, r.issue, r.option, !anyOn);
  for (const c of combos) putCombination(id, c.key, !anyOn);
  syncSwitches();
  edited();
}

// ---------------------------------------------------------------- stated demands

/// The red lines a stated demand becomes: insisting on its option rejects
/// every other option of the issue; refusing rejects the option itself.
function demandRedLines(d) {
  const issue = state.doc.issues.find((i) => i.id === d.issue);
  return d.kind === "insist" ? issue.options.map((o) => o.id).filter((o) => o !== d.option) : [d.option];
}

const demandKey = (d) => `${d.actor}|${d.issue}|${d.option}|${d.kind}`;

function renderDemands() {
  const list = state.analysis.stated_demands || [];
  const on = state.demands;
  const shown = [...list];
  // A demand switched on stays listed even if the analysis no longer
  // reports it.
  for (const [key, v] of on) if (!shown.some((d) => demandKey(d) === key)) shown.push(v.demand);
  $("demands").replaceChildren(...(shown.length ? shown.map((d) => {
    const verb = d.kind === "insist" ? "insists on" : "refuses";
    return h("li", {}, h("label", {}, h("input", {
      type: "checkbox", checked: on.has(demandKey(d)), "data-demand": demandKey(d),
      "aria-label": `${d.actor} ${d.kind} ${d.issue}=${d.option} as a red line`,
      onchange: (e) => setDemand(d, e.target.checked),
    }), ` ${actorName(d.actor)} ${verb} “${optionLabel(d.issue, d.option)}” (${d.issue})`));
  }) : [h("li", { class: "note", text: "No party's quote states a best or worst option." })]));
}

/// Make a stated demand a red line, or take back exactly the red lines that
/// did.
function setDemand(d, on) {
  const actor = state.doc.actors.find((x) => x.id === d.actor);
  const key = demandKey(d);
  if (on) {
    const added = demandRedLines(d).filter((o) => !hasRedLine(d.actor, d.issue, o));
    for (const o of added) putRedLine(actor, d.issue, o, true);
    state.demands.set(key, { demand: d, added });
  } else {
    for (const o of state.demands.get(key)?.added || []) putRedLine(actor, d.issue, o, false);
    state.demands.delete(key);
  }
  renderMatrix();
  edited();
}

// ---------------------------------------------------------------- depends

async function runCritical() {
  const out = $("critical-out");
  out.replaceChildren(h("p", { class: "note", text: "Searching the changes to the assumptions that would reverse each conclusion…" }));
  try {
    const a = await call("/analyze?top=0", { body: upload() });
    const c = a.critical;
    if (!c || c.skipped) {
      out.replaceChildren(h("p", { class: "note", text: `The search did not run${c && c.skipped ? `: ${c.skipped}` : ""}.` }));
      return;
    }
    out.replaceChildren(h("h3", { text: "Critical assumptions" }),
      h("p", { class: "note", text: `${c.considered} changes considered, ${c.evaluated.toLocaleString("en")} variants evaluated; complete through sets of ${c.complete_through}.` }),
      h("ul", { class: "findings", id: "critical-list" }, ...c.conclusions.map((x) => h("li", { "data-conclusion": x.conclusion },
        h("strong", { text: x.text }), " ", x.unless))));
  } catch (e) { out.replaceChildren(h("p", { class: "error", text: e.message })); }
}

async function runRobustness() {
  const out = $("robust-out");
  const runs = Math.max(1, Math.min(100000, Number($("robust-runs").value) || 500));
  out.replaceChildren(h("p", { class: "note", text: `Running ${runs} Monte Carlo variants…` }));
  try {
    const a = await call(`/analyze?top=0&critical_budget=0&robustness=${runs}&seed=1`, { body: upload() });
    const r = a.robustness;
    const pct = (x) => `${(100 * x).toFixed(1)} %`;
    out.replaceChildren(h("h3", { text: `Robustness (${r.runs} runs, seed ${r.seed})` }),
      h("p", { id: "robust-zopa" }, `The ZOPA is non-empty in ${pct(r.zopa_nonempty)} of the runs; its size: median ${r.zopa_size.median}, 5–95 % band ${r.zopa_size.p5}–${r.zopa_size.p95} packages (${a.space.agreement} as written).`),
      h("ul", { class: "findings" }, ...r.conclusions.map((c) => h("li", { text: `${c.text}: ${pct(c.share)} of runs${c.holds ? " — holds" : " — does not hold robustly"}` }))),
      h("div", { class: "scroll" }, h("table", { class: "grid", id: "robust-nash" },
        h("caption", { text: "Nash package across the runs" }),
        h("thead", {}, h("tr", {}, h("th", { text: "package" }), h("th", { text: "is Nash in" }), h("th", { text: "in the ZOPA in" }))),
        h("tbody", {}, ...r.nash.slice(0, 6).map((x) => h("tr", {}, h("td", { text: Object.values(x.options).join(", ") }),
          h("td", { class: "num", text: pct(x.share) }), h("td", { class: "num", text: pct(x.in_zopa) })))))));
  } catch (e) { out.replaceChildren(h("p", { class: "error", text: e.message })); }
}

const SECTIONS = { bottom_line: "Bottom line", findings: "Findings", rests_on: "What it rests on", statements: "Who said what", terms: "Terms" };

async function runBrief() {
  const out = $("brief-out");
  out.replaceChildren(h("p", { class: "note", text: "Writing the brief…" }));
  try {
    const b = await call("/brief", { body: upload() });
    const parts = [h("h3", { text: `Brief: ${b.title}` })];
    let section = null, list = null;
    for (const x of b.sentences) {
      if (x.section !== section) {
        section = x.section;
        list = h("ul", { class: "findings", "data-section": section });
        parts.push(h("h4", { text: SECTIONS[section] || section }), list);
      }
      list.append(h("li", {}, ...md(x.text)));
    }
    out.replaceChildren(...parts);
  } catch (e) { out.replaceChildren(h("p", { class: "error", text: e.message })); }
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
  const names = f.forecasts.map((fc) => fc.name || fc.model);
  const left = Math.min(260, 16 + 6.2 * Math.max(...names.map((x) => x.length)));
  const warnings = [];
  issues.forEach((issue) => {
    const W = 640, rowH = 22, m = { l: left, r: 24, t: 26, b: 10 };
    const H = m.t + rowH * f.forecasts.length + m.b;
    const X = (p) => m.l + (p / 100) * (W - m.l - m.r);
    const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `forecasts of ${issue.id}`, class: "forecast-plot" });
    const n = issue.options.length;
    issue.options.forEach((o, k) => {
      const p = n > 1 ? (100 * k) / (n - 1) : 50;
      const anchor = n > 1 && k === 0 ? "start" : n > 1 && k === n - 1 ? "end" : "middle";
      svg.append(s("line", { class: "grid-line", x1: X(p), x2: X(p), y1: m.t - 4, y2: H - m.b }),
        s("text", { x: X(p), y: 12, "text-anchor": anchor, text: o.id }));
    });
    f.forecasts.forEach((fc, r) => {
      const it = fc.issues.find((x) => x.issue === issue.id);
      if (!it) return;
      const y = m.t + rowH * r + rowH / 2;
      const band = (sens[fc.model] || []).find((x) => x.issue === issue.id);
      svg.append(s("text", { x: m.l - 8, y: y + 4, "text-anchor": "end", text: names[r] }));
      if (band) svg.append(s("line", { x1: X(band.p5), x2: X(band.p95), y1: y, y2: y, stroke: "#1f6fb2", "stroke-width": 6, "stroke-opacity": 0.25, "stroke-linecap": "round" }));
      svg.append(s("circle", { cx: X(it.position), cy: y, r: 4.5, class: "frontier-point", "data-model": fc.model }));
      if ((it.rejected_by || []).length) {
        svg.append(s("circle", { cx: X(it.position), cy: y, r: 8, class: "redline-mark", "data-redline-model": fc.model }));
        warnings.push(`${names[r]} on ${issue.name || issue.id}: ${it.nearest.join(" / ")} is a red line of ${it.rejected_by.map(actorName).join(", ")}`);
      }
    });
    const agree = (f.agreement || []).find((x) => x.issue === issue.id);
    const disagree = agree && agree.options.length > 1;
    out.push(h("h3", { "data-disagree": String(!!disagree), text: `${issue.name || issue.id}${disagree ? ` — the models disagree: ${agree.options.join(" / ")}` : agree ? ` — the models agree: ${agree.options.join(" / ")}` : ""}` }),
      h("div", { class: "plot-wrap" }, svg));
  });
  const notes = [h("p", { class: "note", text: "Dot: each model's forecast on the issue's 0–100 option scale; band: 5–95 % of the sensitivity runs; red ring: the forecast is a red line of some party (the models ignore red lines: that outcome would be refused)." })];
  if ((f.ignored || []).length) notes.push(h("p", { class: "note", text: `The models do not use the scenario's ${f.ignored.join(", ")}.` }));
  if (warnings.length) notes.push(h("ul", { class: "findings error", id: "forecast-warnings" }, ...warnings.map((t) => h("li", { text: t }))));
  $("forecast-plots").replaceChildren(...notes, ...out);
}

// ---------------------------------------------------------------- simulation

// Every strategy `zopa simulate` knows; the parameterised ones with a value.
const STRATEGIES = [["boulware", "Boulware (time-based, concedes late)"], ["linear", "linear concession"], ["conceder", "conceder (concedes early)"],
  ["time:2", "time-based, exponent 2"], ["aspiration", "aspiration (NegMAS)"], ["hardliner", "hardliner (never concedes)"],
  ["random:0.6:1", "random offers in [0.6, 1]"], ["tft", "tit-for-tat"], ["rtft", "relative tit-for-tat"], ["micro", "MiCRO"]];

function renderSimControls() {
  $("sim-strategies").replaceChildren(...state.doc.actors.map((a) => h("label", {}, `${a.id} `,
    h("select", { "data-actor": a.id, "aria-label": `strategy of ${a.id}` }, ...STRATEGIES.map(([x, t]) => h("option", { value: x, text: t }))))));
  syncSimControls();
}

/// The mediated protocols ignore strategies: parties vote by utility.
function syncSimControls() {
  const mediated = $("sim-protocol").value !== "saop";
  for (const sel of document.querySelectorAll("#sim-strategies select")) sel.disabled = mediated;
  $("sim-strategy-note").textContent = mediated
    ? "A mediated protocol ignores strategies: each round the mediator proposes a text and every party votes by its utility."
    : "Each party's strategy: how it concedes and when it accepts.";
}

async function runSimulation() {
  const strategies = [...document.querySelectorAll("#sim-strategies select")].map((x) => `${x.dataset.actor}=${x.value}`).join(",");
  const protocol = $("sim-protocol").value;
  const seed = Math.max(0, Number($("sim-seed").value) || 0);
  const q = `protocol=${protocol}&deadline=${Number($("sim-deadline").value) || 100}&seed=${seed}${protocol === "saop" ? `&strategies=${encodeURIComponent(strategies)}` : ""}&trace=true`;
  status("Simulating…");
  try {
    const sim = await call(`/simulate?${q}`, { body: upload() });
    state.simOffers = (sim.trace || []).filter((e) => (e.action === "offer" || e.action === "propose") && e.utilities);
    renderSimulation(sim);
    renderScatter();
    status(`Simulation: ${sim.agreement ? "agreement" : "no agreement"} after ${sim.rounds} rounds`);
  } catch (e) {
    $("sim-result").textContent = e.message;
    $("sim-result").className = "error";
    status(e.message, true);
  }
}

/// Why the talks ended without agreement, in the CLI's words.
function endingText(sim) {
  const na = sim.no_agreement;
  if (!na) return "";
  const refusal = (r) => `${actorName(r.actor)} (${r.red_line ? `red line ${r.red_line.issue} = ${r.red_line.option}`
    : r.combination ? `rejects together ${r.combination}` : `utility ${fmt(r.utility)} below its reservation ${fmt(r.reservation)}`})`;
  const cause = na.cause === "walked_away" ? `${actorName(na.left.party)} walked away in round ${na.left.round}`
    : na.cause === "local_optimum" ? `the mediator's text reached a local optimum after ${sim.rounds} rounds: no neighbouring text is preferred by every party`
      : `the deadline (${sim.deadline} rounds) passed`;
  const parts = [`No agreement: ${cause}.`];
  if (na.final_text) {
    parts.push(`The mediator's final text: ${na.final_text.package}; refused as a deal by ${na.final_text.refused_by.map(refusal).join(", ") || "nobody"}.`);
  }
  for (const o of na.last_offers || []) {
    parts.push(`${actorName(o.party)}'s last offer ${o.package}: refused by ${o.refused_by.map(refusal).join(", ") || "nobody"}.`);
  }
  return parts.join(" ");
}

function renderSimulation(sim) {
  const ids = state.doc.actors.map((a) => a.id);
  const res = $("sim-result");
  res.className = "";
  res.dataset.cause = sim.no_agreement ? sim.no_agreement.cause : "agreement";
  res.textContent = sim.agreement
    ? `Agreement in round ${sim.rounds}: ${Object.entries(sim.agreement.package).map(([k, v]) => `${k} = ${v}`).join(", ")}. Distance to the Pareto frontier ${fmt(sim.distance_to_pareto, 3)}, to the Nash package ${fmt(sim.distance_to_nash, 3)}.`
    : endingText(sim);
  const mediated = sim.protocol !== "saop";
  const events = state.simOffers;
  const W = 560, H = 260, m = { l: 40, r: 90, t: 10, b: 40 };
  const rounds = Math.max(1, sim.rounds);
  const X = (r) => m.l + (r / rounds) * (W - m.l - m.r), Y = (u) => m.t + (1 - u) * (H - m.t - m.b);
  const svg = $("sim-plot");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const g = s("g", { class: "axis", transform: `translate(${m.l},${m.t})` });
  axisTicks(g, (t) => Y(t) - m.t, false, W - m.l - m.r, H - m.t - m.b);
  const step = Math.max(1, Math.ceil(rounds / 8 / 5) * 5);
  const ticks = [];
  for (let r = 0; r <= rounds; r += step) ticks.push(r);
  axisTicks(g, (r) => X(r) - m.l, true, W - m.l - m.r, H - m.t - m.b, ticks, (r) => String(r));
  const lines = s("g");
  const ends = [];
  ids.forEach((id, k) => {
    const color = PALETTE[k % PALETTE.length];
    let pts;
    if (mediated) {
      // Each party's utility of the standing text, round by round.
      let cur = null;
      pts = [];
      for (const e of events) {
        if (e.adopted) cur = e;
        if (cur) pts.push([e.round, cur.utilities[id]]);
      }
    } else {
      pts = events.filter((e) => e.party === id).map((e) => [e.round, e.utilities[id]]);
    }
    if (!pts.length) return;
    lines.append(s("polyline", { fill: "none", stroke: color, "stroke-width": 1.5, "data-party": id,
      points: pts.map(([r, u]) => `${X(r).toFixed(1)},${Y(u).toFixed(1)}`).join(" ") }));
    ends.push({ x: W - m.r, y: Y(pts[pts.length - 1][1]) + 8, text: id, color });
  });
  // Party names at the right end, kept apart.
  for (const it of placeLabels(ends, W + 200, m.t, H - m.b)) {
    lines.append(s("text", { class: "label", x: W - m.r + 6, y: it.ly, fill: it.color, text: it.text }));
  }
  if (mediated) {
    for (const e of events) lines.append(s("circle", { cx: X(e.round), cy: Y(Math.min(...ids.map((id) => e.utilities[id]))), r: 1.8, fill: e.adopted ? "#1d232b" : "#b9bec7", "data-proposal": e.adopted ? "adopted" : "rejected" }));
  }
  svg.replaceChildren(g, lines, s("text", { x: m.l + (W - m.l - m.r) / 2, y: H - 4, "text-anchor": "middle", text: "round" }));
  $("sim-plot-note").textContent = mediated
    ? "Lines: each party's utility of the mediator's standing text; dots: each proposal's lowest utility to any party (dark: adopted)."
    : "Lines: each party's own offers, in its own utility.";
  renderOffers(sim, mediated);
}

/// The offers as the CLI lists them: each party's first offer and every
/// change (saop), or every text the mediator adopted.
function renderOffers(sim, mediated) {
  const ids = state.doc.actors.map((a) => a.id);
  const last = new Map();
  const shown = state.simOffers.filter((e) => {
    if (mediated) return e.adopted;
    const changed = last.get(e.party) !== e.outcome;
    last.set(e.party, e.outcome);
    return changed;
  });
  $("sim-offers").querySelector("thead").replaceChildren(h("tr", {}, h("th", { text: "round" }), h("th", { text: mediated ? "text" : "party" }),
    h("th", { text: "package" }), ...ids.map((id) => h("th", { text: id }))));
  $("sim-offers").querySelector("tbody").replaceChildren(...shown.slice(0, 300).map((e) => h("tr", {},
    h("td", { class: "num", text: String(e.round) }), h("td", { text: mediated ? "adopted" : e.party }), h("td", { text: e.package }),
    ...ids.map((id) => h("td", { class: "num", text: fmt(e.utilities[id]) })))));
  $("sim-offers-box").querySelector("summary").textContent = mediated
    ? `Texts the mediator adopted (${shown.length} of ${state.simOffers.length} proposed)`
    : `Offers: each party's first and every change (${shown.length} of ${state.simOffers.length})`;
}

// ---------------------------------------------------------------- tournaments

function renderTournamentControls() {
  $("t-strategies").replaceChildren(...STRATEGIES.map(([x, t], k) => h("label", { title: t },
    h("input", { type: "checkbox", value: x, checked: k < 3, "aria-label": `strategy ${x}` }), ` ${x}`)));
}

function tournamentError(text) {
  const el = $("t-error");
  el.textContent = text;
  el.hidden = !text;
  if (text) status(`Tournament: ${text}`, true);
}

async function runTournament() {
  tournamentError("");
  $("t-rows").hidden = true;
  const strategies = [...document.querySelectorAll("#t-strategies input:checked")].map((x) => x.value);
  const files = [...$("t-upload").files];
  const deadline = Number($("t-deadline").value) || 200;
  if (!files.length && !(state.builtins || []).includes(state.name)) {
    tournamentError("Choose the tournament's domain files, or pick a built-in scenario.");
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
  } catch (e) { tournamentError(e.message); }
}

function follow(job) {
  const bar = $("t-progress");
  bar.max = Math.max(1, job.planned);
  const events = new EventSource(job.events);
  // "done" is written only once the report is drawn (see the "done" handler).
  const show = (j, drawn = false) => {
    const st = j.state === "done" && !drawn ? "finishing" : j.state;
    bar.value = j.completed;
    $("t-state").textContent = `${st}: ${j.completed} of ${j.planned} negotiations`;
    $("t-state").dataset.state = st;
  };
  show(job);
  events.addEventListener("progress", (e) => show(JSON.parse(e.data)));
  events.addEventListener("failed", (e) => {
    const j = JSON.parse(e.data);
    show(j);
    events.close();
    tournamentError(j.error || "the tournament failed");
  });
  events.addEventListener("done", async (e) => {
    events.close();
    // The report is drawn before the state says "done", so whoever waits
    // for "done" (a reader or a test) finds the results in place.
    try {
      const r = await fetch(job.report);
      if (!r.ok) throw new Error(`the report could not be read: ${r.status} ${await r.text()}`);
      renderReport(await r.json());
      $("t-rows").href = job.rows;
      $("t-rows").hidden = false;
      show(JSON.parse(e.data), true);
    } catch (err) { tournamentError(err.message); }
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
    state.demands = new Map();
    renderMatrix();
    recompute();
  });
  $("axis-x").addEventListener("change", (e) => { state.axes[0] = Number(e.target.value); renderScatter(); });
  $("axis-y").addEventListener("change", (e) => { state.axes[1] = Number(e.target.value); renderScatter(); });
  $("color-by").addEventListener("change", (e) => { state.colorBy = e.target.value; renderScatter(); });
  $("critical-run").addEventListener("click", runCritical);
  $("robust-run").addEventListener("click", runRobustness);
  $("brief-run").addEventListener("click", runBrief);
  $("forecast-run").addEventListener("click", runForecast);
  $("sim-protocol").addEventListener("change", syncSimControls);
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
