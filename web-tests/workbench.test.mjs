// The workbench as a person uses it, in Debian's headless Chromium driven by
// Playwright (playwright-core; no browser is downloaded): the real `zopa
// serve` on a free loopback port, and every number on screen compared with
// what the `zopa` CLI computes for the same input.
//
//   ZOPA_BIN=target/debug/zopa npm test --prefix web-tests
//
// Screenshots go to target/workbench/; those of the views docs/ shows are
// copied to docs/workbench/ with UPDATE_DOCS=1 (and the test fails when one
// is missing there). Recompute times (performance marks) are printed, not
// asserted: docs/benchmarks.md records them.
//
// The README's picture, docs/workbench.png, is this test's screenshot, and
// docs/workbench.json holds the numbers it shows. The test fails when the
// workbench now draws other numbers than that file records (the picture is
// stale); `UPDATE_DOCS=1` makes the test copy the new screenshot and its
// numbers into docs/ instead.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const zopaBin = path.resolve(root, process.env.ZOPA_BIN || "target/debug/zopa");
const shots = path.join(root, "target", "workbench");
mkdirSync(shots, { recursive: true });
const work = mkdtempSync(path.join(tmpdir(), "zopa-web-"));

let server, base, browser;

function zopa(...args) {
  return execFileSync(zopaBin, args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
}

function cliAnalysis(...args) {
  return JSON.parse(zopa("analyze", ...args, "--json", "--top", "0"));
}

/// The default scenario as JSON, edited by `change`, analysed by the CLI:
/// what the page must show after the same edit.
function cliEdited(name, change) {
  const out = path.join(work, name);
  zopa("convert", "security-guarantees", path.join(out, "sg.json"));
  const file = path.join(out, "sg.json");
  const doc = JSON.parse(readFileSync(file, "utf8"));
  change(doc);
  writeFileSync(file, JSON.stringify(doc));
  return cliAnalysis(file);
}

const actorOf = (doc, id) => doc.actors.find((a) => a.id === id);
const positionOf = (doc, actor, issue) => actorOf(doc, actor).positions.find((p) => p.issue === issue);

/// Add red lines the way the page does (a bare option id: an assumption).
function addRedLines(doc, actor, issue, options) {
  const pos = positionOf(doc, actor, issue);
  pos.red_lines = [...(pos.red_lines || []), ...options];
}

/// A view's screenshot, under target/workbench/ and (UPDATE_DOCS=1) docs/workbench/.
const DOC_SHOTS = [];
async function shot(locator, name) {
  const file = path.join(shots, `${name}.png`);
  await locator.screenshot({ path: file });
  DOC_SHOTS.push(name);
  const docs = path.join(root, "docs", "workbench");
  if (process.env.UPDATE_DOCS) {
    mkdirSync(docs, { recursive: true });
    copyFileSync(file, path.join(docs, `${name}.png`));
  } else {
    assert.ok(existsSync(path.join(docs, `${name}.png`)),
      `docs/workbench/${name}.png is missing: regenerate with UPDATE_DOCS=1 ZOPA_BIN=target/debug/zopa npm test --prefix web-tests`);
  }
}

/// Click and wait for the recompute it causes.
async function edit(page, act) {
  const g = await generation(page);
  await act();
  await ready(page, g + 1);
}

async function nashShown(page, n) {
  return (await page.locator('#solutions tr[data-solution="nash"] td').allTextContents()).slice(0, n);
}

before(async () => {
  server = spawn(zopaBin, ["serve", "--addr", "127.0.0.1:0", "--data", path.join(work, "data")], {
    cwd: root, env: { ...process.env, RUST_LOG: "warn" }, stdio: ["ignore", "ignore", "pipe"],
  });
  base = await new Promise((resolve, reject) => {
    let seen = "";
    server.stderr.on("data", (d) => {
      seen += d;
      const m = seen.match(/serving (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    server.on("exit", (c) => reject(new Error(`zopa serve exited ${c}: ${seen}`)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

/// A page on the workbench that fails the test on any console error or
/// warning, and the recompute times it measured.
async function open(viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(base + "/");
  await ready(page, 1);
  return { page, problems };
}

/// Wait until the page has drawn the results of its `n`th computation.
async function ready(page, n) {
  await page.waitForFunction((k) => Number(document.body.dataset.ready || 0) >= k, n, { timeout: 30000 });
}

async function generation(page) {
  return page.evaluate(() => Number(document.body.dataset.ready || 0));
}

async function recomputeTimes(page) {
  return page.evaluate(() => performance.getEntriesByName("zopa-recompute").map((e) => e.duration));
}

test("the default scenario is on screen: frontier, solutions and ZOPA as the CLI computes them", async () => {
  const { page, problems } = await open();
  const cli = cliAnalysis();
  assert.equal(await page.locator("#zopa-count").textContent(), String(cli.space.agreement));
  assert.equal(await page.locator("#scatter .frontier-point").count(), cli.agreement_frontier.size);
  assert.equal(await page.locator("#scatter").getAttribute("data-frontier-points"), String(cli.agreement_frontier.size));
  assert.equal(await page.locator("#scatter rect.solution").count(), 4);
  assert.equal(await page.locator("#solutions tbody tr[data-solution]").count(), 4);
  const nash = Object.values(cli.solutions.nash.options);
  const row = await page.locator('#solutions tr[data-solution="nash"] td').allTextContents();
  assert.deepEqual(row.slice(0, nash.length), nash);
  // Its flags, as the report words them: the option the analyst introduced.
  const flags = cli.solutions.nash.flags.map((f) => f.text).join(" ");
  assert.equal(row[row.length - 1], flags);
  assert.match(flags, /in no source: the analyst introduced it/);
  await page.screenshot({ path: path.join(shots, "workbench-1280.png"), fullPage: true });
  await readmePicture(page, row.slice(0, nash.length));
  assert.deepEqual(problems, []);
  await page.close();
});

/// The README's picture: the screenshot and the numbers it shows, checked
/// against docs/workbench.json (or, with UPDATE_DOCS=1, written there).
async function readmePicture(page, nashShown) {
  const png = path.join(shots, "workbench-readme.png");
  await page.screenshot({ path: png });
  const shown = {
    scenario: await page.locator("#builtin").inputValue(),
    axes: [await page.locator("#axis-x option:checked").textContent(), await page.locator("#axis-y option:checked").textContent()],
    packages: await page.locator("#space-count").textContent(),
    zopa: await page.locator("#zopa-count").textContent(),
    frontier: await page.locator("#scatter").getAttribute("data-frontier-points"),
    nash: nashShown,
  };
  const json = JSON.stringify(shown, null, 2) + "\n";
  writeFileSync(path.join(shots, "workbench-readme.json"), json);
  const docs = path.join(root, "docs");
  if (process.env.UPDATE_DOCS) {
    copyFileSync(png, path.join(docs, "workbench.png"));
    writeFileSync(path.join(docs, "workbench.json"), json);
    return;
  }
  const recorded = JSON.parse(readFileSync(path.join(docs, "workbench.json"), "utf8"));
  assert.deepEqual(shown, recorded,
    "docs/workbench.png is stale: the workbench now shows other numbers than docs/workbench.json records; " +
    "regenerate both with `UPDATE_DOCS=1 ZOPA_BIN=target/debug/zopa npm test --prefix web-tests`");
}

test("switching off a red line recomputes the ZOPA to what the CLI computes for the edited scenario", async () => {
  const { page, problems } = await open();
  const box = page.locator('input[data-redline="ukraine|guarantee|political"]');
  assert.equal(await box.isChecked(), true);
  const g = await generation(page);
  await box.uncheck();
  await ready(page, g + 1);
  // The same edit, made to the scenario file, analysed by the CLI.
  const out = path.join(work, "edited");
  zopa("convert", "security-guarantees", path.join(out, "sg.json"));
  const doc = JSON.parse(readFileSync(path.join(out, "sg.json"), "utf8"));
  const pos = doc.actors.find((a) => a.id === "ukraine").positions.find((p) => p.issue === "guarantee");
  pos.red_lines = pos.red_lines.filter((r) => (typeof r === "string" ? r : r.option) !== "political");
  if (!pos.red_lines.length) delete pos.red_lines;
  writeFileSync(path.join(out, "sg.json"), JSON.stringify(doc));
  const cli = cliAnalysis(path.join(out, "sg.json"));
  const before = cliAnalysis();
  assert.equal(await page.locator("#zopa-count").textContent(), String(cli.space.agreement));
  assert.equal(await page.locator("#scatter .frontier-point").count(), cli.agreement_frontier.size);
  // The switch for every red line of Ukraine: its combination is still on,
  // so it turns everything off (political stays off), then all back on (the
  // original ZOPA again).
  const none = cliEdited("ukraine-none", (d) => {
    delete positionOf(d, "ukraine", "guarantee").red_lines;
    delete actorOf(d, "ukraine").red_line_combinations;
  });
  await edit(page, () => page.getByLabel("switch every red line of ukraine").click());
  assert.equal(await box.isChecked(), false);
  assert.equal(await page.locator("#zopa-count").textContent(), String(none.space.agreement));
  await edit(page, () => page.getByLabel("switch every red line of ukraine").click());
  assert.equal(await box.isChecked(), true);
  assert.equal(await page.locator("#zopa-count").textContent(), String(before.space.agreement));
  // A value edited in the matrix recomputes too; the times are reported.
  const g2 = await generation(page);
  await page.getByLabel("reservation of russia").fill("0.3");
  await page.getByLabel("reservation of russia").dispatchEvent("change");
  await ready(page, g2 + 1);
  const times = await recomputeTimes(page);
  console.log(`what-if recompute (default scenario), ms: ${times.map((t) => t.toFixed(1)).join(" ")}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a claim's grounds open at its quote in the source", async () => {
  const { page, problems } = await open();
  await page.getByLabel("grounds of Russia on Foreign military presence in Ukraine").click();
  // Russia's presence position cites two quotes (its worst options, each
  // stated): both are marked in the source.
  const mark = page.locator("#evidence-body mark");
  assert.equal(await mark.count(), 2);
  assert.match((await mark.allTextContents()).join(" "), /NATO troops/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("an uploaded GENIUS domain draws its frontier", async () => {
  const { page, problems } = await open();
  const dir = path.join(root, "examples/genius/harbour-expansion");
  const g = await generation(page);
  await page.setInputFiles("#upload", ["harbour_domain.xml", "harbour_city.xml", "harbour_fishers.xml", "harbour_port.xml"].map((f) => path.join(dir, f)));
  await ready(page, g + 1);
  const cli = cliAnalysis(dir);
  assert.equal(await page.locator("#scatter .frontier-point").count(), cli.agreement_frontier.size);
  assert.equal(await page.locator("#space-count").textContent(), String(cli.space.size));
  // A zopa scenario picked with its source (a file picker gives file names
  // only; the server matches the cited path by name).
  const ex = path.join(root, "examples");
  const g2 = await generation(page);
  await page.setInputFiles("#upload", [path.join(ex, "supplier-contract.toml"), path.join(ex, "sources", "minutes.txt")]);
  await ready(page, g2 + 1);
  const sc = cliAnalysis(path.join(ex, "supplier-contract.toml"));
  assert.equal(await page.locator("#zopa-count").textContent(), String(sc.space.agreement));
  assert.equal(await page.locator("#evidence-count").textContent(), `${sc.evidence.evidenced} quoted, ${sc.evidence.assumptions} assumed`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a simulation draws each party's curve, a forecast its bands", async () => {
  const { page, problems } = await open();
  await page.click("#sim-run");
  await page.waitForSelector("#sim-plot polyline[data-party]");
  assert.ok(await page.locator("#sim-plot polyline[data-party]").count() >= 2);
  // The offers are traced over the agreement-space plot too.
  assert.ok(await page.locator("#scatter polyline[data-trail]").count() >= 2);
  await page.click("#forecast-run");
  await page.waitForSelector("#forecast-plots svg.forecast-plot");
  assert.equal(await page.locator("#forecast-plots svg.forecast-plot").count(), 5);
  assert.ok(await page.locator('#forecast-plots circle[data-model="smp"]').count() >= 5);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a tournament started from the page reaches 100 % and shows its results", async () => {
  const { page, problems } = await open();
  await page.fill("#t-deadline", "50");
  await page.click("#t-run");
  await page.waitForSelector('#t-state[data-state="done"]', { timeout: 120000 });
  const [value, max] = await page.evaluate(() => [document.querySelector("#t-progress").value, document.querySelector("#t-progress").max]);
  assert.equal(value, max);
  assert.equal(await page.locator("#t-results tbody tr").count(), 3);
  // The rows as Parquet, from the link the panel shows.
  assert.equal(await page.locator("#t-rows").isVisible(), true);
  const parquet = await page.evaluate(async () => {
    const r = await fetch(document.querySelector("#t-rows").href);
    const b = new Uint8Array(await r.arrayBuffer());
    return { type: r.headers.get("content-type"), head: String.fromCharCode(...b.slice(0, 4)), tail: String.fromCharCode(...b.slice(-4)), size: b.length };
  });
  assert.deepEqual([parquet.type, parquet.head, parquet.tail], ["application/vnd.apache.parquet", "PAR1", "PAR1"]);
  assert.ok(parquet.size > 100, `${parquet.size} bytes`);
  await page.screenshot({ path: path.join(shots, "workbench-tournament.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("at 400 px wide nothing overflows, and the keyboard reaches the plot", async () => {
  const { page, problems } = await open({ width: 400, height: 900 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 400, `page is ${width} px wide`);
  await page.screenshot({ path: path.join(shots, "workbench-400.png"), fullPage: true });
  await shot(page.locator("#space"), "space-400");
  // Tab from the top until a frontier point has the focus; its tooltip shows.
  let reached = false;
  for (let i = 0; i < 60 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.classList?.contains("frontier-point") ?? false);
  }
  assert.ok(reached, "a frontier point is reachable with Tab");
  assert.equal(await page.locator("#tooltip").isVisible(), true);
  assert.match(await page.locator("#tooltip").textContent(), /package \d+/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the summary says what the CLI says, and an edit shows before and after", async () => {
  const { page, problems } = await open();
  const cli = cliAnalysis();
  const findings = await page.locator("#findings li").allTextContents();
  assert.deepEqual(findings, cli.summary.map((f) => f.text));
  assert.equal(await page.locator("#compare").getAttribute("data-edits"), "0");
  // Every solution's flags are in its row.
  for (const key of ["nash", "kalai_smorodinsky", "utilitarian", "egalitarian"]) {
    const flags = cli.solutions[key].flags.map((f) => f.text).join(" ") || "–";
    assert.equal(await page.locator(`#solutions tr[data-solution="${key}"] td.flags`).textContent(), flags);
  }
  await edit(page, () => page.locator('input[data-redline="ukraine|guarantee|political"]').uncheck());
  const after = cliEdited("compare", (doc) => { delete positionOf(doc, "ukraine", "guarantee").red_lines; });
  assert.equal(await page.locator("#compare").getAttribute("data-edits"), "1");
  assert.match(await page.locator("#compare li").first().textContent(), /Ukraine: red line guarantee = political switched off/);
  const row = page.locator('#compare-table tr[data-row="Packages in the ZOPA"] td');
  assert.deepEqual(await row.allTextContents(), [String(cli.space.agreement), String(after.space.agreement)]);
  assert.equal(await page.locator('#compare-table tr[data-row="Packages in the ZOPA"]').getAttribute("class"), "changed");
  await shot(page.locator("#summary"), "summary-before-after");
  assert.deepEqual(problems, []);
  await page.close();
});

test("switching a combination changes the ZOPA and the Nash package to the CLI's values for the edited file", async () => {
  const { page, problems } = await open();
  const box = page.getByLabel("combination of europe: guarantee=article5+russia_role=guarantor");
  assert.equal(await box.isChecked(), true);
  await edit(page, () => box.uncheck());
  const cli = cliEdited("combo", (doc) => { delete actorOf(doc, "europe").red_line_combinations; });
  const before = cliAnalysis();
  assert.equal(await page.locator("#zopa-count").textContent(), String(cli.space.agreement));
  const nash = Object.values(cli.solutions.nash.options);
  assert.deepEqual(await nashShown(page, nash.length), nash);
  // Europe has only a combination: its "all red lines" button switches it.
  await edit(page, () => page.getByLabel("switch every red line of europe").click());
  assert.equal(await box.isChecked(), true);
  assert.equal(await page.locator("#zopa-count").textContent(), String(before.space.agreement));
  // The README's headline: Ukraine's and Europe's refusals of Article 5 with
  // Russia as guarantor, both dropped.
  await edit(page, () => box.uncheck());
  await edit(page, () => page.getByLabel("combination of ukraine: guarantee=article5+russia_role=guarantor").uncheck());
  const both = cliEdited("combos", (doc) => {
    delete actorOf(doc, "europe").red_line_combinations;
    delete actorOf(doc, "ukraine").red_line_combinations;
  });
  assert.notDeepEqual(both.solutions.nash.options, before.solutions.nash.options, "dropping both moves Nash");
  assert.equal(await page.locator("#zopa-count").textContent(), String(both.space.agreement));
  assert.deepEqual(await nashShown(page, nash.length), Object.values(both.solutions.nash.options));
  assert.deepEqual(problems, []);
  await page.close();
});

test("a red line added in the scenario table appears in the blocking table with the CLI's numbers", async () => {
  const { page, problems } = await open();
  await edit(page, () => page.getByLabel("red line russia guarantee=article5").check());
  const cli = cliEdited("added", (doc) => addRedLines(doc, "russia", "guarantee", ["article5"]));
  const b = cli.blocking.find((x) => x.actor === "russia" && x.issue === "guarantee" && x.option === "article5");
  assert.ok(b, "the CLI lists it");
  const row = page.locator('#blocking-table tr[data-row="russia|guarantee|article5"]');
  assert.match(await row.textContent(), /\(added\)/);
  const cells = await row.locator("td.num").allTextContents();
  assert.deepEqual(cells, [String(b.violating), String(b.alone_removes), String(b.agreement_if_dropped)]);
  assert.equal(await page.locator("#zopa-count").textContent(), String(cli.space.agreement));
  // "Nash without it" names what changes, or says it does not.
  const nashCells = await page.locator("#blocking-table tbody tr td:last-child").allTextContents();
  assert.ok(nashCells.includes("unchanged"));
  await shot(page.locator("#blocking"), "blocking");
  assert.deepEqual(problems, []);
  await page.close();
});

test("stated demands made red lines empty the ZOPA as the critical search says, and the page says what would open it", async () => {
  const { page, problems } = await open();
  await edit(page, () => page.getByLabel("russia insist russia_role=guarantor as a red line").check());
  await edit(page, () => page.getByLabel("ukraine insist guarantee=article5 as a red line").check());
  const cli = cliEdited("demands", (doc) => {
    addRedLines(doc, "russia", "russia_role", ["excluded", "consulted"]);
    // "political" is already a red line of Ukraine's: the page adds only
    // what is missing.
    addRedLines(doc, "ukraine", "guarantee", ["arms_aid"]);
  });
  assert.equal(cli.space.agreement, 0, "the critical search's reversal");
  assert.equal(await page.locator("#zopa-count").textContent(), "0");
  const text = await page.locator("#unblocking").textContent();
  assert.ok(cli.unblocking, "the CLI says what would open it");
  assert.match(text, /The agreement space is empty/);
  // Taking the demands back restores the scenario exactly.
  await edit(page, () => page.getByLabel("russia insist russia_role=guarantor as a red line").uncheck());
  await edit(page, () => page.getByLabel("ukraine insist guarantee=article5 as a red line").uncheck());
  assert.equal(await page.locator("#zopa-count").textContent(), String(cliAnalysis().space.agreement));
  assert.equal(await page.locator("#compare").getAttribute("data-edits"), "0");
  assert.deepEqual(problems, []);
  await page.close();
});

test("critical assumptions, robustness and the brief are in the page, as the CLI computes them", async () => {
  const { page, problems } = await open();
  const cli = cliAnalysis("--robustness", "500", "--seed", "1");
  await page.click("#critical-run");
  await page.waitForSelector("#critical-list");
  const items = await page.locator("#critical-list li").allTextContents();
  assert.equal(items.length, cli.critical.conclusions.length);
  assert.ok(items[0].includes(cli.critical.conclusions[0].unless));
  await page.fill("#robust-runs", "500");
  await page.click("#robust-run");
  await page.waitForSelector("#robust-nash");
  const r = cli.robustness;
  assert.match(await page.locator("#robust-zopa").textContent(),
    new RegExp(`non-empty in ${(100 * r.zopa_nonempty).toFixed(1)} %.*median ${r.zopa_size.median}, 5–95 % band ${r.zopa_size.p5}–${r.zopa_size.p95}`));
  await page.click("#brief-run");
  await page.waitForSelector("#brief-out h4");
  const brief = JSON.parse(zopa("brief", "--json"));
  assert.equal(await page.locator("#brief-out li").count(), brief.sentences.length);
  assert.equal(await page.locator('#brief-out ul[data-section="bottom_line"] li').first().textContent(),
    brief.sentences[0].text.replaceAll("**", ""));
  await shot(page.locator("#depends .columns"), "depends");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the plot: a legend for each colouring, labels that do not overlap, a note on projections, a tooltip on hover", async () => {
  const { page, problems } = await open();
  assert.match(await page.locator("#space-legend").textContent(), /agreement space.*below a reservation.*crosses a red line/);
  await page.selectOption("#color-by", "2");
  assert.match(await page.locator("#space-legend").textContent(), /utility of United States/);
  assert.match(await page.locator("#space-note").textContent(), /Colour: the utility of United States/);
  assert.doesNotMatch(await page.locator("#space-note").textContent(), /Blue: the agreement space/);
  assert.match(await page.locator("#projection-note").textContent(), /2 of 4 dimensions/);
  // Solution labels: one per distinct point, no two overlapping.
  const boxes = await page.locator("#scatter text.solution-label").evaluateAll((ts) => ts.map((t) => {
    const b = t.getBBox();
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  }));
  assert.ok(boxes.length >= 1);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [p, q] = [boxes[i], boxes[j]];
      const apart = p.x + p.width <= q.x || q.x + q.width <= p.x || p.y + p.height <= q.y || q.y + q.height <= p.y;
      assert.ok(apart, `labels ${i} and ${j} overlap: ${JSON.stringify(boxes)}`);
    }
  }
  const named = (await page.locator("#scatter text.solution-label").allTextContents()).join(" ");
  for (const n of ["Nash", "Kalai–Smorodinsky", "Utilitarian", "Egalitarian"]) assert.ok(named.includes(n), named);
  // An automated hover on a point of the cloud shows its package.
  await page.locator("#scatter .cloud circle").first().hover({ force: true });
  assert.equal(await page.locator("#tooltip").isVisible(), true);
  assert.match(await page.locator("#tooltip").textContent(), /package \d+/);
  await shot(page.locator("#space"), "space-coloured");
  assert.deepEqual(problems, []);
  await page.close();
});

test("forecast: names unclipped, red-line warnings and disagreement as the CLI flags them", async () => {
  const { page, problems } = await open();
  await page.fill("#forecast-runs", "50");
  await page.click("#forecast-run");
  await page.waitForSelector("#forecast-plots svg.forecast-plot");
  const cli = JSON.parse(zopa("forecast", "--json", "--runs", "50", "--seed", "1"));
  const disagree = cli.agreement.filter((x) => x.options.length > 1).length;
  assert.equal(disagree, 4);
  assert.equal(await page.locator('#forecast-plots h3[data-disagree="true"]').count(), disagree);
  const onRedLines = cli.forecasts.flatMap((f) => f.issues.filter((i) => i.rejected_by.length)).length;
  assert.ok(onRedLines > 0);
  assert.equal(await page.locator("#forecast-plots .redline-mark").count(), onRedLines);
  assert.equal(await page.locator("#forecast-warnings li").count(), onRedLines);
  // Every label lies inside its plot.
  const outside = await page.locator("#forecast-plots svg.forecast-plot").evaluateAll((svgs) => svgs.flatMap((svg) => {
    const vb = svg.viewBox.baseVal;
    return [...svg.querySelectorAll("text")].map((t) => ({ text: t.textContent, box: t.getBBox() }))
      .filter(({ box }) => box.x < 0 || box.x + box.width > vb.width).map(({ text }) => text);
  }));
  assert.deepEqual(outside, []);
  await shot(page.locator("#forecast"), "forecast");
  assert.deepEqual(problems, []);
  await page.close();
});

test("hill and veto simulations draw, with the CLI's reason, the mediator's texts, and strategies disabled", async () => {
  const { page, problems } = await open();
  assert.equal(await page.locator("#sim-strategies select").first().locator("option").count(), 10);
  for (const protocol of ["hill", "veto"]) {
    await page.selectOption("#sim-protocol", protocol);
    assert.equal(await page.locator("#sim-strategies select").first().isDisabled(), true);
    await page.click("#sim-run");
    await page.waitForFunction((p) => document.querySelector("#sim-offers-box summary").textContent.includes("mediator") && document.querySelectorAll("#sim-plot polyline[data-party]").length > 0, protocol);
    const cli = JSON.parse(zopa("simulate", "--json", "--protocol", protocol));
    assert.equal(await page.locator("#sim-plot polyline[data-party]").count(), 4);
    assert.equal(await page.locator("#sim-result").getAttribute("data-cause"), cli.no_agreement ? cli.no_agreement.cause : "agreement");
    if (cli.no_agreement?.final_text) {
      assert.ok((await page.locator("#sim-result").textContent()).includes(cli.no_agreement.final_text.package));
    }
    assert.ok(await page.locator("#sim-offers tbody tr").count() >= 1);
    assert.ok(await page.locator("#scatter polyline[data-trail=mediator]").count() === 1);
    if (protocol === "hill") {
      assert.equal(cli.no_agreement.cause, "local_optimum");
      assert.match(await page.locator("#sim-result").textContent(), /local optimum/);
    }
  }
  await page.selectOption("#sim-protocol", "saop");
  assert.equal(await page.locator("#sim-strategies select").first().isDisabled(), false);
  await page.click("#sim-offers-box summary");
  await shot(page.locator("#simulation"), "simulation-veto");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a tournament that cannot start shows its error in its panel", async () => {
  const { page } = await open();
  for (const box of await page.locator("#t-strategies input").all()) await box.uncheck();
  await page.click("#t-run");
  await page.waitForSelector("#t-error:not([hidden])");
  assert.match(await page.locator("#t-error").textContent(), /at least one domain and one strategy/);
  await page.close();
});

test("at 1,280 × 800 the tables fit: no sideways scrolling in the summary or the scenario", async () => {
  const { page, problems } = await open();
  for (const sel of ["#solutions", "#matrix", "#blocking-table", "#joint-table"]) {
    const [scroll, client] = await page.locator(sel).evaluate((t) => [t.parentElement.scrollWidth, t.parentElement.clientWidth]);
    assert.ok(scroll <= client, `${sel} scrolls sideways: ${scroll} > ${client}`);
  }
  // Every issue's options are visible at once (the matrix is one column per actor).
  const visible = await page.locator("#matrix th.issue").evaluateAll((ths) => ths.filter((t) => t.getBoundingClientRect().width > 0).length);
  assert.equal(visible, 5);
  await shot(page.locator("#scenario"), "scenario-1280");
  assert.deepEqual(problems, []);
  await page.close();
});

/// A synthetic scenario of 10^6 packages (3 actors, 6 issues of 10 options,
/// every claim an assumption), values from a fixed linear congruential
/// sequence.
function synthetic() {
  let x = 12345;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
  const issues = [...Array(6)].map((_, i) => `i${i}`);
  const opts = [...Array(10)].map((_, o) => `o${o}`);
  let t = '[scenario]\nid = "synthetic-1e6"\ntitle = "Synthetic: 10^6 packages"\n';
  for (const i of issues) t += `\n[[issues]]\nid = "${i}"\nname = "${i}"\noptions = [${opts.map((o) => `{ id = "${o}", label = "${o}" }`).join(", ")}]\n`;
  for (const a of ["a", "b", "c"]) {
    t += `\n[[actors]]\nid = "${a}"\nname = "${a}"\npower = 1.0\nreservation = 0.35\nsalience = { ${issues.map((i) => `${i} = ${(0.2 + rnd()).toFixed(3)}`).join(", ")} }\n`;
    t += 'power_basis = { assumption = true, note = "synthetic" }\nreservation_basis = { assumption = true, note = "synthetic" }\nsalience_basis = { assumption = true, note = "synthetic" }\n';
    for (const i of issues) {
      t += `\n[[actors.positions]]\nissue = "${i}"\nvalues = { ${opts.map((o) => `${o} = ${rnd().toFixed(3)}`).join(", ")} }\nassumption = true\nnote = "synthetic"\n`;
    }
  }
  return t;
}

test("benchmark: a what-if edit on a 10^6-package scenario (timed, not asserted)", async () => {
  const { page, problems } = await open();
  const file = path.join(work, "synthetic-1e6.toml");
  writeFileSync(file, synthetic());
  const g = await generation(page);
  await page.setInputFiles("#upload", [file]);
  await ready(page, g + 1);
  assert.equal(await page.locator("#space-count").textContent(), "1,000,000");
  const g2 = await generation(page);
  await page.getByLabel("reservation of a").fill("0.3");
  await page.getByLabel("reservation of a").dispatchEvent("change");
  await ready(page, g2 + 1);
  const times = await recomputeTimes(page);
  console.log(`what-if recompute (10^6 packages, 20,000 drawn), ms: ${times.slice(-2).map((t) => t.toFixed(0)).join(" ")}`);
  assert.match(await page.locator("#space-note").textContent(), /sample of 20,000 of 1,000,000/);
  assert.deepEqual(problems, []);
  await page.close();
});
