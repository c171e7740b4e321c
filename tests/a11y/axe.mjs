// Accessibility check of the built site with axe-core in headless Debian Chromium.
//
//   node tests/a11y/axe.mjs --site build/site --base http://127.0.0.1:PORT/ --out build/a11y-report.json
//
// Checks every built page (build/site/index.html and every index.html under build/site/fr and
// build/site/nl) against WCAG 2.0/2.1 A and AA, in one browser with a few pages in parallel.
// Prints a summary per rule and exits 1 when any violation is serious or critical (2 on a
// setup error: no browser, no page, a page that does not load).
import { readdirSync, statSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { join, relative, dirname, sep } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_VERSION = require("axe-core/package.json").version;
const BLOCKING = new Set(["serious", "critical"]);
const BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const site = option("site", "build/site");
const base = option("base", "http://127.0.0.1:8000/").replace(/\/?$/, "/");
const out = option("out", "build/a11y-report.json");
const executablePath = option("chromium", process.env.CHROMIUM || "/usr/bin/chromium");
const workers = Math.max(1, Number(option("workers", "4")));
// --tags wcag2a,wcag2aa,best-practice for an ad-hoc wider look; make a11y uses the default
const TAGS = option("tags", "wcag2a,wcag2aa,wcag21a,wcag21aa").split(",").filter(Boolean);

function indexPages(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) found.push(...indexPages(p));
    else if (name === "index.html") found.push(p);
  }
  return found;
}

function urlOf(file) {
  const rel = relative(site, dirname(file)).split(sep).filter(Boolean).join("/");
  return base + (rel ? `${rel}/` : "");
}

const files = [join(site, "index.html"), ...["fr", "nl"].flatMap((lang) => indexPages(join(site, lang)))];
const urls = files.map(urlOf);

const browser = await chromium.launch({ executablePath, args: BROWSER_ARGS, headless: true });
// An English-speaking browser: build/site/index.html (the language choice) redirects browsers that
// prefer French or Dutch, so with fr/nl it would never be checked itself.
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
// Nothing leaves this machine (Material fetches the other language's sitemap from site_url), and
// the search worker is not started: it only indexes search_index.json in the background on every
// page (CPU time for nothing axe looks at; the search form itself is in the page and is checked).
await context.route("**/*", (route) => {
  const url = new URL(route.request().url());
  const local = url.protocol === "data:" || url.protocol === "blob:" || url.origin === new URL(base).origin;
  if (!local || /\/workers\/search\.[^/]*\.js$/.test(url.pathname)) return route.abort();
  return route.continue();
});
const results = [];
const failures = [];
let next = 0;

async function checkOne(page, url) {
  const resp = await page.goto(url, { waitUntil: "load", timeout: 30000 });
  if (!resp || !resp.ok()) throw new Error(`HTTP ${resp ? resp.status() : "no response"}`);
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations", "incomplete"] });
    const brief = (x) => ({ id: x.id, impact: x.impact, nodes: x.nodes.length });
    return { violations: r.violations, incomplete: r.incomplete.map(brief), passes: r.passes.length };
  }, TAGS);
}

async function worker() {
  const page = await context.newPage();
  while (next < urls.length) {
    const url = urls[next++];
    try {
      const r = await checkOne(page, url);
      results.push({ url, ...r });
    } catch (err) {
      failures.push({ url, error: String(err && err.message ? err.message : err).split("\n")[0] });
    }
  }
  await page.close();
}

const started = Date.now();
try {
  await Promise.all(Array.from({ length: Math.min(workers, urls.length) }, worker));
} finally {
  await browser.close();
}
results.sort((a, b) => a.url.localeCompare(b.url));

// summary per rule: impact, pages, nodes
const rules = new Map();
for (const r of results) {
  for (const v of r.violations) {
    const s = rules.get(v.id) || { id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, pages: [], nodes: 0 };
    s.pages.push(r.url.slice(base.length - 1));
    s.nodes += v.nodes.length;
    rules.set(v.id, s);
  }
}
const order = { critical: 0, serious: 1, moderate: 2, minor: 3 };
const summary = [...rules.values()].sort((a, b) => (order[a.impact] ?? 9) - (order[b.impact] ?? 9) || a.id.localeCompare(b.id));
const blocking = summary.filter((s) => BLOCKING.has(s.impact));

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({
  axe: AXE_VERSION, tags: TAGS, base, pages: urls.length, checked: results.length,
  seconds: (Date.now() - started) / 1000,
  summary: summary.map(({ pages, ...s }) => ({ ...s, pageCount: pages.length, pages })),
  failures,
  results: results.map((r) => ({
    url: r.url, passes: r.passes, incomplete: r.incomplete,
    violations: r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    })),
  })),
}, null, 2));

console.log(`axe-core ${AXE_VERSION} (${TAGS.join(", ")}): ${results.length}/${urls.length} pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (summary.length === 0) console.log("no violations");
for (const s of summary) {
  const where = s.pages.slice(0, 3).join(" ") + (s.pages.length > 3 ? ` … (+${s.pages.length - 3})` : "");
  console.log(`  ${s.impact.padEnd(8)} ${s.id.padEnd(28)} ${String(s.pages.length).padStart(3)} pages ${String(s.nodes).padStart(4)} nodes  ${s.help}\n           ${where}`);
}
// "needs review" (axe could not decide, e.g. text over an image): listed, never failing
const review = new Map();
for (const r of results) for (const i of r.incomplete) {
  const s = review.get(i.id) || { id: i.id, impact: i.impact, pages: 0, nodes: 0 };
  s.pages += 1; s.nodes += i.nodes; review.set(i.id, s);
}
for (const s of review.values()) console.log(`  review   ${s.id.padEnd(28)} ${String(s.pages).padStart(3)} pages ${String(s.nodes).padStart(4)} nodes  (axe could not decide; see the report)`);
for (const f of failures) console.log(`  FAILED to check ${f.url}: ${f.error}`);
console.log(`report: ${out}`);
const failedPages = results.filter((r) => r.violations.some((v) => BLOCKING.has(v.impact))).length;
let status = 0;
if (failures.length) {
  console.log(`${failures.length} page(s) could not be checked`);
  status = 2;
} else if (blocking.length) {
  console.log(`${blocking.length} rule(s) with serious or critical violations: ${blocking.map((s) => s.id).join(", ")}`);
  status = 1;
} else {
  console.log("no serious or critical violations");
}
// the closing line: pages without / with a serious or critical violation (or not checked)
console.log(`a11y: ${results.length - failedPages} passed, ${failedPages + failures.length} failed`);
process.exit(status);
