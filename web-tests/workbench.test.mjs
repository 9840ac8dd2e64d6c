// The workbench as a person uses it, in Debian's headless Chromium driven by
// Playwright (playwright-core; no browser is downloaded): the real `zopa
// serve` on a free loopback port, and every number on screen compared with
// what the `zopa` CLI computes for the same input.
//
//   ZOPA_BIN=target/debug/zopa npm test --prefix web-tests
//
// Screenshots go to target/workbench/. Recompute times (performance marks)
// are printed, not asserted: docs/benchmarks.md records them.
//
// The README's picture, docs/workbench.png, is this test's screenshot, and
// docs/workbench.json holds the numbers it shows. The test fails when the
// workbench now draws other numbers than that file records (the picture is
// stale); `UPDATE_DOCS=1` makes the test copy the new screenshot and its
// numbers into docs/ instead.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
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
  assert.notEqual(cli.space.agreement, before.space.agreement, "the edit matters");
  assert.equal(await page.locator("#zopa-count").textContent(), String(cli.space.agreement));
  assert.equal(await page.locator("#scatter .frontier-point").count(), cli.agreement_frontier.size);
  // The switch for every red line of Ukraine: none is on now, so it turns
  // them all on (the original ZOPA again), then all off (the edited one).
  const g1 = await generation(page);
  await page.getByLabel("switch every red line of ukraine").click();
  await ready(page, g1 + 1);
  assert.equal(await box.isChecked(), true);
  assert.equal(await page.locator("#zopa-count").textContent(), String(before.space.agreement));
  const g1b = await generation(page);
  await page.getByLabel("switch every red line of ukraine").click();
  await ready(page, g1b + 1);
  assert.equal(await box.isChecked(), false);
  assert.equal(await page.locator("#zopa-count").textContent(), String(cli.space.agreement));
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
  await page.screenshot({ path: path.join(shots, "workbench-tournament.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("at 400 px wide nothing overflows, and the keyboard reaches the plot", async () => {
  const { page, problems } = await open({ width: 400, height: 900 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 400, `page is ${width} px wide`);
  await page.screenshot({ path: path.join(shots, "workbench-400.png"), fullPage: true });
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
